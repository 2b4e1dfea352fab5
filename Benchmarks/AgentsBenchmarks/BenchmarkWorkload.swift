#if canImport(Glibc)
  import Glibc
#endif
import Agents
import FakeModelServer
import WireCore

/// The workload every agent benchmark (and the Python SDK comparison) runs: an agent with one function tool
/// that the fake model calls once, then answers; two model calls per run.
///
/// `scripts/benchmarks/python_sdk.py` builds the same agent with the Python OpenAI Agents SDK; keep the
/// model name, instructions, question and tool in step with it.
enum BenchmarkWorkload {
  static let modelName = "llama3.2"
  static let instructions = "You report the weather. Call get_weather, then answer in one sentence."
  static let question = "What is the weather in Paris?"
  static let toolName = "get_weather"
  static let answer = "It is sunny in Paris, 22 °C, with a light breeze from the west."

  /// The fake model's script: a tool call when the agent offers tools and has not called one yet, else the
  /// answer (streamed in small deltas when the request streams).
  static func reply(to request: RecordedRequest) -> FakeOllamaServer.Reply {
    let lastRole = request.messages.last?["role"]?.stringValue
    if lastRole != "tool", !request.tools.isEmpty {
      return .toolCall(toolName, arguments: ["city": "Paris"])
    }
    return .text(answer, chunkSize: 6)
  }

  /// The agent with its tool.
  static func agent(tools: Bool = true) -> Agent {
    Agent(name: "Weather", instructions: .text(instructions), model: .named(modelName), tools: tools ? [weatherTool] : [])
  }

  static let weatherTool = FunctionTool(name: toolName, description: "The current weather in a city.") {
    (query: WeatherQuery, _: ToolContext) -> String in
    "Sunny, 22 °C in \(query.city), light westerly breeze."
  }

  /// A runner whose models talk to the OpenAI-compatible API at `baseURL`.
  ///
  /// The per-server request limit (4 by default, sized for a real Ollama's parallel slots) is lifted, so the
  /// SDK and the raw floor queue alike: in the same 8-connection AsyncHTTPClient pool.
  static func runner(baseURL: String) -> Runner {
    let config = OllamaConfig(baseURL: baseURL, maxConcurrentRequestsPerServer: 0)
    return Runner(configuration: .init(modelProvider: OpenAICompatibleProvider(config: config)))
  }
}

/// Arguments of the benchmark's `get_weather` tool.
@Schema struct WeatherQuery {
  /// The city, e.g. "Paris".
  var city: String
}

/// The fake server the benchmarks talk to: the one named by `--server` (an OpenAI base URL such as
/// `http://127.0.0.1:PORT/v1`, usually a `serve` process) or an in-process one.
struct BenchmarkServer: Sendable {
  /// The OpenAI-compatible base URL.
  let openAIBaseURL: String
  private let inProcess: FakeOllamaServer?

  static func start(_ options: BenchmarkOptions) async throws -> BenchmarkServer {
    if let url = options.string("server") {
      return BenchmarkServer(openAIBaseURL: url, inProcess: nil)
    }
    let server = try await startFake(port: 0)
    return BenchmarkServer(openAIBaseURL: server.openAIBaseURL, inProcess: server)
  }

  /// Starts a fake server that counts requests without keeping them and answers with the workload's script.
  static func startFake(port: Int, recordingLimit: Int = 0) async throws -> FakeOllamaServer {
    var configuration = FakeOllamaServer.Configuration()
    configuration.port = port
    configuration.recordingLimit = recordingLimit
    let server = try await FakeOllamaServer.start(configuration)
    server.setDefaultReply(BenchmarkWorkload.reply(to:))
    return server
  }

  func shutdown() async throws { try await inProcess?.shutdown() }

  /// Where it is, for the report.
  var description: String { inProcess == nil ? "server \(openAIBaseURL)" : "in-process fake server" }
}

/// `serve`: runs the fake server with the workload's script until the process is terminated, so other
/// processes (the Python SDK comparison, the memory benchmark) can talk to the same server.
struct ServeCommand: Benchmark {
  let name = "serve"
  let summary = "run the scripted fake server on --port (0: any free one) until terminated; prints its URL"

  func run(_ options: BenchmarkOptions) async throws -> Bool {
    let port = options.string("port").flatMap(Int.init) ?? 0
    let server = try await BenchmarkServer.startFake(port: port)
    let line = Array((server.openAIBaseURL + "\n").utf8)
    _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }  // unbuffered: the parent reads it from a pipe
    while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
    try await server.shutdown()
    return true
  }
}
