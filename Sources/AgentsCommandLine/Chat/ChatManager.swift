import Foundation
import Logging
import OpenAICompatible
import Synchronization

/// The interactive conversation behind `agents chat`: reads lines, runs slash commands, streams each
/// answer, and lets Ctrl-C cancel the answer in progress.
///
/// It needs no terminal: input comes from any ``LineInput`` and output goes to the services' console,
/// so tests drive it with scripted lines and a ``ScriptedModel``.
package final class ChatManager: Sendable {
  /// How a chat starts.
  @MemberwiseInit
  package struct Options: Sendable {
    /// The agent to start with.
    package var agentID: String = AgentCatalog.defaultAgentID
    /// The session to resume or create; `nil` starts a new one.
    package var sessionID: String?
    /// Whether answers stream token by token.
    package var streaming: Bool = true
    /// The most model calls per answer.
    package var maxTurns: Int? = Runner.defaultMaxTurns
    /// Whether the user is at a terminal: prompts, a banner and confirmations are shown only then.
    package var interactive: Bool
    /// Whether the user picked the agent (`--agent`); otherwise a model without tool support switches the chat to an
    /// agent that needs none.
    package var agentChosen: Bool = true
    /// Whether answers on a terminal are rendered as Markdown (they are always wrapped at its width).
    package var markdown: Bool = true
    /// Whether the model's reasoning is shown dimmed on a terminal (`/reasoning` switches it).
    package var showsReasoning: Bool = true
    /// Whether a stats line follows each answer (`/stats on|off` switches it).
    package var showsStats: Bool = false
  }

  let services: AppServices
  let input: any LineInput
  let options: Options
  let state: Mutex<ChatState>
  private let replyTask = Mutex<Task<ConversationOutcome, Never>?>(nil)
  /// Whether the chat has reached its prompts (its start-up checks are done).
  private let atPrompts = Mutex(false)

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
      ChatState(
        agentID: definition.id, agents: [definition.id: agent], session: session,
        showsReasoning: options.showsReasoning, showsStats: options.showsStats))
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

  /// What a Ctrl-C that reached the process (not the line editor) means: it cancels the answer in progress; on a
  /// terminal, once the chat is at its prompts, one that arrives between an answer and the next prompt is ignored
  /// (it was meant for that answer; at the prompt itself the line editor reads Ctrl-C).
  ///
  /// - Returns: Whether the chat handled it; `false` means the caller ends the chat (piped input, or still starting).
  package func handleInterrupt() -> Bool {
    if cancelReply() { return true }
    guard options.interactive, atPrompts.withLock({ $0 }) else { return false }
    Self.logger.info("Ctrl-C between an answer and the next prompt: ignored (at the prompt, Ctrl-C twice leaves)")
    return true
  }

  private static let logger = Logger(label: "ollama-agents.chat")

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
    if options.interactive {
      let server = await describeServer()
      console.print(banner(server: try? server.get()))
      if case .failure(let problem) = server, problem.code == .serverUnreachable {
        // The chat stays open (the server may be started now), but the person knows before typing a question.
        // A server that is only slow to list its models is not reported.
        console.warn(AppError.from(problem).description)
      }
      await announceResumedSession()
    }
    if let problem = services.storeProblem, state.withLock({ $0.session is InMemorySession }) {
      console.warn("this conversation is not saved: \(problem.message)")
    }
    var exitStatus: Int32 = 0
    // Ctrl-C at an empty prompt leaves only when pressed twice in a row (as in node's REPL): a second Ctrl-C meant
    // for an answer that had just ended must not end the chat.
    var leavingOnNextInterrupt = false
    atPrompts.withLock { $0 = true }
    while true {
      let read = await input.readLine(prompt: prompt())
      if case .interrupt(wasEmpty: true) = read, options.interactive {
        if leavingOnNextInterrupt { return exitStatus }
        leavingOnNextInterrupt = true
        console.print(console.style.dim("(press Ctrl-C again or Ctrl-D to leave the chat)"))
        continue
      }
      leavingOnNextInterrupt = false
      switch read {
      case .end:
        return exitStatus
      case .interrupt(let wasEmpty):
        if wasEmpty { return exitStatus }
      case .line(let line):
        var text = line.trimmingWhitespace()
        if text.isEmpty { continue }
        if text.hasPrefix(Self.multilineDelimiter) {
          guard let message = await readMultilineMessage(startingWith: text) else { continue }
          text = message
        } else if let command = SlashCommand.parse(text) {
          if await perform(command) == .quit { return exitStatus }
          continue
        } else if text.hasPrefix("//") {
          text.removeFirst()
        }
        if let error = await reply(to: text), error.code != .interrupted {
          exitStatus = options.interactive ? 0 : error.exitStatus
        }
      }
    }
  }

  /// The prompt: the current agent's id (bold), or nothing for piped input.
  func prompt() -> String {
    options.interactive ? services.console.style.bold(state.withLock { $0.agentID } + "> ") : ""
  }

  /// Opens and closes a message of several lines, as in `ollama run`.
  static let multilineDelimiter = "\"\"\""

  /// Reads the lines of a `"""` message up to the line that ends with `"""`; `nil` when Ctrl-C abandons it.
  ///
  /// The text after the opening `"""` is the first line; at the end of piped input the lines read so far are the
  /// message (nothing typed is dropped).
  func readMultilineMessage(startingWith first: String) async -> String? {
    let delimiter = Self.multilineDelimiter
    var lines: [String] = []
    var line = String(first.dropFirst(delimiter.count))
    let continuation = options.interactive ? services.console.style.dim("... ") : ""
    while true {
      if line.trimmingWhitespace().hasSuffix(delimiter) {
        var last = line.trimmingWhitespace()
        last.removeLast(delimiter.count)
        lines.append(last)
        break
      }
      lines.append(line)
      switch await input.readLine(prompt: continuation) {
      case .line(let next): line = next
      case .end: line = delimiter
      case .interrupt: return nil
      }
    }
    let message = lines.joined(separator: "\n").trimmingWhitespace()
    return message.isEmpty ? nil : message
  }

  /// On Ollama, checks before the first message that the starting agent's model is installed, so a
  /// typo in `--model` or a stopped server is reported at once (other servers may ignore model names).
  func checkModel() async -> AppError? {
    guard services.settings.provider == .ollama else { return nil }
    let model = state.withLock { $0.agents[$0.agentID]?.model?.name } ?? services.settings.defaultModel
    do {
      let installed = try await services.modelDirectory.resolveInstalledModel(model)
      await checkToolSupport(of: installed)
      return nil
    } catch {
      return AppError.from(error)
    }
  }

  /// What an OpenAI-compatible server tells about itself and the agent's model, for the banner, or why it could
  /// not be asked within 2 seconds; an empty description for Ollama (checked by ``checkModel()`` already).
  func describeServer() async -> Result<ServerDescription, ModelServerError> {
    guard services.settings.provider != .ollama else { return .success(ServerDescription()) }
    let model = state.withLock { $0.agents[$0.agentID]?.model?.name } ?? services.settings.defaultModel
    do {
      return .success(
        try await ChatCompletionsClient(config: services.settings.wireConfig)
          .describeServer(model: model, limit: .seconds(2)))
    } catch {
      return .failure(error)
    }
  }

  /// Answers one message; returns the error if the answer failed.
  func reply(to text: String) async -> AppError? {
    let console = services.console
    let (agent, session) = state.withLock { ($0.agents[$0.agentID]!, $0.session) }
    do {
      try services.checkInputSize(text)
    } catch {
      report(error)
      return error
    }
    let printer = RunEventPrinter(console: console, configuration: printerConfiguration(for: agent))
    let services = self.services
    let (streaming, maxTurns) = (options.streaming, options.maxTurns)
    // Created under the lock, so a Ctrl-C that arrives once the request is out always finds the task.
    let approvals = approvals(printer: printer)
    let task = replyTask.withLock { current in
      let task = Task {
        await services.alone {
          await services.ask(
            agent, input: text, session: session, maxTurns: maxTurns, streamed: streaming, approvals: approvals,
            deadline: services.settings.deadline, onEvent: printer.handle)
        }
      }
      current = task
      return task
    }
    let onTerminal = options.interactive && console.interactive
    if onTerminal { LogHold.begin() }
    printer.startWaiting()
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
    if onTerminal { LogHold.end() }
    printer.markCached(outcome.result)
    printer.markTruncated(outcome.result)
    let showsStats = state.withLock { state in
      state.statistics.add(outcome)
      return state.showsStats
    }
    if showsStats, outcome.error == nil {
      console.err.write(console.style.dim(ChatStatistics.answerLine(outcome)) + "\n")
    }
    if outcome.error == nil, let answered = outcome.lastAgent, answered !== agent { followHandoff(to: answered) }
    guard let error = outcome.error else { return nil }
    if error.code == .interrupted {
      if options.interactive { console.print(console.style.dim("(cancelled)")) }
    } else {
      report(error)
    }
    return error
  }

  /// How this chat answers tool calls that need approval: at a terminal it asks (``ApprovalPrompt``), and after
  /// `a` (always) allows that agent's tool without asking for the rest of this chat's session; with piped input
  /// it refuses them and says so, because the next input line is the user's next message, not an answer.
  func approvals(printer: RunEventPrinter) -> ConversationApprovals {
    let console = services.console
    guard options.interactive else {
      return ConversationApprovals { item in
        printer.finish()
        console.warn(
          "\(item.toolName) needs approval, which cannot be given when the chat's input is not a terminal; it did not run"
        )
        return .reject(
          message: "The call of '\(item.toolName)' needs the user's approval, which cannot be given here, so it did "
            + "not run. Answer without it.", always: false)
      }
    }
    let prompt = ApprovalPrompt(console: console, input: input)
    return ConversationApprovals { [self] item in
      printer.finish()
      let tool = AllowedTool(agent: item.agentName, tool: item.toolName)
      if state.withLock({ $0.alwaysAllowed.contains(tool) }) {
        console.print(console.style.dim("\(ApprovalPrompt.describe(item.call)): allowed (you answered always)"))
        return .approve(always: true)
      }
      let answer = await prompt.ask(item)
      if case .approve(always: true) = answer {
        state.withLock { _ = $0.alwaysAllowed.insert(tool) }
        console.print(console.style.dim("(\(item.toolName) runs without asking for the rest of this session)"))
      }
      return answer
    }
  }

  /// How answers are shown: on a terminal wrapped, rendered and with a spinner; piped, as plain text.
  private func printerConfiguration(for agent: Agent) -> RunEventPrinter.Configuration {
    let console = services.console
    let terminal = options.interactive && console.interactive
    return RunEventPrinter.Configuration(
      showsActivity: terminal,
      layout: terminal
        ? StreamingMarkdown.Configuration(
          width: TerminalCapabilities.columns(), style: console.style, markdown: options.markdown) : nil,
      showsReasoning: terminal && state.withLock { $0.showsReasoning },
      waitingLabel: terminal ? "waiting for \(agent.model?.name ?? "the model")" : nil)
  }

  /// After a handoff the conversation goes on with the agent that answered (the prompt shows it), as the Python SDK's
  /// REPL continues with `last_agent`; `/agent` switches back.
  private func followHandoff(to answered: Agent) {
    let factory = services.factory()
    let id = factory.catalog.definition(named: answered.name)?.id ?? answered.name
    let previous = state.withLock { state in
      defer {
        state.agents[id] = answered
        state.agentID = id
      }
      return state.agentID
    }
    guard previous != id else { return }
    confirm("(\(answered.name) answered; your next messages go to it too. /agent \(previous) switches back.)")
  }

  /// The first lines of an interactive chat, each short enough for an 80-column terminal with a local server (and
  /// broken between words on a narrower one): the agent, its model and the server (with its software when it says:
  /// `llama.cpp at http://…`; `agents doctor` shows the model's size and file; the model the server really uses when
  /// it answers for another name); the session and how to get help; the keys.
  func banner(server: ServerDescription? = nil) -> String {
    let (name, model, sessionID) = state.withLock { state in
      (state.agents[state.agentID]!.name, state.agents[state.agentID]!.model?.name ?? "", state.session.sessionID)
    }
    let style = services.console.style
    let software = server?.software.map { "\($0.rawValue) at " } ?? ""
    // A one-model server (llama.cpp) answers any name with its model: say which one, so a mistyped or wrong name
    // is seen.
    let shownModel =
      if let served = server?.model, served != model, served != model + ":latest" {
        "\(served) (the server's only model; it answers for \(model))"
      } else {
        model
      }
    let width = services.console.interactive ? TerminalCapabilities.columns() - 1 : Int.max
    let lines = [
      "\(name) · \(shownModel) · \(software)\(services.settings.server)",
      "session \(sessionID) · /help for commands · \"\"\" for several lines",
      "Ctrl-C cancels an answer · Ctrl-D quits",
    ].flatMap { WordWrap.lines($0, width: width) }
    // The agent's name in bold, everything else dim.
    let first =
      lines[0].hasPrefix(name)
      ? style.bold(name) + style.dim(String(lines[0].dropFirst(name.count))) : style.dim(lines[0])
    return ([first] + lines.dropFirst().map(style.dim)).joined(separator: "\n")
  }
}
