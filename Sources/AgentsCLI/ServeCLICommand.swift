import AgentsCommandLine
import ArgumentParser
import Foundation

/// `agents serve`: the agents behind an OpenAI-compatible endpoint.
struct ServeCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the agents on an OpenAI-compatible HTTP endpoint (/v1/chat/completions, /v1/models).",
    discussion: """
      Any OpenAI client can then use the agents: the request's "model" names the agent (GET /v1/models lists \
      them); its tools and handoffs run on this server. Send the whole conversation each time, or keep it here \
      with the header X-Session-ID (add Idempotency-Key to make a retried turn safe).
      API keys: AGENTS_SERVE_API_KEYS=key1,key2 and/or --api-keys-file FILE (one key per line); clients send \
      'Authorization: Bearer KEY'. Without keys the server only listens on a loopback address.
      The per-server limit towards the model server is --max-concurrent-requests (default 4); --max-queue more \
      requests wait, further ones get 429 with Retry-After. SIGTERM or Ctrl-C: answer new requests with 503, let \
      running requests (streamed answers too) finish for --grace-period seconds, cancel the rest, exit 0.
      Tool calls that need a person's approval (the coding assistant's file edits, MCP tools under \
      require_approval) are refused, since nobody on the HTTP side can approve them: the model is told, and the \
      refusal is the call's output. --approve TOOL (or --approve-all) runs them for every client instead.
      """)

  @Option(help: ArgumentHelp("The address to listen on (a non-loopback one needs API keys).", valueName: "address"))
  var host = "127.0.0.1"

  @Option(help: ArgumentHelp("The port to listen on (0: any free port, printed at start).", valueName: "n"))
  var port = 8088

  @Option(
    name: .customLong("api-keys-file"),
    help: ArgumentHelp("A file with one accepted API key per line (not readable by others).", valueName: "file"))
  var apiKeysFile: String?

  @Option(
    help: ArgumentHelp(
      "Where sessions and run records live: postgres://USER:PASSWORD@HOST:PORT/DB (default: the local SQLite store).",
      valueName: "url"))
  var store: String?

  @Option(
    name: .customLong("grace-period"),
    help: ArgumentHelp("Seconds running requests get to finish after SIGTERM (default 30).", valueName: "seconds"))
  var gracePeriod: Double = 30

  @Option(
    name: .customLong("max-queue"),
    help: ArgumentHelp("Requests that may wait for a run slot before 429 (default 64).", valueName: "n"))
  var maxQueue = 64

  @Option(
    name: .customLong("max-body-bytes"),
    help: ArgumentHelp("The largest request body accepted, in bytes (default 4194304).", valueName: "n"))
  var maxBodyBytes = 4 * 1024 * 1024

  @Option(
    name: .customLong("max-messages"),
    help: ArgumentHelp("The most messages in one request (default 1000).", valueName: "n"))
  var maxMessages = 1000

  @Option(name: .customLong("max-turns"), help: ArgumentHelp("The most model calls per request's run.", valueName: "n"))
  var maxTurns: Int?

  @Option(
    name: .customLong("approve"),
    help: ArgumentHelp(
      "Run calls of this tool that need approval without asking, for every client (repeatable).", valueName: "tool"))
  var approve: [String] = []

  @Flag(name: .customLong("approve-all"), help: "Run every tool call that needs approval without asking.")
  var approveAll = false

  @OptionGroup var global: GlobalOptionGroup

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    await ServeCommand(
      services: context.services,
      options: .init(
        host: host, port: port, apiKeysFile: apiKeysFile, store: store, gracePeriod: gracePeriod, maxQueue: maxQueue,
        maxBodyBytes: maxBodyBytes, maxMessages: maxMessages, maxTurns: maxTurns,
        approvedTools: approve, approveAll: approveAll)
    ).run(interrupts: context.interrupts, environment: ProcessInfo.processInfo.environment)
  }
}
