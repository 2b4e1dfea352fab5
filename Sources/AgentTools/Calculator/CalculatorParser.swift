/// A parsed calculator expression.
indirect enum CalculatorExpression: Sendable, Equatable {
  /// A binary operator.
  enum Operator: Sendable, Equatable {
    case add, subtract, multiply, divide, modulo, power
  }

  case number(Double)
  case constant(String, position: Int)
  case negate(CalculatorExpression)
  case binary(Operator, CalculatorExpression, CalculatorExpression, position: Int)
  case call(String, [CalculatorExpression], position: Int)
}

/// A recursive-descent parser for calculator expressions.
///
/// Grammar, lowest precedence first (`^` is right-associative and binds tighter than unary minus, so
/// `-2^2` is `-4` and `2^-1` is `0.5`):
/// ```
/// sum     := product (('+' | '-') product)*
/// product := unary (('*' | '/' | '%') unary)*
/// unary   := ('-' | '+') unary | power
/// power   := primary ('%' ('of' unary)?)? ('^' unary)?     -- '%' with no operand after it is percent

/// primary := number | name | name '(' sum (',' sum)* ')' | '(' sum ')'
/// ```
struct CalculatorParser {
  private let tokens: [CalculatorToken]
  private let maximumDepth: Int
  private var index = 0
  private var depth = 0

  private init(tokens: [CalculatorToken], maximumDepth: Int) {
    self.tokens = tokens
    self.maximumDepth = maximumDepth
  }

  /// Parses a whole expression or throws the first syntax error.
  static func parse(_ expression: String, maximumDepth: Int) throws(CalculatorError) -> CalculatorExpression {
    let tokens = try CalculatorTokenizer.tokenize(expression)
    guard tokens.count > 1 else {
      throw CalculatorError(.emptyExpression, "the expression is empty; give something to evaluate, e.g. 2 + 2")
    }
    var parser = CalculatorParser(tokens: tokens, maximumDepth: maximumDepth)
    let result = try parser.sum()
    let trailing = parser.current
    switch trailing.kind {
    case .end:
      return result
    case .rightParenthesis:
      throw CalculatorError(
        .unbalancedParentheses, "')' has no matching '('", position: trailing.position)
    case .number, .name, .leftParenthesis:
      throw CalculatorError(
        .unexpectedToken,
        "expected an operator before '\(trailing.text)' (write multiplication explicitly, e.g. 2 * pi)",
        position: trailing.position)
    default:
      throw CalculatorError(.unexpectedToken, "unexpected '\(trailing.text)'", position: trailing.position)
    }
  }

  private var current: CalculatorToken { tokens[index] }

  private mutating func advance() -> CalculatorToken {
    let token = tokens[index]
    if index < tokens.count - 1 { index += 1 }
    return token
  }

  private mutating func sum() throws(CalculatorError) -> CalculatorExpression {
    var left = try product()
    while true {
      let token = current
      let op: CalculatorExpression.Operator
      switch token.kind {
      case .plus: op = .add
      case .minus: op = .subtract
      default: return left
      }
      _ = advance()
      left = .binary(op, left, try product(), position: token.position)
    }
  }

  private mutating func product() throws(CalculatorError) -> CalculatorExpression {
    var left = try unary()
    while true {
      let token = current
      let op: CalculatorExpression.Operator
      switch token.kind {
      case .times: op = .multiply
      case .divide: op = .divide
      case .modulo: op = .modulo
      default: return left
      }
      _ = advance()
      left = .binary(op, left, try unary(), position: token.position)
    }
  }

  private mutating func unary() throws(CalculatorError) -> CalculatorExpression {
    switch current.kind {
    case .minus:
      let token = advance()
      return try nested(at: token) { (parser: inout CalculatorParser) throws(CalculatorError) in
        .negate(try parser.unary())
      }
    case .plus:
      let token = advance()
      return try nested(at: token) { (parser: inout CalculatorParser) throws(CalculatorError) in
        try parser.unary()
      }
    default:
      return try power()
    }
  }

