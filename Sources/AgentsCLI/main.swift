import AgentsCommandLine
import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// A thin shell over AgentsApp: take out the global settings, parse the rest, run, map errors to one line and an exit
// status.
let capabilities = TerminalCapabilities.detect(environment: ProcessInfo.processInfo.environment)
let interrupts = InterruptMonitor()
let status: Int32
var arguments = Array(CommandLine.arguments.dropFirst())
do {
  let (globals, rest) = try GlobalArguments.extract(arguments)
  arguments = rest
  var command = try AgentsCommand.parseAsRoot(rest)
  if let subcommand = command as? any AgentsSubcommand {
    status = await subcommand.start(options: globals, interrupts: interrupts)
  } else {
    // `--help`, `help SUBCOMMAND` and a group without its subcommand (`agents`): running them throws the help
    // request for the right command, which the catch below prints.
    try command.run()
    status = 0
  }
} catch let error as AppError {
  Console.standard(capabilities).error(error)
  status = error.exitStatus
} catch {
  let code = AgentsCommand.exitCode(for: error)
  if code == .success {
    var text = AgentsCommand.fullMessage(for: error)
    // Help: the global settings are not the parser's, so their section comes from the settings table.
    if text.contains("USAGE:") { text += "\n\n" + Setting.helpText }
    FileDescriptorSink.standardOutput.write(text + "\n")
    status = 0
  } else {
    var message = AgentsCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
    message += GlobalArguments.suggestion(for: message)
    let subcommand = arguments.first { !$0.hasPrefix("-") }.flatMap { name in
      AgentsCommand.configuration.subcommands.contains { $0.configuration.commandName == name } ? name : nil
    }
    let help = subcommand.map { "agents \($0) --help" } ?? "agents --help"
    Console.standard(capabilities).error(AppError(.usage, message, fix: "see '\(help)'"))
    status = AppError.Code.usage.exitStatus
  }
}
if status == 0, let failure = AppError.standardOutputFailure() {
  if AppError.standardOutputFailureIsShown { Console.standard(capabilities).error(failure) }
  exit(failure.exitStatus)
}
exit(status)
