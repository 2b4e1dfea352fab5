import AgentsCommandLine
import ArgumentParser
import Foundation

/// `agents`: chat with local agents, ask one question, inspect models and the server.
struct AgentsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "agents",
    abstract: "AI agents on local models served by Ollama or any OpenAI-compatible server.",
    discussion: """
      Environment: \(Setting.all.flatMap(\.variables).joined(separator: ", ")).
      Precedence: option > environment > config file > default (\(OllamaConfig.defaultBaseURL), \
      \(OllamaConfig.defaultModelName)). The settings are listed below.
      Exit codes: 0 success, 1 run failed, 64 usage, 65 invalid config or input, 66 model not found, \
      69 server unreachable or timed out, 73 cannot save (data directory or database not writable), \
      74 cannot write the output, 130 interrupted.
      """,
    version: "0.1.0",
    subcommands: [
      ChatCLICommand.self, AskCLICommand.self, ListCLICommand.self, ModelsCLICommand.self, DoctorCLICommand.self,
      TestCLICommand.self, BenchCLICommand.self, StatsCLICommand.self, CacheCLICommand.self,
      SessionsCLICommand.self, MCPCLICommand.self, ServeCLICommand.self,
    ])
}

/// A subcommand that runs through the application layer and reports an exit status.
protocol AgentsSubcommand: ParsableCommand {
  /// Declares that the command takes the global settings (read before parsing, by ``GlobalArguments``).
  var global: GlobalOptionGroup { get }
  /// Runs the command with its services and returns the exit status.
  func execute(_ context: CommandContext) async throws(AppError) -> Int32
  /// When the command opens the data directory's database (sessions, run records), if at all.
  var storeUse: AppBootstrap.StoreUse { get }
}

/// What a running subcommand can use: its services, the terminal, and Ctrl-C handling.
struct CommandContext: Sendable {
  let services: AppServices
  let interrupts: InterruptMonitor
}

extension AgentsSubcommand {
  /// Most commands read the store, or record runs or sessions.
  var storeUse: AppBootstrap.StoreUse { .beforeRunning }

  /// Builds the services from the global options and runs the command.
  func start(options: GlobalOptions, interrupts: InterruptMonitor) async -> Int32 {
    let environment = ProcessInfo.processInfo.environment
    let capabilities = TerminalCapabilities.detect(environment: environment)
    AppLogging.bootstrap(options: options, environment: environment)
    do {
      let services = try AppBootstrap.services(
        options: options, environment: environment, capabilities: capabilities, store: storeUse)
      let status = try await execute(CommandContext(services: services, interrupts: interrupts))
      await services.shutDown()
      if let failure = AppError.standardOutputFailure() {
        if AppError.standardOutputFailureIsShown { services.console.error(failure) }
        return status == 0 ? failure.exitStatus : status
      }
      return status
    } catch {
      Console.standard(capabilities).error(error)
      return error.exitStatus
    }
  }
}
