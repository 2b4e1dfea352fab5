import AgentsTesting
import Foundation
import Synchronization

@testable import AgentsCommandLine

/// A sink that keeps everything written, and can react to writes (to cancel a reply mid-stream).
final class CapturingSink: TextSink {
  private let state = Mutex<(text: String, onWrite: (@Sendable (String) -> Void)?)>(("", nil))

  var text: String { state.withLock { $0.text } }

  func onWrite(_ handler: @escaping @Sendable (String) -> Void) {
    state.withLock { $0.onWrite = handler }
  }

  func write(_ text: String) {
    let handler = state.withLock { state in
      state.text += text
      return state.onWrite
    }
    handler?(text)
  }
}

/// Input lines from a script; `.end` after the last one.
final class ScriptedLineInput: LineInput {
  private let events: Mutex<[InputEvent]>
  private let prompts = Mutex<[String]>([])

  init(_ events: [InputEvent]) { self.events = Mutex(events) }

  convenience init(lines: [String]) { self.init(lines.map(InputEvent.line)) }

  var promptsShown: [String] { prompts.withLock { $0 } }

  func readLine(prompt: String) async -> InputEvent {
    prompts.withLock { $0.append(prompt) }
    return events.withLock { $0.isEmpty ? .end : $0.removeFirst() }
  }
}

/// Resolves every model name to the same scripted model, remembering the names asked for.
final class ScriptedProvider: ModelProvider {
  let model: ScriptedModel
  private let names = Mutex<[String]>([])

  init(_ model: ScriptedModel) { self.model = model }

  var requestedNames: [String] { names.withLock { $0 } }

  func model(named name: String?) throws -> any Model {
    names.withLock { $0.append(name ?? "") }
    return model
  }
}

/// A fixed list of installed models.
struct FixedModelDirectory: ModelDirectory {
  var names: [String]
  var canPull = true
  func installedModelNames() async throws -> [String] { names }
}

/// Services wired to a scripted model and capturing sinks.
struct TestServices {
  let out = CapturingSink()
  let err = CapturingSink()
  let provider: ScriptedProvider
  let services: AppServices

  init(
    steps: [ScriptedModel.Step], installed: [String] = ["llama3.2:latest", "qwen3:8b"],
    settings: ServerSettings = ServerSettings(), sessionStore: SessionStore? = nil, runStore: RunStore? = nil,
    workspaceRoot: String = FileManager.default.currentDirectoryPath,
    metrics: AgentsMetricsRecorder = AgentsMetricsRecorder(), modelFacts: ModelFactsSource = .none,
    mcpServers: MCPServerSet = .empty
  ) {
    provider = ScriptedProvider(ScriptedModel(steps: steps))
    services = AppServices(
      settings: settings,
      console: Console(out: out, err: err, style: TextStyle(enabled: false), interactive: false),
      capabilities: .plain, workspaceRoot: workspaceRoot, modelProvider: provider,
      modelDirectory: FixedModelDirectory(names: installed), runStore: runStore, sessionStore: sessionStore,
      metrics: metrics, modelFacts: modelFacts, mcpServers: mcpServers)
  }

  var model: ScriptedModel { provider.model }
}
