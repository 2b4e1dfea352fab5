/// What a server said when a request did not fit its model's context: the sizes it reported, when it did.
///
/// ``recognize(_:)`` understands the messages of llama.cpp's `llama-server` (`exceed_context_size_error`,
/// also nested inside Ollama's errors, whose runner is llama-server), Ollama's own (`the input length exceeds
/// the context length`, its MLX runner's `input length (N tokens) exceeds the model's maximum context length`),
/// vLLM's three wordings (input too long, input plus completion too long, `max_tokens` too large), and OpenAI's
/// (`This model's maximum context length is … your messages resulted in …`). Fixtures of each live in
/// `Tests/OpenAICompatibleTests/Fixtures/context-overflow`.
public struct ContextOverflow: Sendable, Hashable {
  /// The prompt's size in tokens as the server counted it, when the message says.
  public var promptTokens: Int?
  /// The context length in tokens the request had to fit, when the message says.
  public var contextLength: Int?
  /// The answer tokens the request asked for (`max_tokens`), when the message says (vLLM).
  public var requestedAnswerTokens: Int?

  /// Creates a description of an overflow.
  public init(promptTokens: Int? = nil, contextLength: Int? = nil, requestedAnswerTokens: Int? = nil) {
    self.promptTokens = promptTokens
    self.contextLength = contextLength
    self.requestedAnswerTokens = requestedAnswerTokens
  }

  /// The overflow `message` (a server's error message) reports, or `nil` when it is about something else.
  public static func recognize(_ message: String) -> ContextOverflow? {
    // Ollama passes llama-server's whole JSON error body on as its message.
    if let nested = try? JSONValue.parse(message) {
      if let overflow = fromFields(nested["error"] ?? nested) { return overflow }
      if let text = ServerErrorMessage.message(in: nested), text != message { return recognize(text) }
    }
    let text = message.lowercased()
    if text.contains("exceed_context_size_error") || text.contains("exceeds the available context size") {
      return ContextOverflow(
        promptTokens: number(after: "request (", in: text), contextLength: number(after: "context size (", in: text))
    }
    if text.contains("maximum context length is") {
      let answer = number(after: "is too large: ", in: text)
      let prompt = number(after: "your request has ", in: text)
        ?? number(after: "resulted in ", in: text)
        ?? number(after: "tokens (", in: text)
      return ContextOverflow(
        promptTokens: prompt, contextLength: number(after: "maximum context length is ", in: text),
        requestedAnswerTokens: answer ?? number(after: "in the messages, ", in: text))
    }
    if text.contains("maximum context length (") {
      return ContextOverflow(
        promptTokens: number(after: "input length (", in: text),
        contextLength: number(after: "maximum context length (", in: text))
    }
    if text.contains("longer than the maximum model length of") {
      return ContextOverflow(
        promptTokens: number(after: "(length ", in: text),
        contextLength: number(after: "maximum model length of ", in: text))
    }
    return isGenericOverflow(text) ? ContextOverflow() : nil
  }

  /// llama-server's `n_prompt_tokens` and `n_ctx` fields, when `error` is its error object.
  private static func fromFields(_ error: JSONValue) -> ContextOverflow? {
    let type = error["type"]?.stringValue ?? ""
    guard type == "exceed_context_size_error" || error["n_ctx"]?.intValue != nil else { return nil }
    let fromMessage = error["message"]?.stringValue.flatMap(recognize)
    return ContextOverflow(
      promptTokens: error["n_prompt_tokens"]?.intValue ?? fromMessage?.promptTokens,
      contextLength: error["n_ctx"]?.intValue ?? fromMessage?.contextLength)
  }

  /// Other wordings: a context-size phrase next to an "exceeds"/"too long" phrase (never Go's
  /// `context deadline exceeded` or `context canceled`).
  private static func isGenericOverflow(_ text: String) -> Bool {
    guard !text.contains("context deadline"), !text.contains("context canceled") else { return false }
    let sizes = ["context length", "context size", "context window", "context limit", "maximum context", "max context"]
    let excess = ["exceed", "too long", "too large", "longer than", "greater than"]
    return sizes.contains { text.contains($0) } && excess.contains { text.contains($0) }
  }

  /// The whole number right after the first `phrase` in `text` (thousands separators allowed).
  static func number(after phrase: String, in text: String) -> Int? {
    guard let range = text.firstRange(of: phrase) else { return nil }
    var digits = ""
    for character in text[range.upperBound...] {
      if character.isASCII, character.isNumber {
        digits.append(character)
      } else if character == ",", !digits.isEmpty {
        continue
      } else {
        break
      }
    }
    return Int(digits)
  }
}

extension ModelServerError {
  /// The request did not fit the model's context; `overflow` has the sizes the server reported.
  public static func contextOverflow(
    _ overflow: ContextOverflow, serverMessage: String?, status: Int? = 400, url: String? = nil
  ) -> ModelServerError {
    let target = url.map { " at \(ServerAddress($0).redacted)" } ?? ""
    var sizes = ""
    switch (overflow.promptTokens, overflow.contextLength) {
    case (let prompt?, let context?): sizes = ": the prompt has \(prompt) tokens, the context \(context)"
    case (nil, let context?): sizes = " of \(context) tokens"
    case (let prompt?, nil): sizes = ": the prompt has \(prompt) tokens"
    case (nil, nil): break
    }
    var error = ModelServerError(
      code: .contextOverflow,
      summary: "The request does not fit the model's context on the server\(target)\(sizes)",
      recoverySuggestion: "Shorten the conversation or the message, ask for fewer answer tokens (max_tokens), or give "
        + "the model a larger context (llama-server --ctx-size, Ollama num_ctx or OLLAMA_CONTEXT_LENGTH, vLLM "
        + "--max-model-len).",
      status: status,
      serverMessage: serverMessage,
      url: url)
    error.promptTokens = overflow.promptTokens
    error.contextLength = overflow.contextLength
    error.requestedAnswerTokens = overflow.requestedAnswerTokens
    return error
  }

  /// For ``Code/contextOverflow``: the sizes the server reported.
  public var contextOverflow: ContextOverflow? {
    guard code == .contextOverflow else { return nil }
    return ContextOverflow(
      promptTokens: promptTokens, contextLength: contextLength, requestedAnswerTokens: requestedAnswerTokens)
  }
}
