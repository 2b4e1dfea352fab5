#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Somewhere text goes: standard output, standard error, or a buffer in tests.
public protocol TextSink: Sendable {
  /// Writes `text` immediately (no buffering, so streamed tokens appear as they arrive).
  func write(_ text: String)
}

/// A sink that writes to a file descriptor with `write(2)`.
public struct FileDescriptorSink: TextSink {
  /// The descriptor.
  public let descriptor: Int32

  /// Standard output.
  public static let standardOutput = FileDescriptorSink(descriptor: STDOUT_FILENO)
  /// Standard error.
  public static let standardError = FileDescriptorSink(descriptor: STDERR_FILENO)

  /// Creates a sink for `descriptor`.
  public init(descriptor: Int32) { self.descriptor = descriptor }

  /// Writes all of `text`.
  public func write(_ text: String) { TerminalIO.write(text, to: descriptor) }
}

/// Where a command writes: answers to `out`, diagnostics to `err`, decorated only on a terminal.
public struct Console: Sendable {
  /// Answers and command results (standard output).
  public var out: any TextSink
  /// Errors, warnings and progress (standard error).
  public var err: any TextSink
  /// Colours, off when not allowed.
  public var style: TextStyle
  /// Whether standard output is a terminal: prompts, banners, tool-call notes and progress bars are
  /// shown only then.
  public var interactive: Bool

  /// Creates a console.
  public init(out: any TextSink, err: any TextSink, style: TextStyle, interactive: Bool) {
    self.out = out
    self.err = err
    self.style = style
    self.interactive = interactive
  }

  /// The process's standard output and error, styled per `capabilities`.
  public static func standard(_ capabilities: TerminalCapabilities) -> Console {
    Console(
      out: FileDescriptorSink.standardOutput, err: FileDescriptorSink.standardError,
      style: TextStyle(enabled: capabilities.useColor), interactive: capabilities.outputIsTerminal)
  }

  /// Writes `text` and a newline to standard output.
  public func print(_ text: String) { out.write(text + "\n") }

  /// Writes an error as one line on standard error: `agents: error: message; fix`.
  public func error(_ error: AppError) {
    err.write(style.red("agents: error:") + " " + error.description + "\n")
  }

  /// Writes a warning line on standard error.
  public func warn(_ message: String) {
    err.write(style.yellow("agents: warning:") + " " + message + "\n")
  }
}