  private mutating func power() throws(CalculatorError) -> CalculatorExpression {
    var base = try primary()
    if current.kind == .modulo, isPercentSign(followedBy: tokens[min(index + 1, tokens.count - 1)]) {
      let sign = advance()
      if case .name(let word) = current.kind, word.lowercased() == "of" {
        let of = advance()
        let whole = try nested(at: of) { (parser: inout CalculatorParser) throws(CalculatorError) in
          try parser.unary()
        }
        // (p * whole) / 100 rather than p / 100 * whole: 17% of 2340 is exactly 397.8.
        return .binary(.divide, .binary(.multiply, base, whole, position: of.position), .number(100), position: sign.position)
      }
      base = .binary(.divide, base, .number(100), position: sign.position)
    }
    guard current.kind == .power else { return base }
    let token = advance()
    let exponent = try nested(at: token) { (parser: inout CalculatorParser) throws(CalculatorError) in
      try parser.unary()
    }
    return .binary(.power, base, exponent, position: token.position)
  }

  /// Whether a `%` before `next` is a percent sign (`15%`, `15% of 80`, `17% * 2340`) rather than the remainder
  /// operator (`17 % 5`): it is when no operand follows it.
  private func isPercentSign(followedBy next: CalculatorToken) -> Bool {
    switch next.kind {
    case .number, .leftParenthesis: return false
    case .name(let word): return word.lowercased() == "of"
    default: return true
    }
  }

  private mutating func primary() throws(CalculatorError) -> CalculatorExpression {
    let token = advance()
    switch token.kind {
    case .number(let value):
      return .number(value)
    case .name(let name):
      guard current.kind == .leftParenthesis else { return .constant(name, position: token.position) }
      let open = advance()
      let arguments = try nested(at: open) { (parser: inout CalculatorParser) throws(CalculatorError) in
        try parser.arguments(of: token)
      }
      return .call(name, arguments, position: token.position)
    case .leftParenthesis:
      let inner = try nested(at: token) { (parser: inout CalculatorParser) throws(CalculatorError) in
        try parser.sum()
      }
      try expectClosing(openedAt: token)
      return inner
    case .end:
      throw CalculatorError(
        .unexpectedEnd, "the expression ends too early; a number or '(' is missing at the end",
        position: token.position)
    case .rightParenthesis:
      throw CalculatorError(
        .unexpectedToken, "expected a number before ')'", position: token.position)
    default:
      throw CalculatorError(
        .unexpectedToken, "expected a number, a name or '(' but found '\(token.text)'", position: token.position)
    }
  }

  private mutating func arguments(of function: CalculatorToken) throws(CalculatorError) -> [CalculatorExpression] {
    var arguments: [CalculatorExpression] = []
    if current.kind == .rightParenthesis {
      _ = advance()
      return arguments
    }
    while true {
      arguments.append(try sum())
      if current.kind == .comma {
        _ = advance()
        continue
      }
      try expectClosing(openedAt: function)
      return arguments
    }
  }

  private mutating func expectClosing(openedAt opening: CalculatorToken) throws(CalculatorError) {
    let token = current
    switch token.kind {
    case .rightParenthesis:
      _ = advance()
    case .end:
      throw CalculatorError(
        .unbalancedParentheses, "'(' opened at position \(opening.position) is never closed; add ')'",
        position: token.position)
    default:
      throw CalculatorError(
        .unexpectedToken, "expected ')' or an operator but found '\(token.text)'", position: token.position)
    }
  }

  /// Runs `body` one nesting level deeper, refusing pathological depth instead of overflowing the stack.
  private mutating func nested<T>(
    at token: CalculatorToken, _ body: (inout CalculatorParser) throws(CalculatorError) -> T
  ) throws(CalculatorError) -> T {
    depth += 1
    defer { depth -= 1 }
    guard depth <= maximumDepth else {
      throw CalculatorError(
        .tooDeeplyNested, "the expression nests deeper than \(maximumDepth) levels; simplify it",
        position: token.position)
    }
    return try body(&self)
  }
}
