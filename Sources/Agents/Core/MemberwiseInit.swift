/// Adds the memberwise initializer Swift would synthesize, at the struct's own access level.
///
/// Swift synthesizes `init(…)` for a struct, but never above `internal`, so a `public` or `package` struct
/// had to write it out: each stored property named again as a parameter and in an assignment. With this
/// attribute each property is declared once:
///
/// ```swift
/// @MemberwiseInit
/// public struct ToolCallOutput: Sendable, Hashable {
///   /// The identifier of the call this answers.
///   public var callID: String
///   /// The output text the model reads.
///   public var output: String
/// }
/// ```
///
/// The parameters are Swift's own: one per stored property in declaration order, labelled with its name; a
/// `var` with an initial value defaults to it and an optional `var` without one to `nil`; constants with an
/// initial value, computed, `static` and `lazy` properties are left out. Write the initializer by hand where it
/// does more than assign (validation, normalization, other labels).
@attached(member, names: named(init))
package macro MemberwiseInit() = #externalMacro(module: "AgentsMacros", type: "MemberwiseInitMacro")
