import Testing

@testable import AgentTools

@Suite struct CalculatorTests {
  let calculator = Calculator()

  @Test(arguments: [
    ("1 + 2 * 3", 7.0),
    ("(1 + 2) * 3", 9),
    ("10 - 4 - 3", 3),
    ("100 / 10 / 5", 2),
    ("2 ^ 3 ^ 2", 512),
    ("-2 ^ 2", -4),
    ("(-2) ^ 2", 4),
    ("2 ^ -1", 0.5),
    ("-(3 + 4)", -7),
    ("--5", 5),
    ("+5 - -5", 10),
    ("17 % 5", 2),
    ("-17 % 5", -2),
    ("7.5 % 2", 1.5),
    ("2 * 3 % 4", 2),
    (".5 + 1.25", 1.75),
    ("1e3 + 2.5E-1", 1000.25),
    ("6 × 7", 42),
    ("84 ÷ 2", 42),
    ("50 − 8", 42),
    ("2 ** 10", 1024),
    ("sqrt(16) + abs(-3)", 7),
    ("round(2.5)", 3),
    ("round(-2.5)", -3),
    ("round(3.14159, 2)", 3.14),
    ("log(1000)", 3),
    ("log(8, 2)", 3),
    ("ln(e)", 1),
    ("floor(2.7) + ceil(2.1)", 5),
    ("max(1, 9, 4) - min(3, 2)", 7),
    ("SQRT(9)", 3),
    ("[2 + 3] * 2", 10),
    ("15%", 0.15),
    ("15% of 80", 12),
    ("17% of 2340", 397.8),
    ("sqrt(144) + 15% of 80", 24),
    ("(25%)", 0.25),
    ("40 * (1 - 25%)", 30),
    ("10 % (3)", 1),
    ("50% OF 10", 5),
    ("$45 - ($45 * 0.20)", 36),
    ("€12.50 * 2", 25),
    ("20% of £80", 16),
    ("100¥ / 4", 25),
  ])
  func evaluatesExactly(expression: String, expected: Double) throws {
    #expect(try calculator.evaluate(expression) == expected)
  }

  @Test func percentSignsAndTheRemainderOperator() throws {
    // '%' with no operand after it is a percent sign; between two operands it stays the remainder.
    #expect(abs(try calculator.evaluate("17% * 2340") - 397.8) < 1e-9)
    #expect(abs(try calculator.evaluate("sqrt(144) + 15% * 80") - 24) < 1e-9)
    #expect(try calculator.evaluateFormatted("17% * 2340") == "397.8")
    #expect(try calculator.evaluate("17 % 5 + 1") == 3)
    #expect(throws: CalculatorError.self) { try calculator.evaluate("15% of") }
  }

  @Test func trigonometryAndConstants() throws {
    #expect(abs(try calculator.evaluate("sin(pi / 2)") - 1) < 1e-12)
    #expect(abs(try calculator.evaluate("cos(pi)") + 1) < 1e-12)
    #expect(abs(try calculator.evaluate("tan(pi / 4)") - 1) < 1e-12)
    #expect(abs(try calculator.evaluate("2 * π") - 2 * Double.pi) < 1e-12)
  }

  @Test(arguments: [
    ("0.1 + 0.2", "0.3"),
    ("10 / 4", "2.5"),
    ("1 / 3", "0.333333333333"),
    ("2 ^ 60", "1.15292150461e+18"),
    ("123456 * 1000", "123456000"),
    ("-0.5 * 0", "0"),
  ])
  func formatsResultsForPeople(expression: String, expected: String) throws {
    #expect(try calculator.evaluateFormatted(expression) == expected)
  }

  @Test(arguments: [
    ("1 / 0", CalculatorError.Code.divisionByZero, 3),
    ("5 % (2 - 2)", .divisionByZero, 3),
    ("0 ^ -1", .divisionByZero, 3),
    ("10 ^ 400", .overflow, 4),
    ("1e308 * 10", .overflow, 7),
    ("exp(1000)", .overflow, 1),
    ("sqrt(-4)", .domainError, 1),
    ("ln(0)", .domainError, 1),
    ("log(-1)", .domainError, 1),
    ("log(8, 1)", .domainError, 1),
    ("(-8) ^ 0.5", .domainError, 6),
    ("tan(pi / 2)", .domainError, 1),
    ("asin(2)", .domainError, 1),
    ("round(2.5, 1.5)", .domainError, 1),
  ])
  func reportsArithmeticErrors(expression: String, code: CalculatorError.Code, position: Int) {
    let error = #expect(throws: CalculatorError.self) { try calculator.evaluate(expression) }
    #expect(error?.code == code)
    #expect(error?.position == position)
  }

