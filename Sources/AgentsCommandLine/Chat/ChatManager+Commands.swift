import Synchronization
import Foundation

extension ChatManager {
  /// What a slash command asks the loop to do next.
  enum CommandResult: Equatable {
    case proceed
    case quit
  }

  /// Runs one slash command.
  func perform(_ command: SlashCommand) async -> CommandResult {
    let console = services.console
    switch command {
    case .quit:
      return .quit
    case .help:
      let width = SlashCommand.reference.map(\.usage.count).max() ?? 0
      for (usage, summary) in SlashCommand.reference {
        console.print(usage.padding(toLength: width + 2, withPad: " ", startingAt: 0) + console.style.dim(summary))
      }
    case .agents:
      let (current, factory) = state.withLock { ($0.agentID, services.factory(modelOverride: $0.modelOverride)) }
      let idWidth = factory.catalog.ids.map(\.count).max() ?? 0
      let nameWidth = factory.catalog.definitions.map(\.name.count).max() ?? 0
      for definition in factory.catalog.definitions {
        let marker = definition.id == current ? "*" : " "
        console.print(
          "\(marker) " + definition.id.padding(toLength: idWidth + 2, withPad: " ", startingAt: 0)
            + definition.name.padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0)
            + console.style.dim(factory.modelForAgent(definition)))
      }
    case .agent(let id):
      switchAgent(to: id)
    case .model(let name):
      await switchModel(to: name)
    case .history:
      let session = state.withLock { $0.session }
      do {
        let lines = ChatTranscript.lines(of: try await session.items(limit: nil), style: console.style)
        console.print(lines.isEmpty ? console.style.dim("(no messages yet)") : lines.joined(separator: "\n"))
      } catch {
        console.error(AppError.from(error))
      }
    case .clear:
      let session = state.withLock { $0.session }
      do {
        try await session.clear()
        confirm("Conversation cleared.")
      } catch {
        console.error(AppError.from(error))
      }
    case .saveReplacing(let path):
      await save(to: path, replacing: true)
    case .save(let path):
      await save(to: path, replacing: false)
    case .sessions:
      await listSessions()
    case .session(let id):
      await switchSession(to: id)
    case .stats:
      for line in state.withLock({ $0.statistics.lines() }) { console.print(line) }
    case .missingArgument(let usage):
      console.error(AppError(.usage, "\(usage.split(separator: " ")[0]) needs an argument", fix: "type \(usage)"))
    case .unknown(let name, let suggestion):
      console.error(AppError(.usage, "unknown command \(name)\(suggestion)", fix: "type /help for the list"))
    }
    return .proceed
  }

  /// Prints a confirmation on a terminal only (piped chats print answers alone).
  func confirm(_ message: String) {
    if options.interactive { services.console.print(services.console.style.dim(message)) }
  }

  private func switchAgent(to id: String) {
    do {
      let name = try state.withLock { state throws(AppError) -> String in
        let factory = services.factory(modelOverride: state.modelOverride)
        let definition = try factory.catalog.definition(id: id)
        if state.agents[definition.id] == nil { state.agents[definition.id] = try factory.makeAgent(id: definition.id) }
        state.agentID = definition.id
        return "\(definition.name) (\(factory.modelForAgent(definition)))"
      }
      confirm("Now talking to \(name).")
    } catch {
      services.console.error(error)
    }
  }

  private func switchModel(to name: String) async {
    do {
      let model = try await services.modelDirectory.resolveInstalledModel(name)
      let (agentName, previous) = try state.withLock { state throws(AppError) in
        let previous = state.agents[state.agentID]?.model?.name ?? ""
        let agent = try services.factory(modelOverride: model).makeAgent(id: state.agentID)
        state.modelOverride = model
        state.agents = [state.agentID: agent]
        return (agent.name, previous)
      }
      // Logged at debug level and stored as a statistic; never a reason to fail the switch.
      try? await RunRecorder(runs: services.runStore, metrics: services.metrics)
        .recordModelSwitch(ModelSwitch(agent: agentName, fromModel: previous, toModel: model, reason: "user"))
      confirm("Model switched to \(model).")
    } catch {
      services.console.error(AppError.from(error))
    }
  }

  /// Saves the conversation as Markdown through ``SafeFileWriter``: an existing file is replaced only with
  /// `/save!` or when the user answers yes at a terminal; links, FIFOs and devices are refused.
  private func save(to path: String, replacing: Bool) async {
    let session = state.withLock { $0.session }
    do {
      let items = try await session.items(limit: nil)
      let markdown = Data(ChatTranscript.markdown(of: items, sessionID: session.sessionID).utf8)
      var replace = replacing
      let expanded = (path as NSString).expandingTildeInPath
      if !replace, options.interactive, case .regularFile = try SafeFileWriter.inspect(expanded) {
        guard case .line(let answer) = await input.readLine(prompt: "\(expanded) exists. Replace it? [y/N] "),
          ["y", "yes"].contains(answer.trimmingWhitespace().lowercased())
        else {
          confirm("Not saved.")
          return
        }
        replace = true
      }
      let written = try SafeFileWriter.write(markdown, to: path, replacing: replace)
      confirm("Saved \(items.count) items to \(written).")
    } catch {
      services.console.error(AppError.from(error))
    }
  }

  private func listSessions() async {
    let console = services.console
    guard let store = services.sessionStore else {
      let cause = services.storeProblem?.message ?? "there is no data directory"
      console.error(AppError(.storeUnavailable, "sessions are not saved: \(cause)", fix: "set AGENTS_HOME to a writable directory"))
      return
    }
    do {
      let current = state.withLock { $0.session.sessionID }
      let sessions = try await store.sessions()
      if sessions.isEmpty { console.print(console.style.dim("(no saved sessions)")) }
      for summary in sessions {
        let marker = summary.sessionID == current ? "*" : " "
        console.print("\(marker) \(summary.sessionID)  " + console.style.dim("\(summary.itemCount) items, updated \(summary.updatedAt.formatted(date: .abbreviated, time: .shortened))"))
      }
    } catch {
      console.error(AppError.from(error))
    }
  }

  private func switchSession(to id: String) async {
    do {
      let session = try Self.session(id, services: services)
      let count = try await session.items(limit: nil).count
      state.withLock { $0.session = session }
      confirm(count == 0 ? "Started session \(id)." : "Resumed session \(id) (\(count) items).")
    } catch {
      services.console.error(AppError.from(error))
    }
  }
}
