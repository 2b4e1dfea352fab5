import AgentsCommandLine
import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// A thin shell over AgentsApp: parse, run, map errors to one line and an exit status.
let arguments = ArgumentNormalizer.normalize(Array(CommandLine.arguments.dropFirst()))
let interrupts = InterruptMonitor()
let status: Int32
do {
  var command = try AgentsCommand.parseAsRoot(arguments)
  if let subcommand = command as? any AgentsSubcommand {
    status = await subcommand.start(interrupts: interrupts)
  } else {
    // `--help`, `help SUBCOMMAND` and a group without its subcommand (`agents`): running them throws the help
    // request for the right command, which the catch below prints.
    try command.run()
    status = 0
  }
} catch {
  let code = AgentsCommand.exitCode(for: error)
  if code == .success {
    FileDescriptorSink.standardOutput.write(AgentsCommand.fullMessage(for: error) + "\n")
    status = 0
  } else {
    let message = AgentsCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
    let subcommand = arguments.first { !$0.hasPrefix("-") }.flatMap { name in
      AgentsCommand.configuration.subcommands.contains { $0.configuration.commandName == name } ? name : nil
    }
    let help = subcommand.map { "agents \($0) --help" } ?? "agents --help"
    let capabilities = TerminalCapabilities.detect(environment: ProcessInfo.processInfo.environment)
    Console.standard(capabilities).error(AppError(.usage, message, fix: "see '\(help)'"))
    status = AppError.Code.usage.exitStatus
  }
}
if status == 0, let failure = AppError.standardOutputFailure() {
  Console.standard(TerminalCapabilities.detect(environment: ProcessInfo.processInfo.environment)).error(failure)
  exit(failure.exitStatus)
}
exit(status)
