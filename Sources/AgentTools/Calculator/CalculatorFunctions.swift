import Foundation

/// The functions and constants the calculator knows, with their domains.
enum CalculatorFunctions {
  /// The constants by lowercase name.
  static let constants: [String: Double] = [
    "pi": Double.pi,
    "e": M_E,
    "tau": 2 * Double.pi,
  ]

  /// A function's accepted argument counts and its implementation.
  struct Function: Sendable {
    var arity: ClosedRange<Int>
    var usage: String
    var apply: @Sendable (_ arguments: [Double], _ position: Int) throws(CalculatorError) -> Double
  }

  /// Every function by lowercase name.
  static let functions: [String: Function] = [
    "sqrt": unary("sqrt(x)") { x, position throws(CalculatorError) in
      guard x >= 0 else {
        throw CalculatorError(
          .domainError, "sqrt is undefined for negative numbers (got \(CalculatorFormatting.format(x)))",
          position: position)
      }
      return x.squareRoot()
    },
    "cbrt": unary("cbrt(x)") { x, _ in Foundation.cbrt(x) },
    "sin": unary("sin(x) with x in radians") { x, _ in Foundation.sin(x) },
    "cos": unary("cos(x) with x in radians") { x, _ in Foundation.cos(x) },
    "tan": unary("tan(x) with x in radians") { x, position throws(CalculatorError) in
      // cos(x) is never exactly 0 for a Double, so detect the poles by distance to an odd multiple of pi/2.
      let turns = (x - Double.pi / 2) / Double.pi
      if abs(turns - turns.rounded()) < 1e-12 {
        throw CalculatorError(.domainError, "tan is undefined at odd multiples of pi/2", position: position)
      }
      return Foundation.tan(x)
    },
    "asin": unary("asin", "asin(x) with -1 <= x <= 1", on: .unitInterval) { Foundation.asin($0) },
    "acos": unary("acos", "acos(x) with -1 <= x <= 1", on: .unitInterval) { Foundation.acos($0) },
    "atan": unary("atan(x)") { x, _ in Foundation.atan(x) },
    "log": Function(arity: 1...2, usage: "log(x) for base 10 or log(x, base)") { arguments, position throws(CalculatorError) in
      let x = arguments[0]
      try Domain.positive.check(x, "log", position)
      guard arguments.count == 2 else { return Foundation.log10(x) }
      let base = arguments[1]
      guard base > 0, base != 1 else {
        throw CalculatorError(
          .domainError, "the base of log must be positive and not 1 (got \(CalculatorFormatting.format(base)))",
          position: position)
      }
      return Foundation.log(x) / Foundation.log(base)
    },
    "ln": unary("ln", "ln(x)", on: .positive) { Foundation.log($0) },
    "log2": unary("log2", "log2(x)", on: .positive) { Foundation.log2($0) },
    "exp": unary("exp(x)") { x, _ in Foundation.exp(x) },
    "abs": unary("abs(x)") { x, _ in Swift.abs(x) },
    "floor": unary("floor(x)") { x, _ in x.rounded(.down) },
    "ceil": unary("ceil(x)") { x, _ in x.rounded(.up) },
    "round": Function(arity: 1...2, usage: "round(x) or round(x, digits)") { arguments, position throws(CalculatorError) in
      let x = arguments[0]
      guard arguments.count == 2 else { return x.rounded(.toNearestOrAwayFromZero) }
      let digits = arguments[1]
      guard digits == digits.rounded(), (0...15).contains(digits) else {
        throw CalculatorError(
          .domainError, "round's digits must be a whole number from 0 to 15 (got \(CalculatorFormatting.format(digits)))",
          position: position)
      }
      let scale = Foundation.pow(10, digits)
      return (x * scale).rounded(.toNearestOrAwayFromZero) / scale
    },
    "min": Function(arity: 1...64, usage: "min(a, b, ...)") { arguments, _ in arguments.min() ?? 0 },
    "max": Function(arity: 1...64, usage: "max(a, b, ...)") { arguments, _ in arguments.max() ?? 0 },
  ]

  /// Every name the calculator knows, for suggestions.
  static var allNames: [String] { Array(constants.keys) + Array(functions.keys) }

  private static func unary(
    _ usage: String, _ body: @escaping @Sendable (Double, Int) throws(CalculatorError) -> Double
  ) -> Function {
    Function(arity: 1...1, usage: usage) { arguments, position throws(CalculatorError) in
      try body(arguments[0], position)
    }
  }

  /// The function `name` of one argument, defined only on `domain`; outside it, a domain error that names it.
  private static func unary(
    _ name: String, _ usage: String, on domain: Domain, _ body: @escaping @Sendable (Double) -> Double
  ) -> Function {
    unary(usage) { x, position throws(CalculatorError) in
      try domain.check(x, name, position)
      return body(x)
    }
  }

  /// Where a function is defined, with the words a domain error uses for it.
  private enum Domain {
    /// x > 0 (logarithms).
    case positive
    /// -1 <= x <= 1 (asin, acos).
    case unitInterval

    func check(_ x: Double, _ name: String, _ position: Int) throws(CalculatorError) {
      let (contains, words) =
        switch self {
        case .positive: (x > 0, "for positive numbers")
        case .unitInterval: ((-1...1).contains(x), "from -1 to 1")
        }
      guard contains else {
        throw CalculatorError(
          .domainError, "\(name) is only defined \(words) (got \(CalculatorFormatting.format(x)))", position: position)
      }
    }
  }
}
