import AgentsStore
import AgentsTesting
import Foundation

/// How a fault-matrix run must end.
enum FaultOutcome: Sendable {
  /// The run succeeds (through a retry, or because the model was told and recovered) with this answer.
  case answer(String)
  /// The run fails with this model server error code; the message contains every phrase (cause and fix).
  case serverError(ModelServerError.Code, mentions: [String])
  /// The run fails with this SDK error code; the message contains every phrase (cause and fix).
  case agentsError(AgentsError.Code, mentions: [String])
}

/// One row of the fault matrix: a fault set up on the fake server (or in the agent), and the outcome.
struct FaultRow: Sendable {
  /// The row's name as the fault matrix table (docs/reliability.md) lists it.
  var name: String
  /// Whether the row runs non-streamed, streamed, or both.
  var modes: [Bool] = [false, true]
  /// The model the agent asks for.
  var model = "llama3.2"
  /// The agent's tools.
  var tools: [any Tool] = [FaultMatrix.weatherTool]
  /// What the runner does when a tool fails.
  var toolFailures: FailurePolicy = .reportToModel
  /// Input guardrails of the agent.
  var guardrails: [InputGuardrail] = []
  /// The run's `maxTurns`.
  var maxTurns = 10
  /// Whether the server starts listening again when the client logs its first retry.
  var listensAgainOnRetry = false
  /// The one timeout a stall row expects, kept short; every other limit is generous, so a loaded machine (or a
  /// sanitizer's slowdown) never turns a row into a different timeout.
  var shortTimeout: ModelServerError.TimeoutPhase?
  /// Sets the fault up; the flag says whether the run streams.
  var prepare: @Sendable (FakeOllamaServer, Bool) async throws -> Void
  /// The expected outcome.
  var outcome: FaultOutcome
  /// Further checks on what reached the server and what the run returned (`nil` for failed runs).
  var verify: @Sendable (FakeOllamaServer, RunResult?) throws -> Void = { _, _ in }
}

/// One row in one mode, the unit the parameterized tests run.
struct FaultCase: Sendable, CustomStringConvertible {
  var row: FaultRow
  var streamed: Bool
  var description: String { "\(row.name) (\(streamed ? "streamed" : "non-streamed"))" }
}

/// A check failed inside a row's `verify`.
struct FaultCheckFailed: Error, CustomStringConvertible {
  var description: String
}

/// Fails with `message` unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
  if !condition { throw FaultCheckFailed(description: message()) }
}

/// The rows of issue 8's fault matrix, in the issue's order, plus the variants that stop the run instead of
/// telling the model.
enum FaultMatrix {
  static let chatPath = "/v1/chat/completions"
  static let answer = "Sunny in Paris."

  /// The weather tool every row's agent has.
  static let weatherTool = FunctionTool(
    name: "get_weather", description: "Current weather in a city", parameters: citySchema
  ) { arguments, _ in
    "Sunny, 21°C in \(arguments["city"]?.stringValue ?? "?")"
  }

