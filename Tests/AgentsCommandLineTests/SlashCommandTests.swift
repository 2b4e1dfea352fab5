import Testing

@testable import AgentsCommandLine

@Suite struct SlashCommandTests {
  @Test(arguments: [
    ("/help", SlashCommand.help),
    ("  /HELP  ", .help),
    ("/agents", .agents),
    ("/agent math", .agent("math")),
    ("/agent   coding  ", .agent("coding")),
    ("/agent", .agent(nil)),
    ("/model", .model(nil)),
    ("/session", .session(nil)),
    ("/guard", .promptGuard(nil)),
    ("/guard OFF", .promptGuard(false)),
    ("/guard on", .promptGuard(true)),
    ("/guard maybe", .invalidArgument("/guard takes on or off, not 'maybe'", usage: "/guard on")),
    ("/model qwen3:8b", .model("qwen3:8b")),
    ("/history", .history),
    ("/clear", .clear),
    ("/save notes/chat.md", .save("notes/chat.md")),
    ("/save", .missingArgument(usage: "/save FILE")),
    ("/sessions", .sessions),
    ("/session work", .session("work")),
    ("/stats", .stats),
    ("/quit", .quit),
    ("/exit", .quit),
  ])
  func parsesCommands(line: String, expected: SlashCommand) {
    #expect(SlashCommand.parse(line) == expected)
  }

  @Test func plainTextAndDoubleSlashAreNotCommands() {
    #expect(SlashCommand.parse("what is 2+2?") == nil)
    #expect(SlashCommand.parse("//etc/hosts is a path") == nil)
    #expect(SlashCommand.parse("") == nil)
  }

  @Test func unknownCommandsGetSuggestions() {
    #expect(SlashCommand.parse("/agnet x") == .unknown("/agnet", suggestion: " (did you mean '/agent'?)"))
    #expect(SlashCommand.parse("/frobnicate") == .unknown("/frobnicate", suggestion: ""))
  }

  /// `/help` in an 80-column terminal: no line wider, summaries continued under the summary column, words whole.
  @Test func helpFitsTheTerminalAndWrapsBetweenWords() {
    let lines = SlashCommand.helpLines(columns: 79, style: TextStyle(enabled: false))
    #expect(lines.allSatisfy { $0.count <= 79 }, "\(lines.filter { $0.count > 79 })")
    let tools = try? #require(lines.firstIndex { $0.hasPrefix("/tools ") })
    let indent = String(repeating: " ", count: "/reasoning [on|off]  ".count)
    #expect(tools.map { lines[$0 + 1].hasPrefix(indent) && !lines[$0 + 1].hasPrefix(indent + " ") } == true)
    let words = SlashCommand.reference.flatMap { $0.summary.split(separator: " ") }
    let shown = lines.flatMap { $0.split(separator: " ") }
    #expect(words.allSatisfy(shown.contains), "no word is cut")
    #expect(SlashCommand.helpLines(columns: nil, style: TextStyle(enabled: false)).count == SlashCommand.reference.count)
  }
}
