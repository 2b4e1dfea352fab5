#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import MCP
import Subprocess
import WireCore

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The stdio transport to an MCP server process: starts the process with swift-subprocess, writes messages to its
/// standard input one per line, frames its standard output into messages, keeps the tail of its standard error
/// for error messages and reports its exit.
///
/// The process runs in a process group of its own, so a Ctrl-C meant for the terminal's foreground program
/// does not reach it. ``disconnect()`` closes its standard input (MCP's shutdown signal), then sends SIGTERM after
/// a second and SIGKILL two seconds later to whatever is left of the group.
actor ProcessTransport: ManagedTransport {
  /// The MCP SDK's logger (see ``ManagedTransport/sdkLogger(_:)``).
  nonisolated let logger: Logger
  private let ownLogger: Logger
  private let server: String
  private let parameters: MCPServerStdio.Parameters
  private let secrets: [String]
  private let messages: AsyncThrowingStream<Data, any Error>
  private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
  private let ended = OneShot<MCPServerError>()
  private let stopRequested = OneShot<Void>()
  private let errorTail = OutputTail()
  private var writer: StandardInputWriter?
  private var run: Task<Void, Never>?

  init(server: String, parameters: MCPServerStdio.Parameters, secrets: [String], logger: Logger) {
    self.server = server
    self.parameters = parameters
    self.secrets = secrets
    self.logger = Self.sdkLogger(logger)
    ownLogger = logger
    (messages, continuation) = AsyncThrowingStream.makeStream()
  }

  /// Starts the process; returns once it is running, or throws ``MCPServerError/Code/startFailed``.
  func connect() async throws {
    guard run == nil else { return }
    _ = ignoringBrokenPipes
    let started = OneShot<Result<StandardInputWriter, MCPServerError>>()
    let launch = Launch(
      server: server, parameters: parameters, logger: ownLogger, messages: continuation, ended: ended,
      stopRequested: stopRequested, errorTail: errorTail, secrets: secrets)
    run = Task { await launch.run(started: started) }
    switch await started.wait() {
    case .success(let writer)?: self.writer = writer
    case .failure(let error)?: throw error
    case nil: throw CancellationError()
    }
  }

  /// Asks the process to stop and waits until it has exited.
  func disconnect() async {
    stopRequested.fulfill(())
    await run?.value
  }

  /// Writes one message and a line feed to the process's standard input.
  func send(_ data: Data) async throws {
    guard let writer, ended.value == nil else { throw ended.value ?? stoppedError("is not running") }
    var line = [UInt8](data)
    line.append(0x0A)
    do {
      _ = try await writer.write(line)
    } catch {
      throw ended.value ?? stoppedError("stopped reading its input")
    }
  }

  /// The messages the process writes, one per line; the stream fails with the reason when the process ends.
  func receive() -> AsyncThrowingStream<Data, any Error> { messages }

  nonisolated func closed() async -> MCPServerError? { await ended.wait() }

  nonisolated var closedReason: MCPServerError? { ended.value }

  private func stoppedError(_ what: String) -> MCPServerError {
    MCPServerError(
      .stopped, server: server, "MCP server '\(server)' \(what).", serverOutput: errorTail.text()
    ).redacting(secrets)
  }
}

/// Writing to a pipe whose reader has exited must fail with EPIPE, not kill this process with SIGPIPE.
private let ignoringBrokenPipes: Void = {
  _ = signal(SIGPIPE, SIG_IGN)
}()

/// One run of the server process, outside the transport's isolation.
private struct Launch: Sendable {
  let server: String
  let parameters: MCPServerStdio.Parameters
  let logger: Logger
  let messages: AsyncThrowingStream<Data, any Error>.Continuation
  let ended: OneShot<MCPServerError>
  let stopRequested: OneShot<Void>
  let errorTail: OutputTail
  let secrets: [String]

