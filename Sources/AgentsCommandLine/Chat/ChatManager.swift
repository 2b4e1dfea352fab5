import Foundation
import Synchronization

/// The interactive conversation behind `agents chat`: reads lines, runs slash commands, streams each
/// answer, and lets Ctrl-C cancel the answer in progress.
///
/// It needs no terminal: input comes from any ``LineInput`` and output goes to the services' console,
/// so tests drive it with scripted lines and a ``ScriptedModel``.
package final class ChatManager: Sendable {
  /// How a chat starts.
  package struct Options: Sendable {
    /// The agent to start with.
    package var agentID: String
    /// The session to resume or create; `nil` starts a new one.
    package var sessionID: String?
    /// Whether answers stream token by token.
    package var streaming: Bool
    /// The most model calls per answer.
    package var maxTurns: Int?
    /// Whether the user is at a terminal: prompts, a banner and confirmations are shown only then.
    package var interactive: Bool

    /// Creates options.
    package init(
      agentID: String = AgentCatalog.defaultAgentID, sessionID: String? = nil, streaming: Bool = true,
      maxTurns: Int? = Runner.defaultMaxTurns, interactive: Bool
    ) {
      self.agentID = agentID
      self.sessionID = sessionID
      self.streaming = streaming
      self.maxTurns = maxTurns
      self.interactive = interactive
    }
  }

  let services: AppServices
  let input: any LineInput
  let options: Options
  let state: Mutex<ChatState>
  private let replyTask = Mutex<Task<ConversationOutcome, Never>?>(nil)

  /// Prepares a chat; fails when the starting agent or session is unusable.
  package init(services: AppServices, input: any LineInput, options: Options) throws(AppError) {
    self.services = services
    self.input = input
    self.options = options
    let factory = services.factory()
    let definition = try factory.catalog.definition(id: options.agentID)
    let agent = try factory.makeAgent(id: definition.id)
    // A session the user named must be saved; a chat's own session is kept in memory when the store is unusable
    // (``run()`` says so).
    let session: any Session
    if let sessionID = options.sessionID {
      session = try Self.session(sessionID, services: services)
    } else {
      let sessionID = Self.newSessionID()
      session = (try? Self.session(sessionID, services: services)) ?? InMemorySession(sessionID: sessionID)
    }
    state = Mutex(
      ChatState(agentID: definition.id, agents: [definition.id: agent], modelOverride: nil, session: session))
  }

  /// Cancels the answer being generated, if any; the chat returns to the prompt.
  ///
  /// - Returns: Whether an answer was in progress.
  @discardableResult
  package func cancelReply() -> Bool {
    replyTask.withLock { task in
      guard let task else { return false }
      task.cancel()
      return true
    }
  }

  /// Runs until `/quit`, end of input, or Ctrl-C at an empty prompt.
  ///
  /// - Returns: The exit status: 0, or for piped input the status of the last failed answer.
  package func run() async -> Int32 {
    let console = services.console
    let metrics = services.metrics
    metrics.conversationStarted()
    defer {
      input.close()
      metrics.conversationEnded()
    }
    if let error = await checkModel() {
      console.error(error)
      return error.exitStatus
    }
    if options.interactive { console.print(banner()) }
    if let problem = services.storeProblem, state.withLock({ $0.session is InMemorySession }) {
      console.warn("this conversation is not saved: \(problem.message)")
    }
    var exitStatus: Int32 = 0
    while true {
      let prompt = options.interactive ? console.style.bold(state.withLock { $0.agentID } + "> ") : ""
      switch await input.readLine(prompt: prompt) {
      case .end:
        return exitStatus
      case .interrupt(let wasEmpty):
        if wasEmpty { return exitStatus }
      case .line(let line):
        let text = line.trimmingWhitespace()
        if text.isEmpty { continue }
        if let command = SlashCommand.parse(text) {
          if await perform(command) == .quit { return exitStatus }
          continue
        }
        let prompt = text.hasPrefix("//") ? String(text.dropFirst()) : text
        if let error = await reply(to: prompt), error.code != .interrupted {
          exitStatus = options.interactive ? 0 : error.exitStatus
        }
      }
    }
  }

  /// On Ollama, checks before the first message that the starting agent's model is installed, so a
  /// typo in `--model` or a stopped server is reported at once (other servers may ignore model names).
  func checkModel() async -> AppError? {
    guard services.settings.provider == .ollama else { return nil }
    let model = state.withLock { $0.agents[$0.agentID]?.model?.name } ?? services.settings.defaultModel
    do {
      _ = try await services.modelDirectory.resolveInstalledModel(model)
      return nil
    } catch {
      return AppError.from(error)
    }
  }

  /// Answers one message; returns the error if the answer failed.
  func reply(to text: String) async -> AppError? {
    let console = services.console
    let (agent, session) = state.withLock { ($0.agents[$0.agentID]!, $0.session) }
    do {
      try services.checkInputSize(text)
    } catch {
      console.error(error)
      return error
    }
    let printer = RunEventPrinter(console: console, showsActivity: options.interactive && console.interactive)
    let services = self.services
    let (streaming, maxTurns) = (options.streaming, options.maxTurns)
    // Created under the lock, so a Ctrl-C that arrives once the request is out always finds the task.
    let task = replyTask.withLock { current in
      let task = Task {
        await services.ask(
          agent, input: text, session: session, maxTurns: maxTurns, streamed: streaming, onEvent: printer.handle)
      }
      current = task
      return task
    }
    let outcome = await withTaskCancellationHandler {
      await task.value
    } onCancel: {
      task.cancel()
    }
    replyTask.withLock { $0 = nil }
    if outcome.error == nil, !streaming || !printer.wroteText {
      printer.handle(.textDelta(outcome.result.finalOutput))
    }
    printer.finish()
    printer.markCached(outcome.result)
    printer.markTruncated(outcome.result)
    state.withLock { $0.statistics.add(outcome) }
    guard let error = outcome.error else { return nil }
    if error.code == .interrupted {
      if options.interactive { console.print(console.style.dim("(cancelled)")) }
    } else {
      console.error(error)
    }
    return error
  }

  func banner() -> String {
    let (name, model) = state.withLock { state in
      (state.agents[state.agentID]!.name, state.agents[state.agentID]!.model?.name ?? "")
    }
    let style = services.console.style
    return style.bold("\(name)") + style.dim(" · \(model) · \(services.settings.server)") + "\n"
      + style.dim("Type a message, /help for commands; Ctrl-C cancels an answer, Ctrl-D quits.")
  }

  static func newSessionID() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    return "chat-" + formatter.string(from: Date())
  }

  /// The stored session `id`.
  ///
  /// - Throws: ``AppError`` `store_unavailable` when the store cannot be written (see
  ///   ``AppServices/requireSessionStore(for:)``).
  static func session(_ id: String, services: AppServices) throws(AppError) -> any Session {
    SQLiteSession(sessionID: id, store: try services.requireSessionStore(for: id))
  }
}

/// The mutable state of a chat.
struct ChatState {
  var agentID: String
  /// Agents built so far by id, so switching back and forth is instant.
  var agents: [String: Agent]
  var modelOverride: String?
  var session: any Session
  var statistics = ChatStatistics()
}
