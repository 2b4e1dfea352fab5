import AgentsCommandLine
import ArgumentParser

/// `--system`, `--temperature` and `-o key=value`: what `ask` and `chat` change in every agent.
struct ModelOptionGroup: ParsableArguments {
  @Option(help: ArgumentHelp("Instructions that replace every agent's own (a system prompt).", valueName: "text"))
  var system: String?

  @Option(help: ArgumentHelp("The sampling temperature, 0–2 (default 0.7 or the agent's).", valueName: "t"))
  var temperature: Double?

  @Option(
    name: .customShort("o"),
    help: ArgumentHelp(
      "Any model setting, e.g. -o top_k=40 -o seed=7 -o max_tokens=200 (repeatable; unknown keys go to the server).",
      valueName: "key=value"))
  var options: [String] = []

  /// The overrides, checked.
  func overrides() throws(AppError) -> AgentOverrides {
    try AgentOverrides(system: system, temperature: temperature, options: options)
  }
}

/// How answers are shown on a terminal (piped output is always plain text).
struct DisplayOptionGroup: ParsableArguments {
  @Flag(name: .customLong("no-markdown"), help: "Show answers as the model wrote them (only wrapped), not rendered.")
  var noMarkdown = false

  @Flag(name: .customLong("hide-reasoning"), help: "Hide the model's reasoning (shown dimmed by default).")
  var hideReasoning = false

  @Flag(help: "After each answer, show tokens, tokens per second and time to first token.")
  var stats = false
}

extension CommandContext {
  /// The services with the model options applied.
  func services(with model: ModelOptionGroup) throws(AppError) -> AppServices {
    var services = self.services
    services.agentOverrides = try model.overrides()
    return services
  }
}
