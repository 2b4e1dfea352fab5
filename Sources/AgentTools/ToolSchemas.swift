/// Small helpers for the built-in tools' JSON Schemas and arguments.
enum ToolSchemas {
  /// A JSON Schema primitive type.
  enum Primitive: String {
    case string, integer, boolean, number
  }

  /// An object schema from `(name, type, description, required)` properties, in order.
  static func object(_ properties: [(String, Primitive, String, Bool)]) -> JSONSchema {
    var fields = JSONObject()
    for (name, type, description, _) in properties {
      fields[name] = .object(["type": .string(type.rawValue), "description": .string(description)])
    }
    return JSONSchema(
      .object([
        "type": "object",
        "properties": .object(fields),
        "required": .array(properties.filter(\.3).map { .string($0.0) }),
        "additionalProperties": false,
      ]))
  }

  /// The non-empty string argument `name`, or a ``ToolArgumentsError`` the model can act on.
  static func requiredString(_ name: String, in arguments: JSONValue) throws(ToolArgumentsError) -> String {
    guard let value = arguments[name]?.stringValue, !value.trimmingWhitespace().isEmpty else {
      throw ToolArgumentsError(reason: "the argument '\(name)' is required and must be a non-empty string")
    }
    return value
  }
}

/// Runs workspace operations for tools and renders their results as text for the model.
enum WorkspaceToolOutput {
  /// Runs `body` on the sandbox, turning a refusal or failure into an explanatory output.
  static func run(
    _ workspace: Result<WorkspaceSandbox, WorkspaceError>,
    _ body: (WorkspaceSandbox) throws(WorkspaceError) -> String
  ) -> String {
    do {
      return try body(try workspace.get())
    } catch {
      return "Error: \(error.message)"
    }
  }

  static func render(_ listing: WorkspaceListing, path: String) -> String {
    guard !listing.entries.isEmpty else { return "'\(path)' is empty." }
    var lines = listing.entries.map { entry -> String in
      switch entry.kind {
      case .directory: return entry.path + "/"
      case .file: return entry.path + (entry.size.map { "  (\($0) bytes)" } ?? "")
      case .symbolicLink: return entry.path + "  (symbolic link)"
      case .other: return entry.path + "  (special file)"
      }
    }
    if listing.truncated { lines.append("… (listing cut at \(listing.entries.count) entries; list a subdirectory)") }
    return lines.joined(separator: "\n")
  }

  static func render(_ file: WorkspaceFileText) -> String {
    let last = file.firstLine + file.lines.count - 1
    var output = "\(file.path) (lines \(file.firstLine)-\(max(last, file.firstLine)) of \(file.totalLines))\n"
    let width = String(max(last, 1)).count
    for (offset, line) in file.lines.enumerated() {
      let number = String(file.firstLine + offset)
      output += String(repeating: " ", count: width - number.count) + number + "  " + line + "\n"
    }
    return output
  }

  static func render(_ result: WorkspaceSearchResult, query: String) -> String {
    guard !result.matches.isEmpty else {
      return "No matches for '\(query)' in \(result.filesSearched) text files."
    }
    var lines = result.matches.map { "\($0.path):\($0.line): \($0.text)" }
    if result.truncated { lines.append("… (more matches; narrow the search with a path or a longer query)") }
    return lines.joined(separator: "\n")
  }
}
