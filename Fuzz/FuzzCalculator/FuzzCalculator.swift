import AgentTools
import FuzzSupport

/// Fuzzes the calculator tool's tokenizer, parser and evaluator.
///
/// Properties: any text evaluates to a finite number or throws a `CalculatorError` (typed) whose message
/// is non-empty and whose position, if any, lies within the expression; deep nesting is refused by the
/// depth limit rather than the stack; a formatted result evaluates back to the same number (to the 12
/// significant digits the formatter keeps).
@main
enum CalculatorFuzzTarget {
  static func main() {
    FuzzDriver.run(check)
  }

  static func check(_ input: [UInt8]) {
    let expression = String(decoding: input, as: UTF8.self)
    let calculator = Calculator()
    let value: Double
    do {
      value = try calculator.evaluate(expression)
    } catch {
      FuzzCheck.require(!error.message.isEmpty, "error \(error.code) without a message", input: input)
      if let position = error.position {
        FuzzCheck.require(
          (1...expression.count + 1).contains(position),
          "error position \(position) is outside the \(expression.count)-character expression", input: input)
      }
      return
    }
    FuzzCheck.require(value.isFinite, "a non-finite result \(value) was returned", input: input)
    let formatted: String
    do {
      formatted = try calculator.evaluateFormatted(expression)
    } catch {
      FuzzCheck.require(false, "formatting failed after evaluation succeeded: \(error)", input: input)
      return
    }
    do {
      let again = try calculator.evaluate(formatted)
      let tolerance = max(abs(value), abs(again)) * 1e-11
      FuzzCheck.require(
        abs(again - value) <= tolerance, "formatted \(value) as \(formatted), which evaluates to \(again)",
        input: input)
    } catch {
      FuzzCheck.require(false, "the formatted result \(formatted) does not evaluate: \(error)", input: input)
    }
  }
}
