#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the process's terminal can do: whether stdin/stdout are terminals, whether to use colour,
/// how wide the screen is.
@MemberwiseInit
package struct TerminalCapabilities: Sendable, Hashable {
  /// Whether standard input is a terminal (interactive line editing is possible).
  package var inputIsTerminal: Bool
  /// Whether standard output is a terminal (prompts, banners and progress bars are shown).
  package var outputIsTerminal: Bool
  /// Whether to emit ANSI colours: output is a terminal, `NO_COLOR` is unset and `TERM` is not `dumb`.
  package var useColor: Bool

  /// No terminal at all: plain output, no colour (pipes and tests).
  package static let plain = TerminalCapabilities(inputIsTerminal: false, outputIsTerminal: false, useColor: false)

  /// Detects the capabilities of this process from `isatty` and the environment.
  package static func detect(environment: [String: String]) -> TerminalCapabilities {
    let input = isatty(STDIN_FILENO) == 1
    let output = isatty(STDOUT_FILENO) == 1
    return TerminalCapabilities(
      inputIsTerminal: input, outputIsTerminal: output,
      useColor: colorAllowed(outputIsTerminal: output, environment: environment))
  }

  /// Whether colour is allowed: on a terminal, without `NO_COLOR` (any non-empty value) or `TERM=dumb`.
  package static func colorAllowed(outputIsTerminal: Bool, environment: [String: String]) -> Bool {
    guard outputIsTerminal else { return false }
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
    if environment["TERM"] == "dumb" { return false }
    return true
  }

  /// The width of the terminal on standard output in columns, or 80 when it cannot be told.
  package static func columns() -> Int {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return 80
  }
}

/// ANSI styling that turns itself off when colour is not allowed.
package struct TextStyle: Sendable, Hashable {
  /// Whether escape codes are emitted.
  package var enabled: Bool

  /// Creates a style.
  package init(enabled: Bool) { self.enabled = enabled }

  /// Dim grey text (hints, metadata).
  package func dim(_ text: String) -> String { wrap(text, "2") }
  /// Bold text (headings, prompts).
  package func bold(_ text: String) -> String { wrap(text, "1") }
  /// Red text (errors).
  package func red(_ text: String) -> String { wrap(text, "31") }
  /// Green text (success).
  package func green(_ text: String) -> String { wrap(text, "32") }
  /// Yellow text (warnings).
  package func yellow(_ text: String) -> String { wrap(text, "33") }
  /// Cyan text (agent names, tool calls).
  package func cyan(_ text: String) -> String { wrap(text, "36") }
  /// Magenta text (keywords in code).
  package func magenta(_ text: String) -> String { wrap(text, "35") }

  private func wrap(_ text: String, _ code: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
