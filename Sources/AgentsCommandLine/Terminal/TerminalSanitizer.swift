/// Makes untrusted text (model answers, server messages, model names, tool output) safe to write to a
/// terminal: newlines, tabs and printable Unicode pass; every other control character and every escape
/// sequence is removed whole, so a server cannot set the window title, clear the screen, move the cursor or
/// write the clipboard (OSC 52).
///
/// The sanitiser is a state machine, so a sequence split across chunks of a streamed answer (`ESC` at the
/// end of one chunk, `]52;c;…` in the next) is removed as surely as a whole one. A string sequence (OSC, DCS,
/// APC, PM, SOS) that is never terminated ends at the next newline, so it cannot swallow the rest of the
/// output. Carriage returns are dropped (a CRLF becomes a newline), because a lone one lets text overwrite
/// what is already on the line.
///
/// With ``Configuration/allowsStyles`` the few SGR styles this program itself uses (bold, dim, red, green,
/// yellow, cyan and reset) pass, so coloured output keeps its colours; every other SGR (conceal, blink,
/// 256-colour, …) is still removed.
package struct TerminalSanitizer: Sendable {
  /// What may pass besides printable text.
  package struct Configuration: Sendable, Hashable {
    /// Whether this program's own SGR styles pass (set when colour output is on).
    package var allowsStyles: Bool

    /// Creates a configuration; by default no escape sequence at all passes.
    package init(allowsStyles: Bool = false) { self.allowsStyles = allowsStyles }
  }

  private enum State: Sendable {
    /// Plain text.
    case ground
    /// After `ESC`.
    case escape
    /// After `ESC` and intermediate bytes (`ESC ( B`).
    case escapeIntermediate
    /// Inside a control sequence (`ESC [` or C1 CSI), collecting parameters.
    case controlSequence
    /// Inside a string sequence (OSC, DCS, SOS, PM, APC), dropping until its terminator.
    case string
    /// After `ESC` inside a string sequence (maybe the `ESC \` terminator).
    case stringEscape
  }

  /// SGR parameters this program's ``TextStyle`` and ``StreamingMarkdown`` emit (3/23: italic).
  static let allowedStyleParameters: Set<String> = ["", "0", "1", "2", "3", "22", "23", "31", "32", "33", "35", "36", "39"]
  /// The longest parameter list kept for a control sequence; longer ones are dropped.
  static let maxParameterLength = 32
  /// The longest string sequence followed before the sanitiser returns to plain text.
  static let maxStringLength = 4096

  /// What passes.
  package let configuration: Configuration
  private var state = State.ground
  private var parameters: [Unicode.Scalar] = []
  private var stringLength = 0

  /// Creates a sanitiser for one stream of text.
  package init(_ configuration: Configuration = Configuration()) {
    self.configuration = configuration
  }

  /// `text` made safe in one go (not streamed): what ``sanitize(_:)`` returns for it on a fresh sanitiser.
  package static func sanitize(_ text: String, allowsStyles: Bool = false) -> String {
    var sanitizer = TerminalSanitizer(Configuration(allowsStyles: allowsStyles))
    return sanitizer.sanitize(text)
  }

  /// Whether `text` passes unchanged (no control characters but newline and tab).
  package static func isSafe(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { !isControl($0) || $0 == "\n" || $0 == "\t" }
  }

  /// The next chunk of a stream, made safe; state carries over to the next chunk.
  package mutating func sanitize(_ chunk: String) -> String {
    if state == .ground, Self.isSafe(chunk) { return chunk }
    var output = String.UnicodeScalarView()
    for scalar in chunk.unicodeScalars { consume(scalar, into: &output) }
    return String(output)
  }

  /// Forgets any sequence in progress (after this program wrote its own control sequence).
  package mutating func reset() {
    state = .ground
    parameters.removeAll()
    stringLength = 0
  }

  private mutating func consume(_ scalar: Unicode.Scalar, into output: inout String.UnicodeScalarView) {
    let value = scalar.value
    switch state {
    case .ground:
      switch value {
      case 0x0A, 0x09: output.append(scalar)
      case 0x1B: state = .escape
      case 0x9B: startControlSequence()
      case 0x90, 0x98, 0x9D, 0x9E, 0x9F: startString()
      default: if !Self.isControl(scalar) { output.append(scalar) }
      }
    case .escape:
      switch value {
      case 0x5B: startControlSequence()  // [
      case 0x5D, 0x50, 0x58, 0x5E, 0x5F: startString()  // ] P X ^ _
      case 0x1B: state = .escape
      case 0x20...0x2F: state = .escapeIntermediate
      case 0x30...0x7E: state = .ground
      default:
        state = .ground
        consume(scalar, into: &output)
      }
    case .escapeIntermediate:
      switch value {
      case 0x20...0x2F: break
      case 0x30...0x7E: state = .ground
      default:
        state = .ground
        consume(scalar, into: &output)
      }
    case .controlSequence:
      switch value {
      case 0x20...0x3F:
        parameters.append(scalar)
        if parameters.count > Self.maxParameterLength { reset() }
      case 0x40...0x7E:
        if value == 0x6D, configuration.allowsStyles, isAllowedStyle() {
          output.append("\u{1B}")
          output.append("[")
          output.append(contentsOf: parameters)
          output.append(scalar)
        }
        reset()
      default:
        reset()
        consume(scalar, into: &output)
      }
    case .string:
      stringLength += 1
      switch value {
      case 0x07, 0x9C: reset()
      case 0x1B: state = .stringEscape
      case 0x0A:
        reset()
        output.append(scalar)
      default: if stringLength > Self.maxStringLength { reset() }
      }
    case .stringEscape:
      if value == 0x5C {  // ESC \ (string terminator)
        reset()
      } else {
        reset()
        state = .escape
        consume(scalar, into: &output)
      }
    }
  }

  private mutating func startControlSequence() {
    state = .controlSequence
    parameters.removeAll()
  }

  private mutating func startString() {
    state = .string
    stringLength = 0
  }

  private func isAllowedStyle() -> Bool {
    var text = ""
    text.unicodeScalars.append(contentsOf: parameters)
    return text.split(separator: ";", omittingEmptySubsequences: false).allSatisfy {
      Self.allowedStyleParameters.contains(String($0))
    }
  }

  /// C0 controls, DEL and C1 controls.
  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }
}
