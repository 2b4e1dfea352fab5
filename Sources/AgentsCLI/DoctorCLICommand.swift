import AgentsCommandLine
import ArgumentParser

/// `agents doctor`: is everything in place to chat?
struct DoctorCLICommand: AgentsSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "doctor",
    abstract: "Check the server, its version, the default model and tool support; print the fix for each problem.",
    discussion: "Exits 0 when healthy, else with the code of the first failure (69 server, 66 model, 1 tools).")

  @Flag(help: "Print one JSON object: healthy and the checks.")
  var json = false

  @OptionGroup var global: GlobalOptionGroup

  func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
    await DoctorCommand(services: context.services).run(json: json)
  }
}
