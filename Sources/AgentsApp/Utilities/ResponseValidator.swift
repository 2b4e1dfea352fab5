import Foundation

/// One check on an agent's answer, for `agents test`.
public enum ResponseValidator: Sendable, Hashable {
  /// The answer contains one of these texts (case-insensitive).
  case containsAny([String])
  /// The answer contains this number (thousands separators and trailing zeros ignored).
  case containsNumber(Double)
  /// The run called this tool.
  case usedTool(String)
  /// The answer came from this agent (after handoffs), by display name.
  case answeredBy(String)
  /// The answer has at least this many characters.
  case minimumLength(Int)
  /// The answer has at least this many non-empty lines.
  case minimumLines(Int)

  /// Whether `result` passes, and a short reason when it does not.
  public func check(_ result: ConversationResult) -> String? {
    let answer = result.finalOutput
    switch self {
    case .containsAny(let texts):
      let lowered = answer.lowercased()
      return texts.contains { lowered.contains($0.lowercased()) }
        ? nil : "the answer mentions none of: \(texts.joined(separator: ", "))"
    case .containsNumber(let number):
      return Self.numbers(in: answer).contains { abs($0 - number) <= max(1e-9, abs(number) * 1e-9) }
        ? nil : "the answer does not contain \(CalculatorFormatting.format(number))"
    case .usedTool(let name):
      return result.toolCalls.contains { $0.name == name } ? nil : "the \(name) tool was not used"
    case .answeredBy(let name):
      return result.agentName == name ? nil : "answered by \(result.agentName), not \(name)"
    case .minimumLength(let count):
      return answer.trimmingWhitespace().count >= count ? nil : "the answer is shorter than \(count) characters"
    case .minimumLines(let count):
      let lines = answer.split(whereSeparator: \.isNewline).filter { !String($0).trimmingWhitespace().isEmpty }
      return lines.count >= count ? nil : "the answer has fewer than \(count) lines"
    }
  }

  /// The numbers written in `text`: `7,006,652` and `-3.5` are read as 7006652 and -3.5.
  ///
  /// A comma followed by exactly three digits is a thousands separator; a dot followed by a digit is
  /// the decimal point (once).
  static func numbers(in text: String) -> [Double] {
    var numbers: [Double] = []
    let characters = Array(text)
    func isDigit(_ index: Int) -> Bool { index < characters.count && characters[index].isASCII && characters[index].isNumber }
    var index = 0
    while index < characters.count {
      guard isDigit(index) else {
        index += 1
        continue
      }
      let negative = index > 0 && (characters[index - 1] == "-" || characters[index - 1] == "−")
      var digits = ""
      var sawDot = false
      while index < characters.count {
        let character = characters[index]
        if isDigit(index) {
          digits.append(character)
        } else if character == ",", !sawDot, isDigit(index + 1), isDigit(index + 2), isDigit(index + 3), !isDigit(index + 4) {
          // thousands separator: skip it
        } else if character == ".", !sawDot, isDigit(index + 1) {
          sawDot = true
          digits.append(".")
        } else {
          break
        }
        index += 1
      }
      if let value = Double(digits) { numbers.append(negative ? -value : value) }
    }
    return numbers
  }
}

/// A predefined question with the checks its answer must pass.
@MemberwiseInit
public struct TestScenario: Sendable, Hashable {
  /// The test's name, e.g. `math.multiplication`.
  public var name: String
  /// The agent asked.
  public var agentID: String
  /// The question.
  public var prompt: String
  /// The checks.
  public var validators: [ResponseValidator]
}

/// How one test scenario went.
public struct TestResult: Sendable, Hashable {
  /// The scenario's name.
  public var testName: String
  /// The agent asked.
  public var agentID: String
  /// Whether every check passed.
  public var success: Bool
  /// Seconds from question to answer.
  public var responseTime: Double
  /// The share of checks passed, from 0 to 1.
  public var responseQuality: Double
  /// Why it failed (the run's error or the failed checks), or `nil`.
  public var error: String?
  /// Why the answer was cut (`length` or `repetition`), or `nil` when it was complete.
  public var cut: String?
  /// Which run of the scenario this was, from 1 (`agents test --repeat N`).
  public var round: Int = 1
  /// The model that answered.
  public var model: String = ""
  /// The agent that gave the final answer (after handoffs).
  public var answeredBy: String = ""
  /// The tools the run called, in order.
  public var toolsCalled: [String] = []
  /// The final answer the checks were run on (empty when the run failed before answering), so a failure can be
  /// read in the results file.
  public var answer: String = ""

  /// Creates a result.
  public init(
    testName: String, agentID: String, success: Bool, responseTime: Double, responseQuality: Double,
    error: String? = nil
  ) {
    self.testName = testName
    self.agentID = agentID
    self.success = success
    self.responseTime = responseTime
    self.responseQuality = responseQuality
    self.error = error
  }

  /// The result as JSON with snake_case keys.
  public var json: JSONValue {
    .object([
      "test_name": .string(testName), "agent": .string(agentID), "success": .bool(success),
      "response_time": .double(ConversationResult.rounded(responseTime)),
      "response_quality": .double((responseQuality * 100).rounded() / 100),
      "error": error.map(JSONValue.string) ?? .null,
      "truncated": .bool(cut != nil),
      "cut": cut.map(JSONValue.string) ?? .null,
      "round": .int(round), "model": .string(model), "answered_by": .string(answeredBy),
      "tools_called": .array(toolsCalled.map(JSONValue.string)), "answer": .string(answer),
    ])
  }
}
