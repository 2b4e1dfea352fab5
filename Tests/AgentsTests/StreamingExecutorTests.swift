@testable import Agents
import AgentsTesting
import OpenAICompatible
import Dispatch
import Testing
import WireCore

/// ``Model/streamingExecutor``: the runner reads a streamed response, and hands its events over, on the executor
/// the model prefers; everything else of the run (tools) runs elsewhere.
@Suite struct StreamingExecutorTests {
  /// Runs jobs on one serial queue, and tells whether the calling code runs there.
  final class QueueExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "StreamingExecutorTests")
    private let key = DispatchSpecificKey<Bool>()

    init() { queue.setSpecific(key: key, value: true) }

    func enqueue(_ job: consuming ExecutorJob) {
      let job = UnownedJob(job)
      let executor = asUnownedTaskExecutor()
      queue.async { job.runSynchronously(on: executor) }
    }

    var isCurrent: Bool { DispatchQueue.getSpecific(key: key) == true }
  }

  /// A scripted model whose streams prefer `executor`.
  struct PreferringModel: Model {
    let base: ScriptedModel
    let executor: QueueExecutor
    var name: String { base.name }
    var streamingExecutor: (any TaskExecutor)? { executor }

    func response(to request: ModelRequest) async throws -> ModelResponse { try await base.response(to: request) }

    func streamResponse(to request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
      base.streamResponse(to: request)
    }
  }

  @Test func streamedEventsAreHandledOnTheModelsExecutorAndToolsRunElsewhere() async throws {
    let executor = QueueExecutor()
    let model = ScriptedModel(
      name: "scripted",
      steps: [.toolCall("get_weather", arguments: ["city": "Oslo"]), .stream([.text("It is "), .text("sunny.")])])
    let seen = Recorder()
    let tool = FunctionTool(name: "get_weather", description: "Weather") { (arguments: CityArguments, _: ToolContext) in
      seen.record("tool on executor: \(executor.isCurrent)")
      return "Sunny in \(arguments.city)"
    }
    let agent = Agent(
      name: "A", instructions: "Be helpful.", model: .model(PreferringModel(base: model, executor: executor)),
      tools: [tool])
    let result = try await Runner().run(agent, input: [.user("x")]) { event in
      if case .textDelta(let text) = event { seen.record("\(text)on executor: \(executor.isCurrent)") }
    }
    #expect(result.text == "It is sunny.")
    #expect(seen.all == ["tool on executor: false", "It is on executor: true", "sunny.on executor: true"])
  }

  @Test func aChatCompletionsModelStreamsOnItsTransportsNetworkThread() throws {
    let transport = HTTPTransport.shared
    let model = ChatCompletionsModel(name: "m", client: ChatCompletionsClient(transport: transport))
    let executor = try #require(model.streamingExecutor)
    #expect(executor === transport.responseExecutor)
  }
}
