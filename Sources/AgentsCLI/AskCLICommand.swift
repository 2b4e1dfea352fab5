import AgentsCommandLine
import ArgumentParser

/// `agents ask`: one question, answered on standard output.
struct AskCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "ask",
    abstract: "Ask an agent one question.",
    discussion: """
      The answer streams to standard output. With --json, one JSON object is printed instead: agent_name, \
      user_input, final_output, execution_time, success, error, model, turns, usage and tool_calls.
      Examples:
        agents ask 'What is 17 * 23?'
        agents ask --agent coding --json 'Explain this regex: ^a+$'
        git diff | agents ask --agent coding -
        cat build.log | agents ask 'Why did this fail?'   (piped text, a blank line, then the prompt)
        agents ask --system 'Answer in one sentence.' --temperature 0.2 -o seed=7 'What is DNS?'
      """)

  @Option(help: ArgumentHelp("The agent (see 'agents list').", valueName: "id"))
  var agent = AgentCatalog.defaultAgentID

  @Option(help: ArgumentHelp("A saved session to continue.", valueName: "id"))
  var session: String?

  @Flag(help: "Print one JSON object with the result.")
  var json = false

  @Flag(name: .customLong("no-stream"), help: "Wait for the whole answer.")
  var noStream = false

  @Option(name: .customLong("max-turns"), help: ArgumentHelp("The most model calls.", valueName: "n"))
  var maxTurns = Runner.defaultMaxTurns

  @Argument(help: ArgumentHelp("The question; '-' reads it from standard input.", valueName: "prompt"))
  var prompt: [String] = []

  @OptionGroup(title: "Model") var modelOptions: ModelOptionGroup

  @OptionGroup(title: "Display") var display: DisplayOptionGroup

  @OptionGroup var global: GlobalOptionGroup

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    let command = AskCommand(
      services: try context.services(with: modelOptions), readStandardInput: { await StandardInput.readAll() })
    let arguments = AskCommand.Arguments(
      agentID: agent, prompt: prompt, sessionID: session, json: json, streaming: !noStream, maxTurns: maxTurns,
      markdown: !display.noMarkdown, showsReasoning: !display.hideReasoning, showsStats: display.stats)
    let interrupts = context.interrupts
    return await command.run(arguments) { work in await interrupts.cancellingOnInterrupt(work) }
  }
}
