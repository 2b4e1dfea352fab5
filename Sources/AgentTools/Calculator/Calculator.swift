import Foundation

/// Evaluates arithmetic expressions with a real parser: no `eval`, no shell, no code execution.
///
/// Supports `+ - * / ^ %` (and `× ÷ − **`), parentheses, unary minus, decimals and scientific notation,
/// the functions `sqrt cbrt sin cos tan asin acos atan log ln log2 exp abs floor ceil round min max`
/// and the constants `pi`, `e` and `tau`. `^` is right-associative; `%` is the remainder of truncated
/// division (its sign follows the dividend). Results that are not finite are reported as errors.
@MemberwiseInit
public struct Calculator: Sendable {
  /// Limits that keep evaluation cheap whatever the input.
  @MemberwiseInit
  public struct Configuration: Sendable, Hashable {
    /// The longest expression accepted, in characters.
    public var maximumLength: Int = 2_000
    /// The deepest nesting of parentheses, calls and unary operators accepted.
    public var maximumDepth: Int = 64
  }

  /// The limits in force.
  public var configuration: Configuration = Configuration()

  /// Parses and evaluates `expression`.
  ///
  /// - Throws: ``CalculatorError`` naming the problem and its position.
  public func evaluate(_ expression: String) throws(CalculatorError) -> Double {
    guard expression.count <= configuration.maximumLength else {
      throw CalculatorError(
        .expressionTooLong,
        "the expression has \(expression.count) characters; the limit is \(configuration.maximumLength)")
    }
    let tree = try CalculatorParser.parse(expression, maximumDepth: configuration.maximumDepth)
    return try Self.value(of: tree)
  }

  /// Evaluates `expression` and formats the result for people (`0.1 + 0.2` gives `0.3`).
  public func evaluateFormatted(_ expression: String) throws(CalculatorError) -> String {
    CalculatorFormatting.format(try evaluate(expression))
  }

  private static func value(of expression: CalculatorExpression) throws(CalculatorError) -> Double {
    switch expression {
    case .number(let value):
      return value
    case .constant(let name, let position):
      if let value = CalculatorFunctions.constants[name] { return value }
      if CalculatorFunctions.functions[name] != nil {
        throw CalculatorError(
          .unexpectedToken, "'\(name)' is a function; call it with parentheses, e.g. \(name)(2)", position: position)
      }
      throw unknownName(name, position: position)
    case .negate(let inner):
      return -(try value(of: inner))
    case .binary(let op, let left, let right, let position):
      return try apply(op, try value(of: left), try value(of: right), position: position)
    case .call(let name, let argumentExpressions, let position):
      guard let function = CalculatorFunctions.functions[name] else {
        if CalculatorFunctions.constants[name] != nil {
          throw CalculatorError(
            .unexpectedToken, "'\(name)' is a constant; use it without parentheses", position: position)
        }
        throw unknownName(name, position: position)
      }
      guard function.arity.contains(argumentExpressions.count) else {
        let expected =
          function.arity.count == 1 ? "\(function.arity.lowerBound)" : "\(function.arity.lowerBound) or more"
        throw CalculatorError(
          .wrongArgumentCount,
          "\(name) takes \(expected) argument\(function.arity.upperBound == 1 ? "" : "s") but got "
            + "\(argumentExpressions.count); use \(function.usage)",
          position: position)
      }
      var arguments: [Double] = []
      for argument in argumentExpressions { arguments.append(try value(of: argument)) }
      return try checked(try function.apply(arguments, position), operation: "\(name)(…)", position: position)
    }
  }

  private static func apply(
    _ op: CalculatorExpression.Operator, _ left: Double, _ right: Double, position: Int
  ) throws(CalculatorError) -> Double {
    switch op {
    case .add: return try checked(left + right, operation: "+", position: position)
    case .subtract: return try checked(left - right, operation: "-", position: position)
    case .multiply: return try checked(left * right, operation: "*", position: position)
    case .divide:
      guard right != 0 else {
        throw CalculatorError(.divisionByZero, "division by zero", position: position)
      }
      return try checked(left / right, operation: "/", position: position)
    case .modulo:
      guard right != 0 else {
        throw CalculatorError(.divisionByZero, "modulo by zero (x % 0 is undefined)", position: position)
      }
      return try checked(fmod(left, right), operation: "%", position: position)
    case .power:
      if left == 0, right < 0 {
        throw CalculatorError(.divisionByZero, "0 raised to a negative power divides by zero", position: position)
      }
      if left < 0, right != right.rounded() {
        throw CalculatorError(
          .domainError,
          "a negative number raised to a fractional power is not a real number", position: position)
      }
      return try checked(pow(left, right), operation: "^", position: position)
    }
  }

  private static func checked(_ result: Double, operation: String, position: Int) throws(CalculatorError) -> Double {
    if result.isNaN {
      throw CalculatorError(.domainError, "'\(operation)' has no real result here", position: position)
    }
    guard result.isFinite else {
      throw CalculatorError(
        .overflow, "the result of '\(operation)' is too large to represent (over 1.8e308)", position: position)
    }
    return result
  }

  private static func unknownName(_ name: String, position: Int) -> CalculatorError {
    CalculatorError(
      .unknownName,
      "unknown name '\(name)'\(Suggestions.didYouMean(name, in: CalculatorFunctions.allNames)); "
        + "known functions: \(CalculatorFunctions.functions.keys.sorted().joined(separator: ", ")); "
        + "constants: pi, e, tau",
      position: position)
  }
}

/// Formats calculator results the way people write numbers.
package enum CalculatorFormatting {
  /// Whole numbers without a fraction, others with up to 12 significant digits (hiding binary noise).
  package static func format(_ value: Double) -> String {
    if value == 0 { return "0" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    let text = String(format: "%.12g", value)
    guard text.contains("."), !text.contains("e") else { return trimExponent(text) }
    var trimmed = Substring(text)
    while trimmed.last == "0" { trimmed.removeLast() }
    if trimmed.last == "." { trimmed.removeLast() }
    return String(trimmed)
  }

  /// Trims zeros before the exponent of `%g` output: `1.50000e+20` becomes `1.5e+20`.
  private static func trimExponent(_ text: String) -> String {
    guard let e = text.firstIndex(of: "e"), text[..<e].contains(".") else { return text }
    var mantissa = Substring(text[..<e])
    while mantissa.last == "0" { mantissa.removeLast() }
    if mantissa.last == "." { mantissa.removeLast() }
    return String(mantissa) + text[e...]
  }
}
