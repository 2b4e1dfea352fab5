import AgentsCommandLine

extension CommandContext {
  /// The services of `ask` and `chat`: the model settings of the settings table (`--system`, `--temperature`,
  /// `-o key=value`, from options, environment or file) applied to every agent.
  func answeringServices() throws(AppError) -> AppServices {
    var services = self.services
    services.agentOverrides = try AgentOverrides(services.settings.values)
    return services
  }
}
