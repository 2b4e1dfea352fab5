/// A file edit a tool call would make: the file, its new text and the diff between them.
public struct WorkspaceEdit: Sendable, Hashable {
  /// The file, with its current text (`nil` when it is new).
  public var target: WorkspaceWriteTarget
  /// The text the file will have.
  public var newText: String

  /// The change as a unified diff (`--- a/path`, `+++ b/path`, hunks); empty when nothing changes.
  public var diff: String {
    LineDiff(old: target.currentText ?? "", new: newText)
      .unified(path: target.path, isNewFile: target.currentText == nil)
  }

  /// One line for the model: what was written.
  var summary: String {
    let counts = LineDiff(old: target.currentText ?? "", new: newText).counts
    let verb = target.currentText == nil ? "Created" : "Updated"
    return "\(verb) \(target.path) (+\(counts.added) -\(counts.removed) lines)."
  }
}

extension ToolCatalog {
  /// The edit a `write_file` call with `arguments` would make.
  public func plannedWrite(_ arguments: JSONValue) throws -> WorkspaceEdit {
    let path = try ToolSchemas.requiredString("path", in: arguments)
    guard let content = arguments["content"]?.stringValue else {
      throw ToolArgumentsError(reason: "the argument 'content' is required: the whole new text of the file")
    }
    return WorkspaceEdit(target: try workspace.get().writeTarget(path), newText: content)
  }

  /// The edit an `apply_patch` call with `arguments` would make.
  public func plannedPatch(_ arguments: JSONValue) throws -> WorkspaceEdit {
    let path = try ToolSchemas.requiredString("path", in: arguments)
    let patch = try UnifiedPatch(try ToolSchemas.requiredString("patch", in: arguments))
    let target = try workspace.get().writeTarget(path)
    guard let current = target.currentText else {
      throw WorkspaceError(.notFound, "'\(target.path)' does not exist; create it with write_file instead")
    }
    return WorkspaceEdit(target: target, newText: try patch.apply(to: current))
  }

  func writeFileTool() -> FunctionTool {
    editingTool(
      .writeFile,
      description: "Create or replace a text file in the workspace with the given content. The user sees a diff "
        + "and must approve it before anything is written.",
      parameters: [
        ("path", .string, "File path relative to the workspace root, e.g. Sources/main.swift", true),
        ("content", .string, "The complete new text of the file", true),
      ], plan: { [self] in try plannedWrite($0) })
  }

  func applyPatchTool() -> FunctionTool {
    editingTool(
      .applyPatch,
      description: "Change an existing text file in the workspace with a unified diff (like `git diff`: '@@' hunk "
        + "headers, context lines starting with a space, removed lines with '-', added lines with '+'). Read the "
        + "file first so the context lines match. The user sees the diff and must approve it.",
      parameters: [
        ("path", .string, "File path relative to the workspace root", true),
        ("patch", .string, "The unified diff for this one file", true),
      ], plan: { [self] in try plannedPatch($0) })
  }

  /// A tool that plans an edit from its arguments, asks for approval with the edit's diff as the preview, and
  /// writes the file. A call whose edit cannot be planned (a bad path, a patch that does not match) runs without
  /// asking: it writes nothing and tells the model why.
  private func editingTool(
    _ tool: BuiltInTool, description: String, parameters: [(String, ToolSchemas.Primitive, String, Bool)],
    plan: @escaping @Sendable (JSONValue) throws -> WorkspaceEdit
  ) -> FunctionTool {
    let approval = ToolApproval.when { request in (try? plan(request.arguments)) != nil }
      .previewing { request in try? plan(request.arguments).diff }
    let workspace = self.workspace
    return FunctionTool(
      name: tool.rawValue, description: description, parameters: ToolSchemas.object(parameters),
      needsApproval: approval
    ) { arguments, _ in
      let edit: WorkspaceEdit
      do {
        edit = try plan(arguments)
      } catch let error as WorkspaceError {
        return "Error: \(error.message)"
      } catch let error as UnifiedPatch.Failure {
        return "Error: \(error.message)"
      }
      guard edit.target.currentText != edit.newText else { return "\(edit.target.path) already has this content; nothing written." }
      return WorkspaceToolOutput.run(workspace) { sandbox throws(WorkspaceError) in
        try sandbox.write(edit.newText, to: edit.target)
        return edit.summary
      }
    }
  }
}