  static let citySchema = JSONSchema([
    "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"], "additionalProperties": false,
  ])

  /// A weather tool whose service is down.
  static let throwingTool = FunctionTool(name: "get_weather", description: "Weather", parameters: citySchema) { _, _ in
    throw WeatherServiceDown()
  }

  /// A weather tool that never answers, with a short timeout.
  static let hangingTool = FunctionTool(
    name: "get_weather", description: "Weather", parameters: citySchema, timeout: .milliseconds(50)
  ) { _, _ in
    try await Task.sleep(for: .seconds(3600))
    return "never"
  }

  struct WeatherServiceDown: Error, CustomStringConvertible {
    var description: String { "the weather service is down" }
  }

  /// Prepares a row in which `fault` hits the next chat request and the answer is queued behind it.
  static func faultThenAnswer(_ fault: FakeOllamaServer.Fault) -> @Sendable (FakeOllamaServer, Bool) async throws -> Void {
    { server, _ in
      server.inject(fault, on: chatPath)
      server.enqueue(.text(answer, chunkSize: 2))
    }
  }

  /// A tool call, then the final answer.
  static func toolTurn(_ server: FakeOllamaServer, arguments: String = #"{"city":"Paris"}"#) {
    server.enqueue(.toolCalls([.init(id: "call_1", name: "get_weather", arguments: arguments)]))
    server.enqueue(.text(answer, chunkSize: 4))
  }

  /// The content of the tool message in the second chat request.
  static func toolMessage(_ server: FakeOllamaServer) -> String {
    let requests = server.requests(to: chatPath)
    guard requests.count > 1 else { return "" }
    return requests[1].messages.last { $0["role"] == "tool" }?["content"]?.stringValue ?? ""
  }

  static func chatRequests(_ server: FakeOllamaServer, _ count: Int) throws {
    let actual = server.requests(to: chatPath).count
    try check(actual == count, "expected \(count) chat requests, got \(actual)")
  }

  static let rows: [FaultRow] = transportRows + responseRows + runRows

  static let transportRows: [FaultRow] = [
    FaultRow(
      name: "connection refused",
      prepare: { server, _ in try await server.stopListening() },
      outcome: .serverError(.serverUnreachable, mentions: ["Cannot reach the model server", "ollama serve"])),
    FaultRow(
      name: "refused then recovering", listensAgainOnRetry: true,
      prepare: { server, _ in
        try await server.stopListening()
        toolTurn(server)
      },
      outcome: .answer(answer)),
    FaultRow(
      name: "503 once",
      prepare: { server, _ in
        server.inject(.serverBusy(retryAfterSeconds: 0), on: chatPath)
        toolTurn(server)
      },
      outcome: .answer(answer), verify: { server, _ in try chatRequests(server, 3) }),
    FaultRow(
      name: "502 once",
      prepare: { server, _ in
        server.inject(.error(status: 502, message: "bad gateway"), on: chatPath)
        toolTurn(server)
      },
      outcome: .answer(answer), verify: { server, _ in try chatRequests(server, 3) }),
    FaultRow(
      name: "500",
      prepare: { server, _ in server.inject(.error(status: 500, message: "llama runner crashed"), on: chatPath, times: .always) },
      outcome: .serverError(.httpStatus, mentions: ["HTTP 500", "llama runner crashed", "check its logs"]),
      verify: { server, _ in try chatRequests(server, 2) }),
    FaultRow(
      name: "504",
      prepare: { server, _ in server.inject(.error(status: 504, message: "gateway timeout"), on: chatPath, times: .always) },
      outcome: .serverError(.httpStatus, mentions: ["HTTP 504", "check its logs"]),
      verify: { server, _ in try chatRequests(server, 3) }),
    FaultRow(
      name: "stall before headers", shortTimeout: .firstByte,
      prepare: { server, _ in
        server.inject(.stallBeforeHeaders(nil), on: chatPath)
        toolTurn(server)
      },
      outcome: .serverError(.timedOut, mentions: ["first-byte timeout", "raise timeouts.firstByte"])),
    FaultRow(
      name: "stall mid-stream", shortTimeout: .idle,
      prepare: { server, streamed in
        server.inject(.stallAfterEvents(streamed ? 2 : 0, duration: nil), on: chatPath)
        server.enqueue(.text(answer, chunkSize: 2))
      },
      outcome: .serverError(.timedOut, mentions: ["idle timeout", "raise timeouts.idle"])),
  ]

  static let responseRows: [FaultRow] = [
    FaultRow(
      name: "stream cut without [DONE]", modes: [true],
      prepare: faultThenAnswer(.endAfterEvents(2)),
      outcome: .serverError(.streamCut, mentions: ["ended without [DONE]", "retry"])),
    FaultRow(
      name: "connection dropped mid-stream", modes: [true],
      prepare: faultThenAnswer(.cutAfterEvents(2)),
      outcome: .serverError(.streamCut, mentions: ["incomplete", "retry"])),
    FaultRow(
      name: "error line mid-stream", modes: [true],
      prepare: faultThenAnswer(.midStreamError(afterEvents: 2)),
      outcome: .serverError(.streamCut, mentions: ["incomplete", "check its logs"])),
    FaultRow(
      name: "garbage body",
      prepare: { server, _ in server.inject(.malformedJSON, on: chatPath) },
      outcome: .serverError(.malformedResponse, mentions: ["malformed", "OpenAI-compatible API"])),
    FaultRow(
      name: "valid JSON of the wrong shape",
      prepare: { server, _ in server.inject(.wrongShape(["status": "ok", "result": [1, 2]]), on: chatPath) },
      outcome: .serverError(.malformedResponse, mentions: ["malformed", "OpenAI-compatible API"])),
    FaultRow(
      name: "tool call with invalid JSON arguments",
      prepare: { server, _ in toolTurn(server, arguments: #"{"city": "Par"#) },
      outcome: .answer(answer),
      verify: { server, _ in try check(toolMessage(server).contains("not valid JSON"), toolMessage(server)) }),
    FaultRow(
      name: "tool call with invalid JSON arguments, toolFailures .throwError", toolFailures: .throwError,
      prepare: { server, _ in toolTurn(server, arguments: #"{"city": "Par"#) },
      outcome: .agentsError(.modelBehavior, mentions: ["unusable arguments", "not valid JSON", "reportToModel"])),
    FaultRow(
      name: "a tool that throws", tools: [throwingTool],
      prepare: { server, _ in toolTurn(server) },
      outcome: .answer(answer),
      verify: { server, _ in try check(toolMessage(server).contains("the weather service is down"), toolMessage(server)) }),
    FaultRow(
      name: "a tool that throws, toolFailures .throwError", tools: [throwingTool], toolFailures: .throwError,
      prepare: { server, _ in toolTurn(server) },
      outcome: .agentsError(.toolFailed, mentions: ["the weather service is down", "Fix the tool"])),
    FaultRow(
      name: "a tool that hangs (tool timeout)", tools: [hangingTool],
      prepare: { server, _ in toolTurn(server) },
      outcome: .answer(answer),
      verify: { server, _ in try check(toolMessage(server).contains("timed out"), toolMessage(server)) }),
    FaultRow(
      name: "a tool that hangs, toolFailures .throwError", tools: [hangingTool], toolFailures: .throwError,
      prepare: { server, _ in toolTurn(server) },
      outcome: .agentsError(.toolTimeout, mentions: ["did not finish within", "Raise its timeout"])),
  ]

  static let runRows: [FaultRow] = [
    FaultRow(
      name: "model not found", model: "llama9",
      prepare: { _, _ in },
      outcome: .serverError(.modelNotFound, mentions: ["'llama9' is not installed", "ollama pull llama9"])),
    FaultRow(
      name: "model without tool support", model: "gemma:2b",
      prepare: { _, _ in },
      outcome: .agentsError(.toolsUnsupported, mentions: ["gemma:2b", "get_weather", "Use a model with tool support"])),
    FaultRow(
      name: "max turns", maxTurns: 2,
      prepare: { server, _ in
        server.setDefaultReply { _ in .toolCall("get_weather", arguments: ["city": "Paris"]) }
      },
      outcome: .agentsError(.maxTurnsExceeded, mentions: ["limit of 2 model calls", "raise maxTurns"])),
    FaultRow(
      name: "guardrail trip", guardrails: [homeworkGuardrail],
      prepare: { server, _ in toolTurn(server) },
      outcome: .agentsError(.inputGuardrailTripped, mentions: ["no-weather", "tripped", "change the input"])),
    FaultRow(
      name: "old stream layout",
      prepare: { server, _ in
        server.streamLayout = .legacy
        toolTurn(server)
      },
      outcome: .answer(answer)),
    FaultRow(
      name: "reasoning fields",
      prepare: { server, _ in
        server.enqueue(.init(content: answer, reasoning: "The user wants the weather.", chunkSize: 3))
      },
      outcome: .answer(answer),
      verify: { _, result in
        try check(result?.reasoning == ["The user wants the weather."], "reasoning: \(result?.reasoning ?? [])")
      }),
  ]

  /// Trips on any question about the weather, before the model is called.
  static let homeworkGuardrail = InputGuardrail(name: "no-weather", runInParallel: false) { _, _, input in
    let text = input.compactMap(\.messageText).joined()
    return GuardrailOutput(tripwireTriggered: text.contains("Weather"), outputInfo: "weather questions are off")
  }

  static var cases: [FaultCase] {
    rows.flatMap { row in row.modes.map { FaultCase(row: row, streamed: $0) } }
  }
}
