/// Lists the models a server has, for checking names (`/model`, `--model`) and for suggestions.
package protocol ModelDirectory: Sendable {
  /// The names of the installed models (e.g. `llama3.2:latest`).
  func installedModelNames() async throws -> [String]
  /// Whether models can be pulled onto the server (`agents models pull`: Ollama only).
  var canPull: Bool { get }
}

extension ModelDirectory {
  /// The installed name `requested` refers to (`llama3.2` matches `llama3.2:latest`).
  ///
  /// - Throws: ``AppError`` `modelNotFound` with the closest installed names, or the server's error.
  package func resolveInstalledModel(_ requested: String) async throws -> String {
    let wanted = requested.trimmingWhitespace()
    let installed: [String]
    do {
      installed = try await installedModelNames()
    } catch {
      throw AppError.from(error)
    }
    if installed.contains(wanted) { return wanted }
    if !wanted.contains(":"), installed.contains(wanted + ":latest") { return wanted }
    if wanted.hasSuffix(":latest"), installed.contains(String(wanted.dropLast(7))) { return wanted }
    let suggestions = Suggestions.closest(to: wanted, in: installed)
    guard canPull else {
      // llama.cpp, vLLM and the like serve the models they were started with; nothing can be pulled onto them.
      let listed = installed.prefix(8).joined(separator: ", ")
      let fix =
        installed.isEmpty
        ? "start the server with that model" : "use a model the server serves (\(listed)), or restart it with that one"
      throw AppError(.modelNotFound, "model '\(wanted)' is not served by the server", fix: fix)
    }
    var fix = "run 'agents models pull \(wanted)'"
    if !suggestions.isEmpty {
      fix += ", or use an installed model: " + suggestions.joined(separator: ", ")
    } else if !installed.isEmpty {
      fix += " (installed: " + installed.prefix(8).joined(separator: ", ") + ")"
    }
    throw AppError(.modelNotFound, "model '\(wanted)' is not installed on the server", fix: fix)
  }
}

