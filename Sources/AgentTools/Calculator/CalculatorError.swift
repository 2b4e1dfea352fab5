/// Why an expression could not be evaluated, with the position of the problem when there is one.
///
/// The message is written for the model (and a person) to act on: it names what was found, what was
/// expected instead, and where, so a model can correct its expression and call the tool again.
public struct CalculatorError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kind of problem.
  public struct Code: Sendable, Hashable, CustomStringConvertible {
    private let name: String
    private init(_ name: String) { self.name = name }

    /// The expression is empty or only whitespace.
    public static let emptyExpression = Code("empty_expression")
    /// The expression is longer than ``Calculator/Configuration/maximumLength``.
    public static let expressionTooLong = Code("expression_too_long")
    /// A character that is not part of the expression language.
    public static let invalidCharacter = Code("invalid_character")
    /// A malformed number such as `1.2.3` or `1e`.
    public static let invalidNumber = Code("invalid_number")
    /// A token in a place where it cannot appear.
    public static let unexpectedToken = Code("unexpected_token")
    /// The expression ended where more was needed (for example `2 +`).
    public static let unexpectedEnd = Code("unexpected_end")
    /// A `(` without its `)` or a `)` without its `(`.
    public static let unbalancedParentheses = Code("unbalanced_parentheses")
    /// A name that is neither a function nor a constant.
    public static let unknownName = Code("unknown_name")
    /// A function called with the wrong number of arguments.
    public static let wrongArgumentCount = Code("wrong_argument_count")
    /// Division or modulo by zero.
    public static let divisionByZero = Code("division_by_zero")
    /// A result too large to represent.
    public static let overflow = Code("overflow")
    /// A function applied outside its domain, such as `sqrt(-1)` or `ln(0)`.
    public static let domainError = Code("domain_error")
    /// Parentheses or function calls nested deeper than ``Calculator/Configuration/maximumDepth``.
    public static let tooDeeplyNested = Code("too_deeply_nested")

    /// The code's stable snake_case name.
    public var description: String { name }
  }

  /// The kind of problem.
  public var code: Code
  /// What happened and what to do, in one sentence.
  public var message: String
  /// The 1-based character position of the problem in the expression, when it has one.
  public var position: Int?

  /// Creates an error.
  public init(_ code: Code, _ message: String, position: Int? = nil) {
    self.code = code
    self.message = message
    self.position = position
  }

  /// The message, prefixed with the position when there is one.
  public var description: String {
    if let position { "error at position \(position): \(message)" } else { "error: \(message)" }
  }
}
