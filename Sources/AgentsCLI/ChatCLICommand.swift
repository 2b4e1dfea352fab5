import AgentsCommandLine
import ArgumentParser

/// `agents chat`: an interactive conversation (or a scripted one from piped input).
struct ChatCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "chat",
    abstract: "Chat with an agent; type /help for commands.",
    discussion: "Ctrl-C cancels the answer in progress; Ctrl-C or Ctrl-D at an empty prompt exits. "
      + "With piped input, each line is a message or a slash command and only the answers are printed.")

  @Option(help: ArgumentHelp("The agent to start with (see 'agents list').", valueName: "id"))
  var agent = AgentCatalog.defaultAgentID

  @Option(help: ArgumentHelp("A saved session to resume, or a new session id.", valueName: "id"))
  var session: String?

  @Flag(name: .customLong("no-stream"), help: "Print each answer when it is complete.")
  var noStream = false

  @OptionGroup var global: GlobalOptionGroup

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    let capabilities = context.services.capabilities
    let input: any LineInput = capabilities.inputIsTerminal ? TerminalLineInput() : StreamLineInput()
    let manager = try ChatManager(
      services: context.services, input: input,
      options: .init(
        agentID: agent, sessionID: session, streaming: !noStream, interactive: capabilities.inputIsTerminal))
    return await context.interrupts.whileRunning(onInterrupt: {
      // Ctrl-C outside an answer (piped input) ends the chat, as at an empty prompt.
      if !manager.cancelReply() { InterruptMonitor.exitNow(AppError.Code.interrupted.exitStatus) }
    }) {
      await manager.run()
    }
  }
}