  func run(started: OneShot<Result<StandardInputWriter, MCPServerError>>) async {
    var options = PlatformOptions()
    options.processGroupID = 0
    options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(2))]
    let reason: MCPServerError
    do {
      let result = try await Subprocess.run(
        executable, arguments: Arguments(parameters.arguments), environment: .custom(environment),
        workingDirectory: parameters.workingDirectory.map { FilePath($0) }, platformOptions: options,
        input: .inputWriter, output: .sequence, error: .sequence
      ) { execution in
        started.fulfill(.success(execution.standardInputWriter))
        logger.debug("MCP server process started", metadata: ["server": "\(server)", "pid": "\(execution.processIdentifier)"])
        await serve(execution)
      }
      reason = exitReason(result.terminationStatus)
    } catch let error as SubprocessError where started.value == nil {
      reason = startFailure(error)
    } catch {
      reason = MCPServerError(.stopped, server: server, "MCP server '\(server)' stopped: \(error).")
    }
    let redacted = reason.redacting(secrets)
    started.fulfill(.failure(redacted))
    ended.fulfill(redacted)
    messages.finish(throwing: redacted)
  }

  /// Reads both output streams until the process closes them, and stops the process when asked.
  private func serve(_ execution: Execution<CustomWriteInput, SequenceOutput, SequenceOutput>) async {
    let stopper = Task {
      guard await stopRequested.wait() != nil else { return }
      try? await execution.standardInputWriter.finish()
      for signal in [Signal.terminate, .kill] {
        try? await Task.sleep(for: signal == .terminate ? .seconds(1) : .seconds(2))
        if Task.isCancelled { return }
        try? execution.send(signal: signal, toProcessGroup: true)
      }
    }
    async let errors: Void = readErrors(execution.standardError)
    await readMessages(execution.standardOutput)
    // A process that closed its output can no longer answer: give it two seconds to exit, then kill it.
    let reaper = Task {
      try? await Task.sleep(for: .seconds(2))
      if !Task.isCancelled { try? execution.send(signal: .kill, toProcessGroup: true) }
    }
    await errors
    reaper.cancel()
    stopper.cancel()
  }

  private func readMessages(_ output: SubprocessOutputSequence) async {
    var parser = NDJSONParser()
    do {
      for try await buffer in output {
        try buffer.withUnsafeBytes { bytes in
          try parser.parse(bytes) { line in messages.yield(Data(line)) }
        }
      }
      if let last = parser.finish() { messages.yield(Data(last)) }
    } catch {
      logger.debug("MCP server output ended with an error", metadata: ["server": "\(server)", "error": "\(error)"])
    }
  }

  private func readErrors(_ output: SubprocessOutputSequence) async {
    do {
      for try await buffer in output {
        buffer.withUnsafeBytes { errorTail.append($0) }
        if logger.logLevel <= .debug {
          let text = Redaction.message(buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }, secrets: secrets)
          logger.debug("MCP server stderr", metadata: ["server": "\(server)", "text": "\(text)"])
        }
      }
    } catch {
      return
    }
  }

  private var executable: Executable {
    parameters.command.contains("/") ? .path(FilePath(parameters.command)) : .name(parameters.command)
  }

  /// The inherited variables that are safe to pass on (as the MCP reference clients do), then the configured ones.
  private var environment: [Environment.Key: String] {
    var result: [Environment.Key: String] = [:]
    let inherited = ProcessInfo.processInfo.environment
    for name in MCPServerStdio.Parameters.inheritedVariables {
      if let value = inherited[name], let key = Environment.Key(rawValue: name) { result[key] = value }
    }
    for (name, value) in parameters.environment {
      if let key = Environment.Key(rawValue: name) { result[key] = value }
    }
    return result
  }

  private func exitReason(_ status: TerminationStatus) -> MCPServerError {
    let how: String
    switch status {
    case .exited(let code): how = "exited with status \(code)"
    case .signaled(let signal): how = "was stopped by signal \(signal)"
    }
    return MCPServerError(
      .stopped, server: server, "MCP server '\(server)' \(how).", serverOutput: errorTail.text())
  }

  private func startFailure(_ error: SubprocessError) -> MCPServerError {
    let command = parameters.command
    let message: String
    switch error.code {
    case .executableNotFound:
      message = "MCP server '\(server)' could not be started: the command '\(command)' was not found"
        + (command.contains("/") ? "." : " on PATH.") + " Install it, or give its full path as the server's command."
    case .failedToChangeWorkingDirectory:
      message = "MCP server '\(server)' could not be started: its working directory '\(parameters.workingDirectory ?? "")' "
        + "cannot be used. Create it or fix the server's cwd."
    default:
      message = "MCP server '\(server)' could not be started with '\(command)': \(error)."
    }
    return MCPServerError(.startFailed, server: server, message)
  }
}
