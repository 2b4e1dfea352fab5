/// Derives a JSON Schema from a struct or enum and makes it ``SchemaRepresentable`` and `Decodable`.
///
/// ```swift
/// /// A weather forecast request.
/// @Schema
/// struct Forecast {
///   /// The city to forecast, e.g. "Lyon".
///   var city: String
///   @Guide("Number of days", .range(1...10))
///   var days: Int
///   var unit: TemperatureUnit = .celsius
///   var note: String?
/// }
///
/// @Schema
/// enum TemperatureUnit: String { case celsius, fahrenheit }
/// ```
///
/// **Structs** become an `object` with one property per stored property, in declaration order (keys follow a
/// `CodingKeys` enum if the type declares one). A property is `required` unless it is optional or has a
/// default value; defaults whose expression is a literal or a member such as `.celsius` appear as `"default"`.
/// Nested types contribute their own `jsonSchema`. Descriptions come from `@Guide("…")` or, failing that,
/// from the `///` doc comment; the type's description comes from `@Schema(description:)` or its doc comment.
///
/// **Enums** without associated values become `{"type":"string","enum":[…]}` of their raw values (String or
/// integer raw types) or case names. Enums with associated values become an `anyOf` of single-key objects,
/// `{"caseName": {"label": …}}` (unlabeled values are `_0`, `_1`, …), the shape Swift's synthesized
/// `Codable` reads and writes.
///
/// **Coding.** The macro adds `Decodable` and `Encodable` when the type declares neither (a type that declares
/// only `Decodable` stays decode-only). It writes `init(from:)` and `encode(to:)` that match the schema, all
/// `nonisolated` so that they also work under default main-actor isolation: a struct's decoder gives a
/// property its default value when the model leaves the key out or sends `null` (Swift's synthesized decoder
/// would fail); enums without raw values are coded by case name; enums with associated values use the
/// single-key object shape above, and associated values with defaults may be left out. Enums with `String`
/// or integer raw values keep the standard library's coding. Declare `init(from:)` or `encode(to:)` in the
/// type body to replace the generated one. Decode with ``SchemaCoding`` so that dates are read as ISO 8601.
///
/// Generic types must constrain their parameters to ``SchemaRepresentable`` and `Codable`. Types that contain
/// themselves are supported: they are emitted once under `$defs` and referenced with `$ref`.
@attached(
  extension,
  conformances: SchemaRepresentable, Decodable, Encodable,
  names: named(jsonSchema), named(init(from:)), named(encode(to:))
)
public macro Schema(description: String? = nil) = #externalMacro(module: "AgentsMacros", type: "SchemaMacro")

/// Describes a stored property of a `@Schema` type to the model: a description and optional constraints.
///
/// ```swift
/// @Guide("ISO 3166 country code", .pattern("^[A-Z]{2}$")) var country: String
/// ```
///
/// The description takes precedence over the property's doc comment. See ``SchemaConstraint`` for constraints.
@attached(peer)
public macro Guide(_ description: String, _ constraints: SchemaConstraint...) =
  #externalMacro(module: "AgentsMacros", type: "GuideMacro")

/// Constrains a stored property of a `@Schema` type (its description then comes from the doc comment).
///
/// ```swift
/// @Guide(.count(1...5)) var tags: [String]
/// ```
@attached(peer)
public macro Guide(_ constraints: SchemaConstraint...) = #externalMacro(module: "AgentsMacros", type: "GuideMacro")
