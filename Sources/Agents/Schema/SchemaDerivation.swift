import Synchronization

/// Tracks the types whose schemas are being built, so that recursive types become `$ref`s instead of
/// recursing forever, and collects the `$defs` those references point to.
///
/// One context lives for the building of one top-level schema; it is bound to a task-local value, so
/// concurrent derivations on other threads or tasks never share it.
final class SchemaDerivationContext: Sendable {
  private struct State {
    var stack: [ObjectIdentifier] = []
    var recursive: Set<ObjectIdentifier> = []
    var defined: Set<ObjectIdentifier> = []
    var names: [ObjectIdentifier: String] = [:]
    var definitions = JSONObject()
  }

  @TaskLocal static var current: SchemaDerivationContext?

  private let state = Mutex(State())

  /// Runs `build` with a derivation context, creating one (and attaching its `$defs` to the result) when
  /// this is the outermost schema being built.
  static func withContext(_ build: (SchemaDerivationContext) -> JSONValue) -> JSONSchema {
    if let context = current { return JSONSchema(build(context)) }
    let context = SchemaDerivationContext()
    return $current.withValue(context) {
      var root = build(context)
      root = context.resolvingRootReference(root)
      return JSONSchema(context.attachingDefinitions(to: root))
    }
  }

  /// Builds the schema of `type`, or returns a `$ref` to it when `type` is already being built further up.
  func schema(of type: Any.Type, build: () -> JSONValue) -> JSONValue {
    let id = ObjectIdentifier(type)
    let isInProgress = state.withLock { state in
      if state.defined.contains(id) { return true }
      guard state.stack.contains(id) else {
        state.stack.append(id)
        return false
      }
      state.recursive.insert(id)
      return true
    }
    if isInProgress { return reference(to: id, type: type) }
    let built = build()
    let isRecursive = state.withLock { state in
      state.stack.removeLast()
      return state.recursive.contains(id)
    }
    guard isRecursive else { return built }
    let name = definitionName(for: id, type: type)
    state.withLock { state in
      state.definitions[name] = built
      state.defined.insert(id)
    }
    return reference(to: id, type: type)
  }

  private func reference(to id: ObjectIdentifier, type: Any.Type) -> JSONValue {
    ["$ref": .string("#/$defs/" + definitionName(for: id, type: type))]
  }

  private func definitionName(for id: ObjectIdentifier, type: Any.Type) -> String {
    state.withLock { state in
      if let name = state.names[id] { return name }
      let base = Self.sanitizedName(String(describing: type))
      var name = base
      var suffix = 2
      while state.names.values.contains(name) {
        name = "\(base)_\(suffix)"
        suffix += 1
      }
      state.names[id] = name
      return name
    }
  }

  /// A root that is itself a reference (a recursive root type) is replaced by its definition, so that the
  /// document's root keeps its `type` (models and strict mode want an object at the root).
  private func resolvingRootReference(_ root: JSONValue) -> JSONValue {
    guard case .object(let object) = root, object.count == 1, let reference = object["$ref"]?.stringValue,
      reference.hasPrefix("#/$defs/")
    else { return root }
    let name = String(reference.dropFirst("#/$defs/".count))
    return state.withLock { $0.definitions[name] } ?? root
  }

  private func attachingDefinitions(to root: JSONValue) -> JSONValue {
    let definitions = state.withLock { $0.definitions }
    guard !definitions.isEmpty, case .object(var object) = root else { return root }
    var merged = object["$defs"]?.objectValue ?? JSONObject()
    for (name, schema) in definitions { merged[name] = schema }
    object["$defs"] = .object(merged)
    return .object(object)
  }

  /// Turns a Swift type name such as `Tree<Int>` into a `$defs` key such as `Tree_Int`.
  static func sanitizedName(_ name: String) -> String {
    var result = ""
    var pendingSeparator = false
    for scalar in name.unicodeScalars {
      if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
        if pendingSeparator && !result.isEmpty { result.append("_") }
        result.unicodeScalars.append(scalar)
        pendingSeparator = false
      } else {
        pendingSeparator = true
      }
    }
    return result.isEmpty ? "Type" : result
  }
}

extension JSONSchema {
  /// Builds a schema that embeds other types' schemas (an array's items, a dictionary's values).
  ///
  /// Conformances that call another type's `jsonSchema` should build through this, so that recursive types
  /// nested inside them place their `$defs` at the root of the finished document.
  public static func composed(_ build: () -> JSONValue) -> JSONSchema {
    SchemaDerivationContext.withContext { _ in build() }
  }

  /// The schema of a type built by `build`, emitted as a `$ref` into `$defs` when the type contains itself.
  ///
  /// The `@Schema` macro builds every struct and enum schema through this; use it in hand-written
  /// conformances of types that may be recursive.
  public static func named(_ type: Any.Type, _ build: () -> JSONValue) -> JSONSchema {
    SchemaDerivationContext.withContext { context in context.schema(of: type, build: build) }
  }
}
