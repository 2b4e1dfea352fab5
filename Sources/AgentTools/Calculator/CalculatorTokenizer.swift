/// One lexical element of a calculator expression.
struct CalculatorToken: Sendable, Equatable {
  /// What the token is.
  enum Kind: Sendable, Equatable {
    case number(Double)
    case name(String)
    case plus, minus, times, divide, power, modulo
    case leftParenthesis, rightParenthesis, comma
    case end
  }

  var kind: Kind
  /// 1-based character position of the token's first character.
  var position: Int
  /// The source text of the token, for error messages.
  var text: String
}

/// Splits an expression into tokens, accepting both ASCII and typographic operators (`×`, `÷`, `−`).
struct CalculatorTokenizer {
  private let characters: [Character]
  private var index = 0

  init(_ expression: String) { characters = Array(expression) }

  /// Tokenizes the whole expression; the last token is always `.end`.
  static func tokenize(_ expression: String) throws(CalculatorError) -> [CalculatorToken] {
    var tokenizer = CalculatorTokenizer(expression)
    var tokens: [CalculatorToken] = []
    while true {
      let token = try tokenizer.next()
      tokens.append(token)
      if token.kind == .end { return tokens }
    }
  }

  /// Currency signs, read as nothing: small models write `$45 * 0.8` for a price, and the sign changes no number.
  static let currencySigns: Set<Character> = ["$", "€", "£", "¥"]

  private mutating func next() throws(CalculatorError) -> CalculatorToken {
    while index < characters.count, characters[index].isWhitespace || Self.currencySigns.contains(characters[index]) {
      index += 1
    }
    let position = index + 1
    guard index < characters.count else { return CalculatorToken(kind: .end, position: position, text: "") }
    let character = characters[index]

    if character.isASCII, character.isNumber || character == "." { return try number() }
    if character == "π" {
      index += 1
      return CalculatorToken(kind: .name("pi"), position: position, text: "π")
    }
    if character.isLetter || character == "_" { return name() }

    index += 1
    let kind: CalculatorToken.Kind
    switch character {
    case "+": kind = .plus
    case "-", "−", "–": kind = .minus
    case "*", "×", "·", "⋅":
      if character == "*", index < characters.count, characters[index] == "*" {
        index += 1
        return CalculatorToken(kind: .power, position: position, text: "**")
      }
      kind = .times
    case "/", "÷", "∕": kind = .divide
    case "^": kind = .power
    case "%": kind = .modulo
    case "(", "[": kind = .leftParenthesis
    case ")", "]": kind = .rightParenthesis
    case ",": kind = .comma
    case "=":
      throw CalculatorError(
        .invalidCharacter, "'=' is not allowed; give only the expression to evaluate, e.g. 2 + 2",
        position: position)
    default:
      throw CalculatorError(
        .invalidCharacter,
        "unexpected character '\(character)'; use numbers, + - * / ^ %, parentheses and functions like sqrt(x)",
        position: position)
    }
    return CalculatorToken(kind: kind, position: position, text: String(character))
  }

  /// Reads `12`, `3.5`, `.5`, `1e6`, `2.5E-3`; a `_` or `,` digit group separator is not accepted.
  private mutating func number() throws(CalculatorError) -> CalculatorToken {
    let start = index
    var sawDot = false
    while index < characters.count {
      let c = characters[index]
      if c.isASCII, c.isNumber {
        index += 1
      } else if c == "." {
        if sawDot {
          throw CalculatorError(
            .invalidNumber, "malformed number '\(text(from: start, to: index + 1))': a second decimal point",
            position: index + 1)
        }
        sawDot = true
        index += 1
      } else {
        break
      }
    }
    // An exponent only when 'e' is followed by digits (optionally signed), so `2e` stays `2` then `e`.
    if index < characters.count, characters[index] == "e" || characters[index] == "E" {
      var lookahead = index + 1
      if lookahead < characters.count, characters[lookahead] == "+" || characters[lookahead] == "-" {
        lookahead += 1
      }
      if lookahead < characters.count, characters[lookahead].isASCII, characters[lookahead].isNumber {
        index = lookahead
        while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
      }
    }
    let literal = text(from: start, to: index)
    guard literal != ".", let value = Double(literal) else {
      throw CalculatorError(.invalidNumber, "malformed number '\(literal)'", position: start + 1)
    }
    guard value.isFinite else {
      throw CalculatorError(.overflow, "the number '\(literal)' is too large", position: start + 1)
    }
    return CalculatorToken(kind: .number(value), position: start + 1, text: literal)
  }

  private mutating func name() -> CalculatorToken {
    let start = index
    while index < characters.count,
      characters[index].isLetter || characters[index] == "_" || (characters[index].isASCII && characters[index].isNumber)
    {
      index += 1
    }
    let word = text(from: start, to: index)
    return CalculatorToken(kind: .name(word.lowercased()), position: start + 1, text: word)
  }

  private func text(from start: Int, to end: Int) -> String {
    String(characters[start..<min(end, characters.count)])
  }
}
