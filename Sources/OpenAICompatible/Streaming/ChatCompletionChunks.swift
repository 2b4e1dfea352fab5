import WireCore

/// The validated chunks of a streamed chat completion, in order.
///
/// Ends cleanly at `data: [DONE]`, or at the end of the body if a `finish_reason` was seen (older
/// servers); a body that ends with neither throws ``ModelServerError/Code/streamCut``. A `data:` line
/// holding an `{"error":…}` object (or llama-server's `error:` line) throws
/// ``ModelServerError/Code/streamError`` with the server's message; undecodable data throws
/// ``ModelServerError/Code/malformedResponse`` with an excerpt. A server that ignored `stream: true` and
/// sent one JSON completion is accepted too: it arrives as one chunk.
public struct ChatCompletionChunks: AsyncSequence, Sendable {
  /// Each element is one decoded chunk.
  public typealias Element = ChatCompletionChunk

  private let response: TransportResponse

  /// Reads the chunks of a response to a streaming request (also used to replay recorded streams).
  public init(response: TransportResponse) {
    self.response = response
  }

  /// Iterates the chunks.
  public struct AsyncIterator: AsyncIteratorProtocol {
    private var events: SSEEventSequence<ResponseBody>.AsyncIterator
    private let body: ResponseBody
    private var wholeBody: ResponseBody?
    private let url: String
    private var sawFinish = false
    private var ended = false

    fileprivate init(response: TransportResponse) {
      events = SSEEventSequence(response.body).makeAsyncIterator()
      body = response.body
      url = response.url
      // A plain JSON answer to a streaming request: the server ignored `stream: true`.
      if response.hasMediaType("application/json") { wholeBody = response.body }
    }

    /// The next chunk, or `nil` after the end marker.
    ///
    /// - Throws: ``ModelServerError``.
    public mutating func next() async throws -> ChatCompletionChunk? {
      guard !ended else { return nil }
      if let body = wholeBody {
        ended = true
        return try await ChatCompletionChunks.singleChunk(from: body, url: url)
      }
      while true {
        let event: SSEEvent?
        do {
          event = try await events.next()
        } catch let error as ModelServerError {
          ended = true
          throw error
        } catch {
          ended = true
          throw ModelServerError.malformedResponse(String(describing: error), url: url)
        }
        guard let event else {
          ended = true
          if sawFinish { return nil }
          throw ModelServerError.streamCut(url: url)
        }
        if let chunk = try decode(event) { return chunk }
        if ended { return nil }
      }
    }

    /// The chunk in `event`, or `nil` for `[DONE]` and empty events.
    private mutating func decode(_ event: SSEEvent) throws(ModelServerError) -> ChatCompletionChunk? {
      let data = event.data
      if data == "[DONE]" || (data.utf8.count < 16 && data.trimmingASCIISpaces == "[DONE]") {
        ended = true
        // What follows is the end of the chunked body: read it in the background so the connection stays open.
        body.discardRemainder()
        return nil
      }
      if data.isEmpty { return nil }
      // The usual chunk, decoded without a JSON tree; anything else (errors included) goes through the tree below.
      if event.event != "error", let chunk = ChunkDecoder.chunk(data) {
        if chunk.choices.contains(where: { $0.finishReason != nil }) { sawFinish = true }
        return chunk
      }
      let json: JSONValue
      do {
        json = try JSONValue.parse(data)
      } catch {
        ended = true
        if event.event == "error" { throw ModelServerError.streamError(data, url: url) }
        throw ModelServerError.malformedResponse("a stream event is not JSON (\(error))", body: data, url: url)
      }
      if event.event == "error" || (json["error"] != nil && json["choices"] == nil) {
        ended = true
        let message = ServerErrorMessage.message(in: json) ?? json.jsonString
        throw ModelServerError.streamError(message, url: url, status: json["error"]?["code"]?.intValue)
      }
      do {
        let chunk = try ResponseDecoding.chunk(json)
        if chunk.choices.contains(where: { $0.finishReason != nil }) { sawFinish = true }
        return chunk
      } catch {
        ended = true
        throw ModelServerError.malformedResponse("a stream chunk has the wrong shape: \(error.reason)", body: data, url: url)
      }
    }
  }

  /// Starts iterating; iterate once.
  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(response: response)
  }

  /// Reads a whole JSON completion and presents it as one chunk.
  static func singleChunk(from body: ResponseBody, url: String) async throws -> ChatCompletionChunk {
    let bytes = try await body.collect(upTo: 64 << 20)
    let completion = try ChatCompletionDecoding.completion(from: bytes, url: url)
    let choices = completion.choices.map { choice in
      ChatCompletionChunk.Choice(
        index: choice.index,
        delta: ChatCompletionChunk.Delta(
          role: choice.message.role.rawValue,
          content: choice.message.content?.text,
          reasoning: choice.message.reasoning,
          toolCalls: choice.message.toolCalls.enumerated().map { position, call in
            ToolCallDelta(index: position, id: call.id, name: call.function.name, arguments: call.function.arguments)
          }
        ),
        finishReason: choice.finishReason ?? .stop
      )
    }
    return ChatCompletionChunk(
      id: completion.id, model: completion.model, created: completion.created, choices: choices,
      usage: completion.usage, raw: completion.raw)
  }
}

extension String {
  var trimmingASCIISpaces: String {
    var slice = Substring(self)
    while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
    while slice.last == " " || slice.last == "\t" { slice.removeLast() }
    return String(slice)
  }
}
