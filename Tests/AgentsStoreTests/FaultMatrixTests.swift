import AgentsStore
import AgentsTesting
import Foundation
import OpenAICompatible
import Testing
import TestSupport

/// Issue 8's fault matrix through the SDK: Runner + ChatCompletionsModel + SQLiteSession on a real SQLite
/// file, against the fake server's fault injection. Every row ends as expected (an answer, or a typed error
/// whose message names the cause and the fix), and the session afterwards holds exactly the earlier turns
/// (failed run) or the earlier turns plus the whole new turn (successful run), as read back from the file.
@Suite struct FaultMatrixTests {
  static let earlierTurns: [Item] = [.user("Hello, I am Bo."), .assistant("Nice to meet you, Bo.")]
  static let question = "Weather in Paris?"

  @Test(arguments: FaultMatrix.cases)
  func faultRow(_ faultCase: FaultCase) async throws {
    let row = faultCase.row
    let server = try await FakeOllamaServer.start()
    let directory = try TemporaryDirectory()
    let databasePath = directory.file("agents.sqlite")
    do {
      let session = SQLiteSession(sessionID: "matrix", database: try AgentsDatabase.open(at: databasePath))
      try await session.addItems(Self.earlierTurns)
      try await row.prepare(server, faultCase.streamed)

      let runner = Self.runner(for: server, row: row)
      let agent = Agent(
        name: "Weather", instructions: "Answer briefly.", model: .named(row.model), tools: row.tools,
        inputGuardrails: row.guardrails)
      let outcome = await Self.run(
        runner, agent: agent, streamed: faultCase.streamed, maxTurns: row.maxTurns, session: session)

      // The history as a fresh process would see it.
      let stored = try await SQLiteSession(sessionID: "matrix", database: try AgentsDatabase.open(at: databasePath))
        .items(limit: nil)
      switch outcome {
      case .success(let result):
        Self.expectSuccess(row.outcome, result: result)
        #expect(stored == Self.earlierTurns + [.user(Self.question)] + result.newItems.map(\.item))
        #expect(stored == result.history)
        try row.verify(server, result)
      case .failure(let error):
        Self.expectFailure(row.outcome, error: error)
        #expect(stored == Self.earlierTurns, "a failed turn must leave the session as it was")
        try row.verify(server, nil)
      }
    } catch {
      try await server.shutdown()
      throw error
    }
    try await server.shutdown()
  }

  /// A runner on the fake server with the row's timeouts and fast retries (3 attempts; more, spaced out, for a server
  /// that comes back).
  static func runner(for server: FakeOllamaServer, row: FaultRow) -> Runner {
    let config = OllamaConfig(
      baseURL: server.openAIBaseURL,
      timeouts: .init(
        connect: .seconds(30), firstByte: row.shortTimeout == .firstByte ? .milliseconds(300) : .seconds(60),
        idle: row.shortTimeout == .idle ? .milliseconds(500) : .seconds(60)),
      retry: row.listensAgainOnRetry
        ? .init(maxAttempts: 20, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100), jitter: 0)
        : .init(maxAttempts: 3, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(20), jitter: 0))
    var transport = HTTPTransport.shared
    if row.listensAgainOnRetry {
      // The server comes back while the client retries (without blocking: this runs on the cooperative pool
      // the listener needs).
      transport.onRetry = { _ in Task { try? await server.resumeListening() } }
    }
    let provider = OpenAICompatibleProvider(client: ChatCompletionsClient(config: config, transport: transport))
    return Runner(configuration: .init(modelProvider: provider, toolFailures: row.toolFailures))
  }

  static func run(
    _ runner: Runner, agent: Agent, streamed: Bool, maxTurns: Int, session: SQLiteSession
  ) async -> Result<RunResult, any Error> {
    do {
      guard streamed else {
        return .success(try await runner.run(agent, input: question, maxTurns: maxTurns, session: session))
      }
      var finished: RunResult?
      for try await event in runner.runStreamed(agent, input: question, maxTurns: maxTurns, session: session) {
        if case .finished(let result) = event { finished = result }
      }
      guard let finished else { return .failure(FaultCheckFailed(description: "the stream ended without a result")) }
      return .success(finished)
    } catch {
      return .failure(error)
    }
  }

  static func expectSuccess(_ expected: FaultOutcome, result: RunResult) {
    guard case .answer(let answer) = expected else {
      Issue.record("the run succeeded with \(result.finalOutputText.debugDescription) but should have failed")
      return
    }
    #expect(result.finalOutputText == answer)
  }

  static func expectFailure(_ expected: FaultOutcome, error: any Error) {
    let message = "\(error)"
    switch expected {
    case .answer:
      Issue.record("the run should have succeeded but failed: \(message)")
    case .serverError(let code, let phrases):
      #expect((error as? ModelServerError)?.code == code, "\(type(of: error)): \(message)")
      for phrase in phrases { #expect(message.contains(phrase), "\(phrase) missing from: \(message)") }
    case .agentsError(let code, let phrases):
      #expect((error as? AgentsError)?.code == code, "\(type(of: error)): \(message)")
      for phrase in phrases { #expect(message.contains(phrase), "\(phrase) missing from: \(message)") }
    }
  }
}
