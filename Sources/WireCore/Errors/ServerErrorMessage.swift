/// Extracts a server's own error message from an error response body, whatever its dialect.
public enum ServerErrorMessage {
  /// The message in `body`, or `nil` when it is empty.
  ///
  /// Understands OpenAI-style `{"error":{"message":"…"}}`, Ollama's native `{"error":"…"}`, vLLM's
  /// `{"object":"error","message":"…"}`, FastAPI's `{"detail":"…"}`, and plain text such as Go's
  /// `404 page not found`.
  public static func extract(from body: [UInt8]) -> String? {
    if let json = try? JSONValue.parse(body), let message = message(in: json) {
      return message
    }
    let text = String(decoding: body, as: UTF8.self).trimmingWhitespace()
    guard !text.isEmpty else { return nil }
    // An HTML error page is noise; keep only a short, single-line text.
    if text.hasPrefix("<") { return nil }
    return text.count <= 300 ? text : String(text.prefix(300)) + "…"
  }

  /// The message inside an already parsed JSON error object.
  public static func message(in json: JSONValue) -> String? {
    if let error = json["error"] {
      if let text = error.stringValue { return text }
      if let text = error["message"]?.stringValue { return text }
    }
    if let text = json["message"]?.stringValue { return text }
    if let text = json["detail"]?.stringValue { return text }
    if let text = json["detail"]?.arrayValue?.first?["msg"]?.stringValue { return text }
    return nil
  }
}
