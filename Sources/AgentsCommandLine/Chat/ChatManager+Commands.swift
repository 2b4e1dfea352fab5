import Foundation
import Synchronization

extension ChatManager {
  /// What a slash command asks the loop to do next.
  enum CommandResult: Equatable {
    case proceed
    case quit
  }

  /// Runs one slash command. Commands that only show something (`/agent`, `/model`, `/session` without an argument)
  /// print on piped chats too: their output is what was asked for.
  func perform(_ command: SlashCommand) async -> CommandResult {
    let console = services.console
    switch command {
    case .quit:
      return .quit
    case .help:
      let columns = console.interactive ? TerminalCapabilities.columns() - 1 : nil
      for line in SlashCommand.helpLines(columns: columns, style: console.style) { console.print(line) }
    case .agents:
      listAgents()
    case .agent(let id?):
      switchAgent(to: id)
    case .tools:
      await listTools()
    case .agent(nil):
      listAgents()
      console.print(console.style.dim("/agent ID switches; the conversation continues."))
    case .model(let name?):
      await switchModel(to: name)
    case .model(nil):
      await showModels()
    case .history:
      await showHistory()
    case .clear:
      await startNewConversation()
    case .save(let path):
      await save(to: path, replacing: false)
    case .saveReplacing(let path):
      await save(to: path, replacing: true)
    case .sessions:
      await listSessions()
    case .session(let id?):
      await switchSession(to: id)
    case .session(nil):
      await showSession()
    case .promptGuard(let on):
      setPromptGuard(on)
    case .stats:
      let (lines, on) = state.withLock { ($0.statistics.lines(), $0.showsStats) }
      for line in lines { console.print(line) }
      console.print(console.style.dim("A stats line after each answer is \(on ? "on" : "off"); /stats \(on ? "off" : "on") switches it."))
    case .statsLine(let on):
      state.withLock { $0.showsStats = on }
      confirm(on ? "A stats line follows each answer." : "No stats line after answers.")
    case .reasoning(let on?):
      state.withLock { $0.showsReasoning = on }
      confirm(on ? "The model's reasoning is shown, dimmed." : "The model's reasoning is hidden.")
    case .reasoning(nil):
      let on = state.withLock { $0.showsReasoning }
      console.print("reasoning: \(on ? "shown (dimmed)" : "hidden")")
      console.print(console.style.dim("/reasoning on|off switches it; models that do not reason show none."))
    case .missingArgument(let usage):
      console.error(AppError(.usage, "\(usage.split(separator: " ")[0]) needs an argument", fix: "type \(usage)"))
    case .invalidArgument(let message, let usage):
      console.error(AppError(.usage, message, fix: "type \(usage)"))
    case .unknown(let name, let suggestion):
      console.error(AppError(.usage, "unknown command \(name)\(suggestion)", fix: "type /help for the list"))
    }
    return .proceed
  }

  /// Prints a confirmation on a terminal only (piped chats print answers alone), broken between words to fit it.
  func confirm(_ message: String) {
    guard options.interactive else { return }
    let console = services.console
    for line in WordWrap.lines(message, width: TerminalCapabilities.columns() - 1) {
      console.print(console.style.dim(line))
    }
  }

  /// Reports an error in the chat's terms: slash commands instead of the shell commands that do the same.
  func report(_ error: AppError) {
    var error = error
    error.fix = error.fix.map(Self.inChatTerms)
    services.console.error(error)
  }

  /// `fix` with shell commands replaced by the slash commands that do the same inside the chat.
  static func inChatTerms(_ fix: String) -> String {
    fix.replacing("(see 'agents list')", with: "(see /agents)")
      .replacing("('agents models' lists capabilities)", with: "(/model lists the installed ones)")
  }

