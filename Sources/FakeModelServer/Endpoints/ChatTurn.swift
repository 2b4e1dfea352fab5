import Synchronization
import WireCore

/// A reply with its ids, usage and timestamps resolved, ready to render in either API.
struct ChatTurn {
  /// The model string exactly as the client sent it.
  let model: String
  /// The scripted reply.
  let reply: FakeOllamaServer.Reply
  /// One id per tool call (scripted or generated like `call_k3n9x0qa`).
  let toolCallIDs: [String]
  /// Token counts (scripted or estimated).
  let usage: FakeOllamaServer.Usage
  /// When the response was produced.
  let created: FakeOllamaServer.Timestamp
  /// The number in `chatcmpl-N` (0…998 like Ollama's, so ids repeat).
  let responseNumber: UInt64

  /// The tool calls' arguments as JSON values for the native API (objects when they parse, else the raw text).
  var nativeArguments: [JSONValue] {
    reply.toolCalls.map { (try? JSONValue.parse($0.arguments)) ?? .string($0.arguments) }
  }

  /// `text` cut into pieces of `size` characters (`nil` or non-positive: one piece; empty text: none).
  static func pieces(of text: String, size: Int?) -> [String] {
    guard !text.isEmpty else { return [] }
    guard let size, size > 0 else { return [text] }
    var result: [String] = []
    var current = ""
    var count = 0
    for character in text {
      current.append(character)
      count += 1
      if count == size {
        result.append(current)
        current = ""
        count = 0
      }
    }
    if !current.isEmpty { result.append(current) }
    return result
  }

  /// About one token per four UTF-8 bytes, at least one.
  static func estimatedTokens(_ byteCount: Int) -> Int { max(1, (byteCount + 3) / 4) }
}

extension ServerCore {
  /// Takes the next reply for `request` and resolves ids and usage (`promptTokens`, when given, is the prompt's
  /// count under a context limit).
  func makeTurn(for request: RecordedRequest, model: String, promptTokens: Int? = nil) -> ChatTurn {
    let reply = nextReply(for: request)
    let (responseNumber, toolCallIDs) = state.withLock { state in
      let number = state.nextID()
      let ids = reply.toolCalls.map { call in
        call.id ?? "call_" + DeterministicHex.alphanumeric(counter: state.nextID(), count: 8)
      }
      return (number % 999, ids)
    }
    let promptBytes = request.messages.reduce(0) { total, message in
      total + (RecordedRequest.text(of: message["content"])?.utf8.count ?? 0)
    }
    let replyBytes =
      reply.content.utf8.count + (reply.reasoning?.utf8.count ?? 0)
      + reply.toolCalls.reduce(0) { $0 + $1.name.utf8.count + $1.arguments.utf8.count }
    let usage =
      reply.usage
      ?? FakeOllamaServer.Usage(
        promptTokens: promptTokens ?? ChatTurn.estimatedTokens(promptBytes),
        completionTokens: ChatTurn.estimatedTokens(replyBytes)
      )
    return ChatTurn(
      model: model, reply: reply, toolCallIDs: toolCallIDs, usage: usage, created: .now(),
      responseNumber: responseNumber
    )
  }

  /// The checks Ollama makes before running a chat: model known, chat-capable, tools and thinking supported.
  /// Returns the installed model, or the status and message of the error.
  func chatPreflight(model name: String, wantsTools: Bool, wantsThinking: Bool)
    -> Result<FakeOllamaServer.Model, ChatRejection>
  {
    guard !name.isEmpty else { return .failure(ChatRejection(status: 400, message: "model is required")) }
    guard let model = state.withLock({ $0.model(named: name) }) else {
      return .failure(ChatRejection(status: 404, message: "model '\(name)' not found"))
    }
    guard model.has(.completion) else {
      return .failure(ChatRejection(status: 400, message: "\"\(name)\" does not support chat"))
    }
    if wantsTools, !model.has(.tools) {
      return .failure(ChatRejection(status: 400, message: "\(ModelName.qualified(model.name)) does not support tools"))
    }
    if wantsThinking, !model.has(.thinking) {
      return .failure(ChatRejection(status: 400, message: "\"\(name)\" does not support thinking"))
    }
    return .success(model)
  }
}

/// Why Ollama refuses a chat request.
struct ChatRejection: Error {
  /// The HTTP status.
  let status: Int
  /// The error message.
  let message: String
}
