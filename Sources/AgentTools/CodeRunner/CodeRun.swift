/// What one ``CodeRunner`` run printed and how it ended, as data: the text has no control characters but
/// newlines and tabs (escape sequences are removed whole), so it can be shown and given to a model as it is.
public struct CodeRun: Sendable, Hashable {
  /// How the run ended.
  public enum Ending: Sendable, Hashable {
    /// The program exited with this status (0: success).
    case exited(Int32)
    /// The program was ended by this signal (a crash: 4 illegal instruction, 11 segmentation fault, …).
    case crashed(signal: Int32)
    /// The program ran past the time limit (seconds) and was killed with everything it started.
    case timedOut(Double)
    /// The code could not be run at all; the text says why.
    case notRun(String)
  }

  /// What it wrote to standard output (at most the runner's output limit).
  public var standardOutput: String
  /// What it wrote to standard error (at most the output limit; an interpreter's crash report is cut off).
  public var standardError: String
  /// Whether output beyond the limit was dropped.
  public var truncated: Bool
  /// How it ended.
  public var ending: Ending

  init(failure: String) {
    standardOutput = ""
    standardError = ""
    truncated = false
    ending = .notRun(failure)
  }

  init(_ outcome: ChildProcess.Outcome, language: CodeRunner.Language, timeLimit: Double) {
    standardOutput = Self.plainText(outcome.standardOutput)
    var errors = Self.plainText(outcome.standardError)
    if language == .swift, let report = errors.firstRange(of: /Current stack trace:|Stack dump:/) {
      // The interpreter's own crash report (frontend arguments, addresses) after the program's message.
      errors = String(errors[..<report.lowerBound]) + "(the interpreter's crash report is left out)\n"
    }
    standardError = errors
    truncated = outcome.truncated
    switch outcome.ending {
    case .exited(let status): ending = .exited(status)
    case .signaled(let signal): ending = .crashed(signal: signal)
    case .timedOut: ending = .timedOut(timeLimit)
    }
  }

  /// `bytes` as text (invalid UTF-8 repaired) without control characters but newline and tab, and without
  /// escape sequences (`ESC [ … m`, `ESC ] … BEL`): a program's colours or title changes are not data.
  static func plainText(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes, as: UTF8.self).replacing("\r\n", with: "\n")
    var result = String.UnicodeScalarView()
    var scalars = text.unicodeScalars.makeIterator()
    while let scalar = scalars.next() {
      switch scalar {
      case "\n", "\t": result.append(scalar)
      case "\u{1B}":
        // ESC: drop the sequence it starts (CSI up to its final byte, OSC/DCS/APC/PM/SOS up to BEL or ESC \).
        guard let kind = scalars.next() else { break }
        if kind == "[" {
          while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
        } else if "]PX^_".unicodeScalars.contains(kind) {
          while let next = scalars.next(), next != "\u{07}" {
            if next == "\u{1B}" {
              _ = scalars.next()  // the backslash of the ESC-backslash terminator
              break
            }
          }
        }
      case "\r": if result.last != "\n" { result.append("\n") }
      default:
        if scalar.properties.generalCategory != .control && scalar.properties.generalCategory != .format
          || scalar.value == 0x200D
        {
          result.append(scalar)
        }
      }
    }
    return String(result)
  }

  /// Why the run tells nothing about what the code does, or `nil` when it does: it printed nothing and either
  /// exited normally or failed because the code uses a name it does not define (``undefinedNames``: a pasted
  /// fragment such as `for i in 0...items.count { … }`). A crash or another error is something the code does.
  public var toldNothing: String? {
    guard standardOutput.allSatisfy(\.isWhitespace) else { return nil }
    if case .exited(0) = ending { return "it printed nothing" }
    return undefinedNames.first.map { "the code uses '\($0)', which it does not define" }
  }

  /// The run as the model reads it: the exit status, then each non-empty stream. A run that told nothing
  /// (``toldNothing``) begins with `No result: <why>.`
  public var report: String { report(note: nil) }

  /// The report with `note` (how the code was run) after the output: the result comes first.
  func report(note: String?) -> String {
    let text = streams + (note.map { "\n" + $0 } ?? "")
    guard let reason = toldNothing else { return text }
    return Runner.Configuration.CodeRunningTool.noResult + reason + ".\n" + text
  }

  private var streams: String {
    var lines: [String]
    switch ending {
    case .exited(let status): lines = ["exit status: \(status)\(status == 0 ? "" : " (failed)")"]
    case .crashed(let signal): lines = ["crashed: signal \(signal)\(Self.signalNames[signal].map { " (\($0))" } ?? "")"]
    case .timedOut(let seconds): lines = ["stopped: still running after \(Self.seconds(seconds)), so it was killed"]
    case .notRun(let reason): return "The code did not run: \(reason)."
    }
    if !standardOutput.isEmpty { lines.append("stdout:\n" + standardOutput.trimmingTrailingNewlines) }
    if !standardError.isEmpty { lines.append("stderr:\n" + standardError.trimmingTrailingNewlines) }
    if standardOutput.isEmpty && standardError.isEmpty { lines.append("(it printed nothing)") }
    if truncated { lines.append("(output cut: only the first part is shown)") }
    return lines.joined(separator: "\n")
  }

  private static let signalNames: [Int32: String] = [
    4: "illegal instruction: Swift stops this way on a runtime error", 5: "trace trap: a Swift runtime error",
    6: "aborted", 8: "arithmetic error", 9: "killed", 11: "segmentation fault",
  ]

  private static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
  }
}

extension String {
  fileprivate var trimmingTrailingNewlines: String {
    var text = self
    while text.last == "\n" { text.removeLast() }
    return text
  }
}