/// Everything the commands share: resolved settings, output, the model provider, the store and the
/// server's model list.
package struct AppServices: Sendable {
  /// The resolved settings.
  package var settings: ServerSettings
  /// Where output goes.
  package var console: Console
  /// What the terminal can do.
  package var capabilities: TerminalCapabilities
  /// The directory the coding assistant's file tools are confined to.
  package var workspaceRoot: String
  /// Turns model names into models for the runner.
  package var modelProvider: any ModelProvider
  /// The server's installed models.
  package var modelDirectory: any ModelDirectory
  /// Run records (for `agents stats`), when the data directory is usable.
  package var runStore: RunStore?
  /// Stored chat sessions, when the data directory is usable.
  package var sessionStore: SessionStore?
  /// Where runs are recorded when the store opens only to record them (``AppBootstrap/StoreUse/afterAnswer``);
  /// ``runStore``, ``sessionStore`` and ``storeProblem`` are then `nil`.
  package var deferredRunStore: DeferredRunStore?
  /// Why the data directory's store cannot be written (or opened), when it cannot; ``requireSessionStore()``
  /// and `agents stats` report it.
  package var storeProblem: StoreError?
  /// The creative writer's style.
  package var writingStyle: WritingStyle
  /// Where metrics go (no-ops unless the process bootstrapped a swift-metrics backend).
  package var metrics: AgentsMetricsRecorder
  /// What the server says about the models of a run: their context lengths (used when neither the agent nor the
  /// settings name one) and the sizes of models whose names state none (the model provider reads them).
  package var modelFacts: ModelFactsSource
  /// The runner every question goes through (with ``runnerConfiguration`` laid over it), so what one run learns
  /// about a model's tokenizer and context (and its structured-output support) serves the next chat turn.
  private let sharedRunner = Runner()
  /// The data directory's path, when there is a usable one (results files, the store, `ask`'s paused runs).
  package var dataDirectoryPath: String?
  /// `--system`, `--temperature`, `-o`: what `ask` and `chat` change in every agent.
  package var agentOverrides = AgentOverrides()
  /// The configuration file's MCP servers, shared by every agent made here; stopped by ``shutDown()``.
  package var mcpServers: MCPServerSet
  /// The thread the model server's responses arrive on (the HTTP transport's event loop), where
  /// ``alone(_:)`` runs a question; `nil` runs it on the concurrency pool.
  package var networkExecutor: (any TaskExecutor)?

  /// Creates the services.
  package init(
    settings: ServerSettings, console: Console, capabilities: TerminalCapabilities, workspaceRoot: String,
    modelProvider: any ModelProvider, modelDirectory: any ModelDirectory, runStore: RunStore? = nil,
    sessionStore: SessionStore? = nil, storeProblem: StoreError? = nil, writingStyle: WritingStyle = .standard,
    metrics: AgentsMetricsRecorder = AgentsMetricsRecorder(),
    modelFacts: ModelFactsSource = .none, mcpServers: MCPServerSet = .empty
  ) {
    self.settings = settings
    self.console = console
    self.capabilities = capabilities
    self.workspaceRoot = workspaceRoot
    self.modelProvider = modelProvider
    self.modelDirectory = modelDirectory
    self.runStore = runStore
    self.sessionStore = sessionStore
    self.storeProblem = storeProblem
    self.writingStyle = writingStyle
    self.metrics = metrics
    self.modelFacts = modelFacts
    self.mcpServers = mcpServers
  }

  /// Runs `question`, a run that is the only one in progress (a chat turn, `ask`, a scenario of `test`, the runs of
  /// `bench` at concurrency 1), on the thread the model server's responses arrive on.
  ///
  /// Each streamed model call is read on that thread anyway; with the whole run there too, nothing is handed from
  /// the concurrency pool to the network thread when a request goes out, nor back when its answer ends: two thread
  /// wake-ups fewer per model call, and on a machine whose cores the model server keeps busy, less time taken from
  /// it. Runs that may overlap (`mcp serve`, `bench` at higher concurrency) stay on the pool, where they can use
  /// every core. Work that blocks (terminal reads, subprocesses, the store) already runs on threads of its own.
  package func alone<T: Sendable>(_ question: () async -> T) async -> T {
    await withTaskExecutorPreference(networkExecutor, operation: question)
  }

  /// Stops what the command started and did not stop itself (the MCP servers' processes and sessions).
  package func shutDown() async {
    await mcpServers.cleanup()
    await deferredRunStore?.settle()
  }

  /// The agents of these settings; `modelOverride` replaces every agent's model (chat's `/model`), `promptGuard`
  /// turns every agent's prompt-injection guard on or off (chat's `/guard`).
  package func factory(modelOverride: String? = nil, promptGuard: Bool? = nil) -> AgentFactory {
    var settings = self.settings
    if let modelOverride { settings.modelOverride = modelOverride }
    var factory = AgentFactory(
      settings: settings, workspaceRoot: workspaceRoot, writingStyle: writingStyle, mcpServers: mcpServers)
    factory.guardsPromptInjection = promptGuard
    factory.overrides = agentOverrides
    return factory
  }

  /// The store for a session the user asked to keep (`--session`, `/session`), or the reason it cannot be kept.
  ///
  /// - Throws: ``AppError`` `store_unavailable` (exit 73) naming the real cause (read-only, full disk, not a
  ///   database, …), before any model is called.
  package func requireSessionStore(for sessionID: String) throws(AppError) -> SessionStore {
    if let sessionStore, storeProblem == nil { return sessionStore }
    let cause =
      storeProblem?.message ?? "no data directory could be found (AGENTS_HOME, XDG_DATA_HOME and HOME are unset)"
    throw AppError(
      .storeUnavailable, "session '\(sessionID)' cannot be saved, so nothing was asked: \(cause)",
      fix: "or ask without --session (then nothing is kept)")
  }

  /// The service that runs questions and records them.
  package var conversation: ConversationService {
    var runner = sharedRunner
    runner.configuration = runnerConfiguration
    return ConversationService(
      runner: runner, runStore: runStore ?? deferredRunStore, server: settings.server, metrics: metrics)
  }

  /// The `run_code` tool and the languages this machine runs, found once.
  private static let codeRunningTool = ToolCatalog(workspaceRoot: "/").codeRunningTool

  /// The runner's settings: the model provider, the input-size limit, the tool-calling strategy (`tool_calling`),
  /// and repetition detection (an answer that keeps repeating itself is stopped and marked, with the SDK's default
  /// thresholds).
  package var runnerConfiguration: Runner.Configuration {
    Runner.Configuration(
      modelProvider: modelProvider,
      toolCalling: settings.values.text(.toolCalling).flatMap(ToolCallingStrategy.init(rawValue:)) ?? .automatic,
      maxInputCharacters: settings.maxInputCharacters, repetitionDetection: RepetitionDetector.Configuration(),
      codeRunningTool: Self.codeRunningTool)
  }

  /// Checks `input` against the input-size limit before anything is sent.
  ///
  /// - Throws: ``AppError`` `invalid_input` saying the size, the limit and how to raise it.
  package func checkInputSize(_ input: String) throws(AppError) {
    do {
      try runnerConfiguration.checkInputSize([.user(input)])
    } catch {
      throw AppError.from(error)
    }
  }

  /// Asks `agent` one question like ``ConversationService/ask(_:input:history:session:maxTurns:streamed:approvals:resuming:preparing:onEvent:)``,
  /// first giving it (and the agents it hands off to) its model's context length where none is set, so
  /// history is trimmed to fit, and looking up the size of a model whose name states none (``ModelFactsSource``);
  /// cancelling the task cancels the lookup too.
  ///
  /// - Parameter deadline: Seconds the whole question may take, lookups, every turn and retries included
  ///   (a ``RequestBudget``); `nil`: no limit beyond each request's own timeouts.
  package func ask(
    _ agent: Agent, input: String, history: [Item] = [], session: (any Session)? = nil, maxTurns: Int?,
    streamed: Bool, approvals: ConversationApprovals = .rejectUnattended, resuming state: RunState? = nil,
    deadline: Double?, onEvent: @Sendable (RunEvent) -> Void = { _ in }
  ) async -> ConversationOutcome {
    let modelFacts = self.modelFacts
    let conversation = self.conversation
    func question() async -> ConversationOutcome {
      await conversation.ask(
        agent, input: input, history: history, session: session, maxTurns: maxTurns, streamed: streamed,
        approvals: approvals, resuming: state, preparing: { try await modelFacts.apply(to: agent) },
        onEvent: onEvent)
    }
    guard let deadline else { return await question() }
    return await RequestBudget.withBudget(.milliseconds(Int64(deadline * 1000)), question)
  }
}
