import AgentsCommandLine
import ArgumentParser

/// `agents ask`: one question, answered on standard output.
struct AskCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "ask",
    abstract: "Ask an agent one question.",
    discussion: """
      The answer streams to standard output. With --json, one JSON object is printed instead: agent_name, \
      user_input, final_output, execution_time, success, error, model, turns, usage and tool_calls.
      Examples:
        agents ask 'What is 17 * 23?'
        agents ask --agent coding --json 'Explain this regex: ^a+$'
        git diff | agents ask --agent coding -
        cat build.log | agents ask 'Why did this fail?'   (piped text, a blank line, then the prompt)
        agents ask --system 'Answer in one sentence.' --temperature 0.2 -o seed=7 'What is DNS?'
      Tool calls that need approval (the coding assistant's write_file and apply_patch) run only when allowed \
      with --approve TOOL or --approve-all; otherwise the run stops before them (exit status 3), shows what \
      they would do, and saves the run so that it can be continued:
        agents ask --agent coding 'Add a README' --approve write_file
        agents ask --resume ~/.local/share/ollama-agents/paused-runs/run-….json --approve write_file
      """)

  @Option(help: ArgumentHelp("The agent (see 'agents list').", valueName: "id"))
  var agent = AgentCatalog.defaultAgentID

  @Option(help: ArgumentHelp("A saved session to continue.", valueName: "id"))
  var session: String?

  @Flag(help: "Print one JSON object with the result.")
  var json = false

  @Flag(name: .customLong("no-stream"), help: "Wait for the whole answer.")
  var noStream = false

  @Option(
    name: .customLong("max-turns"),
    help: ArgumentHelp("The most model calls (\(Setting.maxTurns.requirement)).", valueName: "n"))
  var maxTurns = Runner.defaultMaxTurns

  @Option(
    name: .customLong("approve"),
    help: ArgumentHelp("Run calls of this tool without asking (repeat for more tools).", valueName: "tool"))
  var approve: [String] = []

  @Flag(name: .customLong("approve-all"), help: "Run every tool call that needs approval without asking.")
  var approveAll = false

  @Option(
    name: .customLong("reject"),
    help: ArgumentHelp("Refuse calls of this tool; the model is told they did not run.", valueName: "tool"))
  var reject: [String] = []

  @Option(
    name: .customLong("resume"),
    help: ArgumentHelp("Continue a run that stopped for approvals, from the state file it saved.", valueName: "file"))
  var resume: String?

  @Argument(help: ArgumentHelp("The question; '-' reads it from standard input.", valueName: "prompt"))
  var prompt: [String] = []

  @OptionGroup var global: GlobalOptionGroup

  /// A question without a session only records its run after the answer, so the store opens then.
  var storeUse: AppBootstrap.StoreUse { session == nil && resume == nil ? .afterAnswer : .beforeRunning }

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    let services = try context.answeringServices()
    let settings = services.settings.values
    let command = AskCommand(services: services, readStandardInput: { await StandardInput.readAll() })
    let arguments = AskCommand.Arguments(
      agentID: agent, prompt: prompt, sessionID: session, json: json, streaming: !noStream, maxTurns: maxTurns,
      markdown: settings.flag(.markdown), showsReasoning: !settings.flag(.hideReasoning),
      showsStats: settings.flag(.stats),
      approvedTools: approve, approveAll: approveAll, rejectedTools: reject, resumePath: resume)
    let interrupts = context.interrupts
    return await command.run(arguments) { work in await interrupts.cancellingOnInterrupt(work) }
  }
}
