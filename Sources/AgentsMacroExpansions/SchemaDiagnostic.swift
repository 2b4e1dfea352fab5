import SwiftDiagnostics

/// A diagnostic from the schema macros, with a stable identifier and a message that says what to change.
struct SchemaDiagnostic: DiagnosticMessage {
  let message: String
  let identifier: String
  let severity: DiagnosticSeverity

  var diagnosticID: MessageID { MessageID(domain: "AgentsMacros", id: identifier) }

  static func error(_ identifier: String, _ message: String) -> SchemaDiagnostic {
    SchemaDiagnostic(message: message, identifier: identifier, severity: .error)
  }

  static func warning(_ identifier: String, _ message: String) -> SchemaDiagnostic {
    SchemaDiagnostic(message: message, identifier: identifier, severity: .warning)
  }

  static func unsupportedDeclaration(_ kind: String) -> SchemaDiagnostic {
    .error(
      "unsupportedDeclaration",
      "@Schema can only be applied to a struct or an enum, not \(kind); describe reference types with a struct"
        + " that mirrors their data"
    )
  }

  static func missingTypeAnnotation(_ name: String) -> SchemaDiagnostic {
    .error(
      "missingTypeAnnotation",
      "@Schema cannot infer the type of '\(name)' from its initial value; add a type annotation"
    )
  }

  static let unsupportedPattern = SchemaDiagnostic.error(
    "unsupportedPattern",
    "@Schema needs one name per stored property; declare each tuple element as its own property"
  )

  static func immutableWithDefault(_ name: String) -> SchemaDiagnostic {
    .warning(
      "immutableWithDefault",
      "'\(name)' is a constant with an initial value, so it is left out of the schema and not decoded;"
        + " make it 'var' to let the model set it"
    )
  }

  static func missingFromCodingKeys(_ name: String) -> SchemaDiagnostic {
    .error(
      "missingFromCodingKeys",
      "'\(name)' is not in CodingKeys and has no default value, so it cannot be decoded; add a case for it"
        + " or give it a default value"
    )
  }

  static let emptyEnum = SchemaDiagnostic.error(
    "emptyEnum",
    "@Schema needs at least one case: an enum without cases has no values to describe"
  )

  static let noStoredProperties = SchemaDiagnostic.warning(
    "noStoredProperties",
    "this struct has only computed properties, which are not part of the schema, so its schema is an empty"
      + " object; make the properties the model should fill in stored properties"
  )

  static let guideOutsideProperty = SchemaDiagnostic.error(
    "guideOutsideProperty",
    "@Guide describes a stored property of a @Schema type; attach it to a 'var' or 'let'"
  )

  static let guideOnComputedProperty = SchemaDiagnostic.error(
    "guideOnComputedProperty",
    "@Guide has no effect on a computed property, which is not part of the schema; remove it or make the"
      + " property stored"
  )
}