  private func listAgents() {
    let console = services.console
    let (current, factory) = state.withLock { ($0.agentID, $0.factory(services)) }
    let idWidth = factory.catalog.ids.map(\.count).max() ?? 0
    let nameWidth = factory.catalog.definitions.map(\.name.count).max() ?? 0
    for definition in factory.catalog.definitions {
      let marker = definition.id == current ? "*" : " "
      console.print(
        "\(marker) " + definition.id.padding(toLength: idWidth + 2, withPad: " ", startingAt: 0)
          + definition.name.padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0)
          + console.style.dim(factory.modelForAgent(definition)))
    }
  }

  private func switchAgent(to id: String) {
    do {
      let name = try state.withLock { state throws(AppError) -> String in
        let factory = state.factory(services)
        let definition = try factory.catalog.definition(id: id)
        if state.agents[definition.id] == nil { state.agents[definition.id] = try factory.makeAgent(id: definition.id) }
        state.agentID = definition.id
        return "\(definition.name) (\(factory.modelForAgent(definition)))"
      }
      confirm("Now talking to \(name).")
    } catch {
      report(error)
    }
  }

  /// `/model`: the current agent's model and the installed models (the current one starred).
  private func showModels() async {
    let console = services.console
    let current = state.withLock { $0.agents[$0.agentID]?.model?.name ?? services.settings.defaultModel }
    console.print("model: \(current)")
    do {
      let installed = try await services.modelDirectory.installedModelNames().sorted()
      guard !installed.isEmpty else {
        console.print(console.style.dim("The server lists no installed models."))
        return
      }
      for name in installed {
        let same = name == current || name == current + ":latest"
        console.print((same ? "* " : "  ") + name)
      }
      console.print(console.style.dim("/model NAME switches every agent to NAME."))
    } catch {
      report(AppError.from(error))
    }
  }

  private func switchModel(to name: String) async {
    do {
      let model = try await services.modelDirectory.resolveInstalledModel(name)
      let (agentName, previous) = try state.withLock { state throws(AppError) in
        let previous = state.agents[state.agentID]?.model?.name ?? ""
        var overridden = state
        overridden.modelOverride = model
        let agent = try overridden.factory(services).makeAgent(id: state.agentID)
        state.modelOverride = model
        state.agents = [state.agentID: agent]
        return (agent.name, previous)
      }
      // Logged at debug level and stored as a statistic; never a reason to fail the switch.
      try? await RunRecorder(runs: services.runStore, metrics: services.metrics)
        .recordModelSwitch(ModelSwitch(agent: agentName, fromModel: previous, toModel: model, reason: "user"))
      confirm("Model switched to \(model).")
    } catch {
      var error = AppError.from(error)
      if error.code == .modelNotFound {
        error.fix =
          services.modelDirectory.canPull
          ? "type /model to see the installed models, or pull it in another terminal: 'agents models pull \(name)'"
          : "type /model to see the models this server serves"
      }
      report(error)
    }
  }

  /// `/guard [on|off]`: shows or switches the prompt-injection guard of every agent.
  private func setPromptGuard(_ on: Bool?) {
    let console = services.console
    guard let on else {
      let (guarded, explicit) = state.withLock { state in
        (state.agents[state.agentID].map { !$0.inputGuardrails.isEmpty } ?? false, state.promptGuard != nil)
      }
      let how = explicit ? "" : " (as the agent is defined)"
      console.print("prompt-injection guard: \(guarded ? "on" : "off")\(how)")
      console.print(console.style.dim(
        "It refuses messages that read like attempts to override the agent's instructions; /guard on|off switches it."))
      return
    }
    do {
      try state.withLock { state throws(AppError) in
        var changed = state
        changed.promptGuard = on
        let agent = try changed.factory(services).makeAgent(id: state.agentID)
        state.promptGuard = on
        state.agents = [state.agentID: agent]
      }
      confirm(on ? "Prompt-injection guard on for every agent." : "Prompt-injection guard off for every agent.")
    } catch {
      report(error)
    }
  }
}
