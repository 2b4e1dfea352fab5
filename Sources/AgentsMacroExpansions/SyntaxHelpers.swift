import SwiftSyntax

/// Reading doc comments, types and literals out of declarations.
enum SyntaxHelpers {
  /// The text of the `///` or `/** */` doc comment in `trivia`, lines joined by spaces and paragraphs by
  /// newlines, or `nil` when there is none.
  static func docComment(in trivia: Trivia) -> String? {
    var lines: [String] = []
    for piece in trivia {
      switch piece {
      case .docLineComment(let text):
        lines.append(stripped(String(text.dropFirst(3))))
      case .docBlockComment(let text):
        let body = text.dropFirst(3).dropLast(text.hasSuffix("*/") ? 2 : 0)
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
          var line = Substring(line).drop(while: { $0 == " " || $0 == "\t" })
          if line.hasPrefix("*") { line = line.dropFirst() }
          lines.append(stripped(String(line)))
        }
      default:
        continue
      }
    }
    var paragraphs: [String] = []
    var current: [String] = []
    for line in lines {
      if line.isEmpty {
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
        current = []
      } else {
        current.append(line)
      }
    }
    if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
    return paragraphs.isEmpty ? nil : paragraphs.joined(separator: "\n")
  }

  private static func stripped(_ text: String) -> String {
    var text = Substring(text)
    while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
    while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
    return String(text)
  }

  /// `text` as Swift source for a string literal.
  static func stringLiteral(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": result += "\\\\"
      case "\"": result += "\\\""
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20: result += "\\u{\(String(scalar.value, radix: 16))}"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }

  /// `"a", "b"` with the quotes escaped, for use inside a generated string literal.
  static func quotedList(_ names: [String]) -> String {
    names.map { "\\\"\($0)\\\"" }.joined(separator: ", ")
  }

  /// An identifier without surrounding backticks.
  static func plainName(_ token: TokenSyntax) -> String {
    let text = token.text
    if text.hasPrefix("`"), text.hasSuffix("`"), text.count >= 2 { return String(text.dropFirst().dropLast()) }
    return text
  }

  /// The wrapped type when `type` is `T?`, `T!`, `Optional<T>` or `Swift.Optional<T>`.
  static func optionalWrappedType(_ type: TypeSyntax) -> TypeSyntax? {
    if let optional = type.as(OptionalTypeSyntax.self) { return optional.wrappedType }
    if let unwrapped = type.as(ImplicitlyUnwrappedOptionalTypeSyntax.self) { return unwrapped.wrappedType }
    let genericArguments: GenericArgumentClauseSyntax?
    if let identifier = type.as(IdentifierTypeSyntax.self), identifier.name.text == "Optional" {
      genericArguments = identifier.genericArgumentClause
    } else if let member = type.as(MemberTypeSyntax.self), member.name.text == "Optional",
      member.baseType.as(IdentifierTypeSyntax.self)?.name.text == "Swift"
    {
      genericArguments = member.genericArgumentClause
    } else {
      return nil
    }
    guard let arguments = genericArguments?.arguments, arguments.count == 1,
      case .type(let wrapped) = arguments.first!.argument
    else { return nil }
    return wrapped
  }

  /// Source text for `type` usable before `.self`; `T!` becomes `Optional<T>`.
  static func typeExpression(_ type: TypeSyntax) -> String {
    if let unwrapped = type.as(ImplicitlyUnwrappedOptionalTypeSyntax.self) {
      return "Optional<\(unwrapped.wrappedType.trimmedDescription)>"
    }
    return type.trimmedDescription
  }

  /// The type of a literal initial value (`"x"`, `3`, `2.5`, `true`, `-1`, `["a"]`), or `nil` for other values.
  static func inferredType(of expression: ExprSyntax) -> String? {
    if expression.is(StringLiteralExprSyntax.self) { return "String" }
    if expression.is(IntegerLiteralExprSyntax.self) { return "Int" }
    if expression.is(FloatLiteralExprSyntax.self) { return "Double" }
    if expression.is(BooleanLiteralExprSyntax.self) { return "Bool" }
    if let prefix = expression.as(PrefixOperatorExprSyntax.self), prefix.operator.text == "-" {
      return inferredType(of: prefix.expression).flatMap { $0 == "Int" || $0 == "Double" ? $0 : nil }
    }
    if let array = expression.as(ArrayExprSyntax.self), let first = array.elements.first {
      let types = Set(array.elements.map { inferredType(of: $0.expression) })
      guard types.count == 1, let element = inferredType(of: first.expression) else { return nil }
      return "[\(element)]"
    }
    return nil
  }

  /// Whether `expression` always produces the same value, so that it can be shown as the schema's `default`:
  /// literals (except `nil`), collections of them, and member references such as `.celsius` or `Unit.celsius`.
  static func isConstant(_ expression: ExprSyntax) -> Bool {
    if let string = expression.as(StringLiteralExprSyntax.self) {
      return string.segments.allSatisfy { $0.is(StringSegmentSyntax.self) }
    }
    if expression.is(IntegerLiteralExprSyntax.self) || expression.is(FloatLiteralExprSyntax.self)
      || expression.is(BooleanLiteralExprSyntax.self)
    {
      return true
    }
    if let prefix = expression.as(PrefixOperatorExprSyntax.self) {
      return prefix.operator.text == "-" && isConstant(prefix.expression)
    }
    if let array = expression.as(ArrayExprSyntax.self) {
      return array.elements.allSatisfy { isConstant($0.expression) }
    }
    if let dictionary = expression.as(DictionaryExprSyntax.self) {
      guard case .elements(let elements) = dictionary.content else { return true }
      return elements.allSatisfy { isConstant($0.key) && isConstant($0.value) }
    }
    if let member = expression.as(MemberAccessExprSyntax.self) {
      guard let base = member.base else { return true }
      return base.is(DeclReferenceExprSyntax.self) || base.is(MemberAccessExprSyntax.self)
        || base.is(GenericSpecializationExprSyntax.self)
    }
    return false
  }
}

extension SyntaxHelpers {
  /// Whether the type body already declares `init(from:)`.
  static func declaresDecoder(_ decl: some DeclGroupSyntax) -> Bool {
    decl.memberBlock.members.contains { member in
      guard let initializer = member.decl.as(InitializerDeclSyntax.self) else { return false }
      let parameters = initializer.signature.parameterClause.parameters
      return parameters.count == 1 && parameters.first?.firstName.text == "from"
    }
  }

  /// Whether the type body already declares `encode(to:)`.
  static func declaresEncoder(_ decl: some DeclGroupSyntax) -> Bool {
    decl.memberBlock.members.contains { member in
      guard let function = member.decl.as(FunctionDeclSyntax.self), function.name.text == "encode" else {
        return false
      }
      let parameters = function.signature.parameterClause.parameters
      return parameters.count == 1 && parameters.first?.firstName.text == "to"
    }
  }
}

/// Joins generated source lines, indenting each by one level inside the generated extension.
enum GeneratedCode {
  static func lines(_ lines: [String]) -> String {
    lines.map { "  " + $0 }.joined(separator: "\n")
  }
}
