import AgentsCommandLine
import Foundation
import ArgumentParser

/// `agents chat`: an interactive conversation (or a scripted one from piped input).
struct ChatCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "chat",
    abstract: "Chat with an agent; type /help for commands.",
    discussion: "Ctrl-C cancels the answer in progress; Ctrl-C or Ctrl-D at an empty prompt exits. "
      + "With piped input, each line is a message or a slash command and only the answers are printed.")

  @Option(help: ArgumentHelp("The agent to start with (see 'agents list'; default triage).", valueName: "id"))
  var agent: String?

  @Option(help: ArgumentHelp("A saved session to resume, or a new session id.", valueName: "id"))
  var session: String?

  @Flag(name: .customLong("no-stream"), help: "Print each answer when it is complete.")
  var noStream = false

  @OptionGroup var global: GlobalOptionGroup

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    let services = try context.answeringServices()
    let settings = services.settings.values
    let capabilities = services.capabilities
    let input: any LineInput = capabilities.inputIsTerminal ? Self.terminalInput() : StreamLineInput()
    let manager = try ChatManager(
      services: services, input: input,
      options: .init(
        agentID: agent ?? AgentCatalog.defaultAgentID, sessionID: session, streaming: !noStream, interactive: capabilities.inputIsTerminal,
        agentChosen: agent != nil, markdown: settings.flag(.markdown), showsReasoning: !settings.flag(.hideReasoning),
        showsStats: settings.flag(.stats)))
    return await context.interrupts.whileRunning(onInterrupt: {
      // Ctrl-C outside an answer ends a piped chat, or one still starting, as at an empty prompt.
      if !manager.handleInterrupt() { InterruptMonitor.exitNow(AppError.Code.interrupted.exitStatus) }
    }) {
      await manager.run()
    }
  }

  /// Line editing with the input history of earlier chats (in the data directory, when there is one).
  static func terminalInput() -> TerminalLineInput {
    guard let directory = try? DataDirectory.resolve(environment: ProcessInfo.processInfo.environment),
      (try? FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)) != nil
    else { return TerminalLineInput() }
    return TerminalLineInput(historyFile: InputHistoryFile(directory: directory.path))
  }
}
