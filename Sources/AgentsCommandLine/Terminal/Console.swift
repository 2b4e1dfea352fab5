#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Somewhere text goes: standard output, standard error, or a buffer in tests.
package protocol TextSink: Sendable {
  /// Writes `text` immediately (no buffering, so streamed tokens appear as they arrive).
  func write(_ text: String)
}

/// A sink that writes to a file descriptor with `write(2)`.
package struct FileDescriptorSink: TextSink {
  /// The descriptor.
  package let descriptor: Int32

  /// Standard output.
  package static let standardOutput = FileDescriptorSink(descriptor: STDOUT_FILENO)
  /// Standard error.
  package static let standardError = FileDescriptorSink(descriptor: STDERR_FILENO)

  /// Creates a sink for `descriptor`.
  package init(descriptor: Int32) { self.descriptor = descriptor }

  /// Writes all of `text`.
  package func write(_ text: String) { TerminalIO.write(text, to: descriptor) }
}

/// Where a command writes: answers to `out`, diagnostics to `err`, decorated only on a terminal.
package struct Console: Sendable {
  /// Answers and command results (standard output).
  package var out: any TextSink
  /// Errors, warnings and progress (standard error).
  package var err: any TextSink
  /// Colours, off when not allowed.
  package var style: TextStyle
  /// Whether standard output is a terminal: prompts, banners, tool-call notes and progress bars are
  /// shown only then.
  package var interactive: Bool

  /// Creates a console.
  package init(out: any TextSink, err: any TextSink, style: TextStyle, interactive: Bool) {
    self.out = out
    self.err = err
    self.style = style
    self.interactive = interactive
  }

  /// The process's standard output and error, styled per `capabilities`.
  package static func standard(_ capabilities: TerminalCapabilities) -> Console {
    Console(
      out: FileDescriptorSink.standardOutput, err: FileDescriptorSink.standardError,
      style: TextStyle(enabled: capabilities.useColor), interactive: capabilities.outputIsTerminal)
  }

  /// Writes `text` and a newline to standard output.
  package func print(_ text: String) { out.write(text + "\n") }

  /// Writes an error as one line on standard error: `agents: error: message; fix`.
  package func error(_ error: AppError) {
    err.write(style.red("agents: error:") + " " + error.description + "\n")
  }

  /// Writes a warning line on standard error.
  package func warn(_ message: String) {
    err.write(style.yellow("agents: warning:") + " " + message + "\n")
  }
}