  @Test(arguments: [
    ("", CalculatorError.Code.emptyExpression, nil as Int?),
    ("   ", .emptyExpression, nil),
    ("2 +", .unexpectedEnd, 4),
    ("2 + * 3", .unexpectedToken, 5),
    ("(1 + 2", .unbalancedParentheses, 7),
    ("1 + 2)", .unbalancedParentheses, 6),
    ("sqrt(4", .unbalancedParentheses, 7),
    ("2 pi", .unexpectedToken, 3),
    ("3 (4)", .unexpectedToken, 3),
    ("1.2.3", .invalidNumber, 4),
    (".", .invalidNumber, 1),
    ("2 @ 3", .invalidCharacter, 3),
    ("x = 2", .invalidCharacter, 3),
    ("foo(2)", .unknownName, 1),
    ("2 + y", .unknownName, 5),
    ("sqrt", .unexpectedToken, 1),
    ("sqrt(1, 2)", .wrongArgumentCount, 1),
    ("pi()", .unexpectedToken, 1),
    ("()", .unexpectedToken, 2),
    ("1e999", .overflow, 1),
  ])
  func reportsSyntaxErrorsWithPositions(expression: String, code: CalculatorError.Code, position: Int?) {
    let error = #expect(throws: CalculatorError.self) { try calculator.evaluate(expression) }
    #expect(error?.code == code)
    #expect(error?.position == position)
  }

  @Test func unknownFunctionsGetSuggestions() {
    let error = #expect(throws: CalculatorError.self) { try calculator.evaluate("sqr(9)") }
    #expect(error?.message.contains("did you mean 'sqrt'") == true)
    let constant = #expect(throws: CalculatorError.self) { try calculator.evaluate("2 * pie") }
    #expect(constant?.message.contains("'pi'") == true)
    #expect(constant?.description.hasPrefix("error at position 5:") == true)
  }

  @Test func errorMessagesSayWhatToDo() {
    let unclosed = #expect(throws: CalculatorError.self) { try calculator.evaluate("(1 + 2") }
    #expect(unclosed?.message == "'(' opened at position 1 is never closed; add ')'")
    let implicit = #expect(throws: CalculatorError.self) { try calculator.evaluate("2 pi") }
    #expect(implicit?.message.contains("2 * pi") == true)
  }

  @Test func refusesPathologicalInput() {
    let deep = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
    let nested = #expect(throws: CalculatorError.self) { try calculator.evaluate(deep) }
    #expect(nested?.code == .tooDeeplyNested)

    let minuses = String(repeating: "-", count: 10_000) + "1"
    let long = #expect(throws: CalculatorError.self) { try calculator.evaluate(minuses) }
    #expect(long?.code == .expressionTooLong)

    let manyMinuses = String(repeating: "-", count: 1_000) + "1"
    let unary = #expect(throws: CalculatorError.self) { try calculator.evaluate(manyMinuses) }
    #expect(unary?.code == .tooDeeplyNested)
  }

  @Test func longFlatExpressionsAreFine() throws {
    let sum = Array(repeating: "1", count: 500).joined(separator: " + ")
    #expect(try calculator.evaluate(sum) == 500)
  }
}

@Suite struct SuggestionsTests {
  @Test func findsCloseNames() {
    #expect(Suggestions.closest(to: "mth", in: ["math", "coding", "creative"]) == ["math"])
    #expect(Suggestions.closest(to: "llama3", in: ["llama3.2:latest", "qwen3:8b"]) == ["llama3.2:latest"])
    #expect(Suggestions.closest(to: "zzzzzz", in: ["math", "coding"]).isEmpty)
    #expect(Suggestions.didYouMean("cod", in: ["coding"]) == " (did you mean 'coding'?)")
  }
}
