#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

import Synchronization

/// Somewhere text goes: standard output, standard error, or a buffer in tests.
package protocol TextSink: Sendable {
  /// Writes `text` immediately (no buffering, so streamed tokens appear as they arrive).
  func write(_ text: String)
}

/// A sink that writes to a file descriptor with `write(2)` and remembers the first failure, so the command
/// can end with exit status 74 instead of pretending the output was delivered.
package struct FileDescriptorSink: TextSink {
  /// The descriptor.
  package let descriptor: Int32

  /// Standard output.
  package static let standardOutput = FileDescriptorSink(descriptor: STDOUT_FILENO)
  /// Standard error.
  package static let standardError = FileDescriptorSink(descriptor: STDERR_FILENO)

  /// Creates a sink for `descriptor`.
  package init(descriptor: Int32) { self.descriptor = descriptor }

  /// Writes all of `text`; after a failed write, further writes to the descriptor are skipped.
  package func write(_ text: String) {
    guard writeFailure == nil else { return }
    if let error = TerminalIO.write(text, to: descriptor) {
      failedWrites.withLock { $0[descriptor] = $0[descriptor] ?? error }
    }
  }

  /// Whether a write failed because the reader closed the pipe (`agents list | head -1`): the reader chose to stop,
  /// so the command ends with status 74 but without an error message, as other command-line tools do.
  package var readerClosed: Bool { failedWrites.withLock { $0[descriptor] } == EPIPE }

  /// Why a write to this descriptor failed (`strerror` text, e.g. "No space left on device"), or nil.
  package var writeFailure: String? {
    failedWrites.withLock { $0[descriptor] }.map { String(cString: strerror($0)) }
  }
}

/// The first `errno` of a failed write, per descriptor.
private let failedWrites = Mutex<[Int32: Int32]>([:])

/// A trusted terminal control sequence that this program writes itself; untrusted text can never produce one
/// (see ``TerminalSanitizer``).
package enum TerminalControl: String, Sendable {
  /// Back to the start of the line and erase it (progress bars redraw this way).
  case clearLine = "\r\u{1B}[K"
}

/// A sink that passes everything through a ``TerminalSanitizer`` before the sink it wraps, keeping the
/// sanitiser's state between writes (an escape sequence split across streamed chunks is still removed).
package final class TerminalSafeSink: TextSink {
  /// The sink written to.
  package let base: any TextSink
  private let sanitizer: Mutex<TerminalSanitizer>

  /// Wraps `base`; `allowsStyles` lets this program's own colours pass.
  package init(_ base: any TextSink, allowsStyles: Bool) {
    self.base = base
    self.sanitizer = Mutex(TerminalSanitizer(.init(allowsStyles: allowsStyles)))
  }

  /// Writes `text` without control sequences (except this program's styles, when allowed).
  package func write(_ text: String) {
    sanitizer.withLock { sanitizer in
      let safe = sanitizer.sanitize(text)
      if !safe.isEmpty { base.write(safe) }
    }
  }

  /// Writes one of this program's own control sequences.
  package func write(_ control: TerminalControl) {
    sanitizer.withLock { sanitizer in
      sanitizer.reset()
      base.write(control.rawValue)
    }
  }
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

  /// Creates a console; everything written to `out` and `err` passes a ``TerminalSanitizer`` (which lets
  /// `style`'s colours through when they are on), so no server-supplied text reaches the terminal as control
  /// sequences.
  package init(out: any TextSink, err: any TextSink, style: TextStyle, interactive: Bool) {
    self.out = (out as? TerminalSafeSink) ?? TerminalSafeSink(out, allowsStyles: style.enabled)
    self.err = (err as? TerminalSafeSink) ?? TerminalSafeSink(err, allowsStyles: style.enabled)
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

  /// Redraws the current line of a terminal stream (`out` or `err`) with `text` (progress bars).
  package func redrawLine(_ text: String, onErr: Bool = false) {
    let sink = onErr ? err : out
    if let safe = sink as? TerminalSafeSink { safe.write(.clearLine) } else { sink.write(TerminalControl.clearLine.rawValue) }
    if !text.isEmpty { sink.write(text) }
  }

  /// Writes a warning line on standard error.
  package func warn(_ message: String) {
    err.write(style.yellow("agents: warning:") + " " + message + "\n")
  }
}

extension AppError {
  /// Whether ``standardOutputFailure()`` is shown: not when the reader closed the pipe (the output it wanted was
  /// delivered; it stopped reading).
  package static var standardOutputFailureIsShown: Bool { !FileDescriptorSink.standardOutput.readerClosed }

  /// The error for a failed write to standard output, or nil when every write succeeded.
  package static func standardOutputFailure() -> AppError? {
    FileDescriptorSink.standardOutput.writeFailure.map {
      AppError(
        .outputFailed, "cannot write to standard output (\($0)); the output is incomplete",
        fix: "check the disk or file you redirected it to")
    }
  }
}
