import Foundation
import MCP
import WireCore

/// The text a model reads for an MCP tool result.
///
/// Local models read tool results as text, so every content block becomes text: text as it is; an image or
/// audio clip as a one-line description (type and size; the bytes are not sent); an embedded resource as its
/// URI followed by its text, or a description when it is binary; a resource link as its name, URI and
/// description. Blocks are separated by a blank line. With `usesStructuredContent`, a result's
/// `structuredContent` is sent as JSON instead (not for results flagged `isError`, whose text explains the failure).
public enum MCPToolOutput {
  /// The model's text for `result`.
  public static func text(_ result: CallTool.Result, usesStructuredContent: Bool = false) -> String {
    if usesStructuredContent, result.isError != true, let structured = result.structuredContent {
      return MCPValueConversion.jsonValue(structured).jsonString
    }
    return result.content.map(text(of:)).joined(separator: "\n\n")
  }

  /// The model's text for one content block.
  public static func text(of content: MCP.Tool.Content) -> String {
    switch content {
    case .text(let text, _, _):
      return text
    case .image(let data, let mimeType, _, _):
      return "[image: \(mimeType), \(size(ofBase64: data)); not shown, this model reads text only]"
    case .audio(let data, let mimeType, _, _):
      return "[audio: \(mimeType), \(size(ofBase64: data)); not played, this model reads text only]"
    case .resource(let resource, _, _):
      let type = resource.mimeType.map { " (\($0))" } ?? ""
      if let text = resource.text { return "[resource \(resource.uri)\(type)]\n\(text)" }
      return "[resource \(resource.uri)\(type): \(size(ofBase64: resource.blob ?? "")) of binary data, not shown]"
    case .resourceLink(let uri, let name, let title, let description, let mimeType, _):
      var line = "[resource link: \(title ?? name) <\(uri)>"
      if let mimeType { line += " (\(mimeType))" }
      if let description, !description.isEmpty { line += ": \(description)" }
      return line + "]"
    }
  }

  /// The decoded size of base64 text, e.g. `12.3 KB`.
  static func size(ofBase64 text: String) -> String {
    let padding = text.reversed().prefix(while: { $0 == "=" }).count
    let bytes = max(0, text.filter { !$0.isWhitespace }.count * 3 / 4 - padding)
    if bytes < 1000 { return "\(bytes) bytes" }
    let units = ["KB", "MB", "GB"]
    var value = Double(bytes) / 1000
    var unit = 0
    while value >= 1000, unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return String(format: "%.1f", value) + " " + units[unit]
  }
}
