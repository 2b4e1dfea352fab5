/// `agents ask`: one question to one agent, streamed by default, with an optional JSON result.
@MemberwiseInit
package struct AskCommand: Sendable {
  /// The command's arguments.
  @MemberwiseInit
  package struct Arguments: Sendable {
    /// The agent id.
    package var agentID: String = AgentCatalog.defaultAgentID
    /// The prompt words; a single `-` reads the prompt from standard input.
    package var prompt: [String]
    /// A stored session to continue (and save to).
    package var sessionID: String?
    /// Print one JSON object (the conversation result) instead of the answer.
    package var json: Bool = false
    /// Stream the answer (the default) or wait for all of it.
    package var streaming: Bool = true
    /// The most model calls.
    package var maxTurns: Int = Runner.defaultMaxTurns
    /// Whether an answer on a terminal is rendered as Markdown (it is always wrapped at the terminal's width).
    package var markdown: Bool = true
    /// Whether the model's reasoning is shown dimmed on a terminal.
    package var showsReasoning: Bool = true
    /// Whether a stats line (tokens, tokens/s, time to first token) follows the answer, on standard error.
    package var showsStats: Bool = false
    /// Tools whose calls run without asking (`--approve TOOL`).
    package var approvedTools: [String] = []
    /// Run every call that needs approval (`--approve-all`).
    package var approveAll: Bool = false
    /// Tools whose calls are refused, the model told so (`--reject TOOL`).
    package var rejectedTools: [String] = []
    /// A paused run's state file to continue instead of asking (`--resume FILE`).
    package var resumePath: String?
  }

  /// The shared services.
  package var services: AppServices
  /// Reads all of standard input (for the `-` prompt).
  package var readStandardInput: @Sendable () async -> String

  /// The prompt text, from the arguments or standard input, or both: with a prompt and piped input
  /// (`cat log | agents ask 'summarise'`) the message is the piped text, a blank line, then the prompt (as `llm` does).
  ///
  /// - Throws: ``AppError`` `usage` when it is empty.
  package func prompt(from arguments: Arguments) async throws(AppError) -> String {
    var text: String
    if arguments.prompt == ["-"] {
      text = await readStandardInput()
    } else {
      text = arguments.prompt.joined(separator: " ")
      if !services.capabilities.inputIsTerminal, !text.trimmingWhitespace().isEmpty {
        let piped = await readStandardInput().trimmingWhitespace()
        if !piped.isEmpty { text = piped + "\n\n" + text }
      }
    }
    let trimmed = text.trimmingWhitespace()
    guard !trimmed.isEmpty else {
      throw AppError(
        .usage, "the prompt is empty",
        fix: arguments.prompt == ["-"]
          ? "pipe the question into standard input, e.g. echo 'What is 2+2?' | agents ask -"
          : "give the question as arguments, e.g. agents ask 'What is 2+2?', or '-' to read it from standard input")
    }
    return trimmed
  }

  /// Runs the command and returns the exit status.
  ///
  /// - Parameter cancellation: Runs the answer so that Ctrl-C cancels it (the CLI passes the
  ///   interrupt monitor); tests pass a plain call.
  package func run(
    _ arguments: Arguments,
    cancellation: @Sendable (@escaping @Sendable () async -> ConversationOutcome) async -> ConversationOutcome = {
      await $0()
    }
  ) async -> Int32 {
    let console = services.console
    do {
      try Setting.maxTurns.check(arguments.maxTurns)
      let files = services.dataDirectoryPath.map(PausedRunFiles.init(directory:))
      let request = try await request(for: arguments, files: files)
      let session = try request.sessionID.map { id throws(AppError) in try ChatManager.session(id, services: services) }
      let approvals = ConversationApprovals.approving(
        Set(arguments.approvedTools), all: arguments.approveAll, rejecting: Set(arguments.rejectedTools))
      let (agent, input, state) = (request.agent, request.input, request.state)
      let printsText = !arguments.json
      let terminal = console.interactive && printsText
      let printer = RunEventPrinter(
        console: console,
        configuration: .init(
          showsActivity: terminal,
          layout: terminal
            ? .init(width: TerminalCapabilities.columns(), style: console.style, markdown: arguments.markdown) : nil,
          showsReasoning: terminal && arguments.showsReasoning,
          waitingLabel: terminal ? "waiting for \(agent.model?.name ?? "the model")" : nil))
      if terminal { LogHold.begin() }
      printer.startWaiting()
      var outcome = await cancellation {
        await services.alone {
          await services.ask(
            agent, input: input, session: session, maxTurns: arguments.maxTurns, streamed: arguments.streaming,
            approvals: approvals, resuming: state,
            deadline: services.settings.questionDeadline,
            onEvent: { event in if printsText { printer.handle(event) } })
        }
      }
      if var paused = outcome.state {
        paused.metadata[PausedRunFiles.agentKey] = request.agentID
        paused.metadata[PausedRunFiles.promptKey] = input
        paused.metadata[PausedRunFiles.sessionKey] = request.sessionID
        outcome = try save(paused, outcome, files: files, replacing: arguments.resumePath)
      } else if let path = arguments.resumePath {
        files?.remove(path)  // the run went past its pause: resuming the file again would repeat approved calls
      }
      if arguments.json {
        console.print(jsonResult(outcome, arguments: arguments).jsonString)
      } else {
        if outcome.error == nil, !arguments.streaming || !printer.wroteText {
          printer.handle(.textDelta(outcome.result.finalOutput))
        }
        printer.finish()
        if terminal { LogHold.end() }
        printer.markCached(outcome.result)
        printer.markTruncated(outcome.result)
        if arguments.showsStats, outcome.error == nil {
          console.err.write(console.style.dim(ChatStatistics.answerLine(outcome)) + "\n")
        }
      }
      if let error = outcome.error {
        if !arguments.json, error.code == .approvalRequired { showPending(outcome.result.pendingApprovals) }
        if !arguments.json || error.code != .interrupted { console.error(error) }
        return error.exitStatus
      }
      return 0
    } catch {
      let appError = AppError.from(error)
      console.error(appError)
      // With --json there is always one JSON object on standard output, also when nothing was asked.
      if arguments.json {
        console.print(
          JSONValue.object([
            "success": false, "error": .string(appError.description), "error_code": .string(appError.code.description),
            "agent": .string(arguments.agentID), "session_id": arguments.sessionID.map(JSONValue.string) ?? .null,
          ]).jsonString)
      }
      return appError.exitStatus
    }
  }

  /// The `--json` object: the conversation result plus the id of the agent that answered (`agent`; `agent_name` is its
  /// display name), the time in milliseconds as the other commands give times (`duration_ms`; `execution_time` stays
  /// in seconds), the session id (or null) and the error's code (or null).
  func jsonResult(_ outcome: ConversationOutcome, arguments: Arguments) -> JSONValue {
    guard case .object(var object) = outcome.result.json else { return outcome.result.json }
    let answered = outcome.lastAgent.flatMap { services.factory().catalog.definition(named: $0.name)?.id }
    object["agent"] = .string(answered ?? arguments.agentID)
    object["duration_ms"] = .double((outcome.result.executionTime * 1_000_000).rounded() / 1000)
    object["session_id"] = arguments.sessionID.map(JSONValue.string) ?? .null
    object["error_code"] = outcome.error.map { .string($0.code.description) } ?? .null
    return .object(object)
  }

  /// What to run: a new question, or a paused run to continue.
  struct Request {
    var agentID: String
    var agent: Agent
    var input: String
    var sessionID: String?
    var state: RunState?
  }

  func request(for arguments: Arguments, files: PausedRunFiles?) async throws(AppError) -> Request {
    let factory = services.factory()
    guard let path = arguments.resumePath else {
      let input = try await prompt(from: arguments)
      try services.checkInputSize(input)
      return Request(
        agentID: arguments.agentID, agent: try factory.makeAgent(id: arguments.agentID), input: input,
        sessionID: arguments.sessionID)
    }
    guard arguments.prompt.isEmpty else {
      throw AppError(
        .usage, "--resume continues a paused run, so it takes no prompt",
        fix: "drop the prompt, or drop --resume to ask a new question")
    }
    guard arguments.sessionID == nil else {
      throw AppError(.usage, "--resume continues the paused run in its own session", fix: "drop --session")
    }
    guard let files else { throw Self.noDataDirectory }
    var agentID = ""
    let state = try files.load(path) { id throws(AppError) in
      agentID = id
      return try factory.makeAgent(id: id)
    }
    return Request(
      agentID: agentID, agent: state.startingAgent, input: state.metadata[PausedRunFiles.promptKey] ?? "",
      sessionID: state.metadata[PausedRunFiles.sessionKey], state: state)
  }

  /// Saves the paused run and names its file in the outcome and the error's advice.
  private func save(
    _ state: RunState, _ outcome: ConversationOutcome, files: PausedRunFiles?, replacing path: String?
  ) throws(AppError) -> ConversationOutcome {
    var outcome = outcome
    guard let files else {
      let fix = outcome.error?.fix ?? ""
      outcome.error?.fix = fix + "; the run could not be saved to continue it later (no data directory)"
      return outcome
    }
    let saved = try files.save(state, replacing: path)
    outcome.result.stateFile = saved
    let tools = Array(Set(state.undecided.map(\.toolName))).sorted()
    let approve = tools.map { "--approve \(Self.shellQuoted($0))" }.joined(separator: " ")
    outcome.error?.fix = "allow it with \(approve) (or --approve-all): ask again, or continue this run with "
      + "agents ask --resume \(Self.shellQuoted(saved)) \(approve)"
    outcome.result.error = outcome.error?.description
    return outcome
  }

  /// Shows what the pending calls would do (their diffs), on standard error.
  private func showPending(_ items: [ToolApprovalItem]) {
    let console = services.console
    for item in items {
      console.err.write(console.style.bold(ApprovalPrompt.describe(item.call)) + "\n")
      if let preview = item.preview, !preview.isEmpty {
        console.err.write(ApprovalPrompt.render(preview: preview, style: console.style) + "\n")
      }
    }
  }

  static let noDataDirectory = AppError(
    .storeUnavailable, "paused runs are kept in the data directory, and none could be found",
    fix: "set AGENTS_HOME to a writable directory")

  static func shellQuoted(_ text: String) -> String {
    let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@".contains($0) }
    return safe && !text.isEmpty ? text : "'" + text.replacing("'", with: "'\\''") + "'"
  }
}
