import SwiftDiagnostics
import SwiftParser
import SwiftSyntax
import SwiftSyntaxMacros

/// A stored property of a `@Schema` struct, as the schema and the generated decoder see it.
struct StoredProperty {
  /// The property name as written (backticks kept), for `self.name`.
  var name: String
  /// The JSON key: the `CodingKeys` raw value, or the name without backticks.
  var key: String
  /// Source text of the declared (or inferred) type.
  var type: String
  /// Source text of the wrapped type when the property is optional.
  var optionalWrapped: String?
  /// The initial value, if any.
  var defaultValue: ExprSyntax?
  /// Source of the description expression (a `@Guide` argument or a literal from the doc comment).
  var description: String?
  /// Source of the `@Guide` constraint expressions.
  var constraints: [String]

  var isOptional: Bool { optionalWrapped != nil }
}

/// Finds the stored properties of a struct, diagnosing the ones `@Schema` cannot describe.
struct StoredPropertyScanner {
  let context: any MacroExpansionContext
  private(set) var hasErrors = false

  init(context: some MacroExpansionContext) { self.context = context }

  static func isComputed(_ binding: PatternBindingSyntax) -> Bool {
    switch binding.accessorBlock?.accessors {
    case .getter?: return true
    case .accessors(let accessors)?:
      return accessors.contains { accessor in
        let kind = accessor.accessorSpecifier.tokenKind
        return kind == .keyword(.get) || kind == .keyword(.set) || kind == .keyword(._read)
          || kind == .keyword(._modify) || kind == .keyword(.unsafeAddress)
      }
    case nil: return false
    }
  }

  mutating func scan(_ members: MemberBlockItemListSyntax) -> [StoredProperty] {
    let codingKeys = Self.codingKeys(in: members)
    var properties: [StoredProperty] = []
    for member in members {
      guard let variable = member.decl.as(VariableDeclSyntax.self) else { continue }
      let modifiers = variable.modifiers.map(\.name.tokenKind)
      if modifiers.contains(.keyword(.static)) || modifiers.contains(.keyword(.class))
        || modifiers.contains(.keyword(.lazy))
      {
        continue
      }
      properties += scan(variable, codingKeys: codingKeys)
    }
    return properties
  }

  private mutating func scan(_ variable: VariableDeclSyntax, codingKeys: [String: String]?) -> [StoredProperty] {
    let isConstant = variable.bindingSpecifier.tokenKind == .keyword(.let)
    let guide = GuideArguments(attributes: variable.attributes)
    let description =
      guide.description ?? SyntaxHelpers.docComment(in: variable.leadingTrivia).map(SyntaxHelpers.stringLiteral)

    // In `var a, b: Int` only the last binding carries the annotation; it applies to the earlier ones.
    var sharedType: TypeSyntax?
    var found: [StoredProperty] = []
    for binding in variable.bindings.reversed() {
      if let annotation = binding.typeAnnotation?.type { sharedType = annotation }
      if Self.isComputed(binding) { continue }
      guard let identifier = binding.pattern.as(IdentifierPatternSyntax.self) else {
        diagnose(binding.pattern, .unsupportedPattern)
        continue
      }
      let name = identifier.identifier.text
      let plain = SyntaxHelpers.plainName(identifier.identifier)
      let initializer = binding.initializer?.value
      if isConstant, initializer != nil {
        context.diagnose(Diagnostic(node: binding, message: SchemaDiagnostic.immutableWithDefault(plain)))
        continue
      }
      let annotation = binding.typeAnnotation?.type ?? (binding.initializer == nil ? sharedType : nil)
      guard let type = annotation.map(SyntaxHelpers.typeExpression) ?? initializer.flatMap(SyntaxHelpers.inferredType)
      else {
        diagnose(binding, .missingTypeAnnotation(plain))
        continue
      }
      let wrapped = annotation.flatMap(SyntaxHelpers.optionalWrappedType)
      let key: String
      if let codingKeys {
        guard let mapped = codingKeys[plain] else {
          if initializer == nil && !(wrapped != nil && !isConstant) {
            diagnose(binding, .missingFromCodingKeys(plain))
          }
          continue
        }
        key = mapped
      } else {
        key = plain
      }
      found.append(
        StoredProperty(
          name: name,
          key: key,
          type: type,
          optionalWrapped: wrapped?.trimmedDescription,
          defaultValue: initializer,
          description: description,
          constraints: guide.constraints
        )
      )
    }
    return found.reversed()
  }

  private mutating func diagnose(_ node: some SyntaxProtocol, _ message: SchemaDiagnostic) {
    hasErrors = hasErrors || message.severity == .error
    context.diagnose(Diagnostic(node: node, message: message))
  }

  /// The keys a nested `CodingKeys` enum assigns, by property name, or `nil` when the type declares none.
  static func codingKeys(in members: MemberBlockItemListSyntax) -> [String: String]? {
    guard
      let codingKeys = members.lazy.compactMap({ $0.decl.as(EnumDeclSyntax.self) })
        .first(where: { $0.name.text == "CodingKeys" })
    else { return nil }
    var keys: [String: String] = [:]
    for member in codingKeys.memberBlock.members {
      guard let caseDecl = member.decl.as(EnumCaseDeclSyntax.self) else { continue }
      for element in caseDecl.elements {
        let name = SyntaxHelpers.plainName(element.name)
        if let literal = element.rawValue?.value.as(StringLiteralExprSyntax.self),
          let text = literal.representedLiteralValue
        {
          keys[name] = text
        } else {
          keys[name] = name
        }
      }
    }
    return keys
  }
}

/// The arguments of a property's `@Guide(…)` attribute: an optional leading description and constraints.
struct GuideArguments {
  var description: String?
  var constraints: [String] = []

  init(attributes: AttributeListSyntax) {
    for element in attributes {
      guard case .attribute(let attribute) = element,
        attribute.attributeName.trimmedDescription == "Guide"
          || attribute.attributeName.trimmedDescription == "Agents.Guide",
        case .argumentList(let arguments)? = attribute.arguments
      else { continue }
      for (index, argument) in arguments.enumerated() {
        let isConstraint = Self.isConstraint(argument.expression)
        if index == 0 && !isConstraint {
          description = argument.expression.trimmedDescription
        } else {
          constraints.append(argument.expression.trimmedDescription)
        }
      }
    }
  }

  /// Whether `expression` is a constraint such as `.range(1...5)` or `SchemaConstraint.pattern("…")`, as
  /// opposed to a description (a string literal or a reference to a string constant).
  private static func isConstraint(_ expression: ExprSyntax) -> Bool {
    var callee = expression
    if let call = expression.as(FunctionCallExprSyntax.self) { callee = call.calledExpression }
    guard let member = callee.as(MemberAccessExprSyntax.self) else { return false }
    guard let base = member.base else { return true }
    return base.trimmedDescription.hasSuffix("SchemaConstraint")
  }
}
