import WireCore

/// Decodes complete response bodies into the public response types, with errors that show an excerpt.
enum ChatCompletionDecoding {
  /// A non-streamed chat completion.
  static func completion(from body: [UInt8], url: String) throws(ModelServerError) -> ChatCompletion {
    let json = try parse(body, url: url)
    if json["error"] != nil, json["choices"] == nil {
      throw ModelServerError.streamError(ServerErrorMessage.message(in: json) ?? json.jsonString, url: url)
    }
    do {
      return try ResponseDecoding.completion(json)
    } catch {
      throw ModelServerError.malformedResponse(
        "not a chat completion (\(error.reason))", body: String(decoding: body, as: UTF8.self), url: url)
    }
  }

  /// Any JSON body.
  static func parse(_ body: [UInt8], url: String) throws(ModelServerError) -> JSONValue {
    do {
      return try JSONValue.parse(body)
    } catch {
      throw ModelServerError.malformedResponse(
        "the body is not JSON (\(error))", body: String(decoding: body, as: UTF8.self), url: url)
    }
  }
}

extension ChatCompletion {
  /// Decodes a non-streamed chat completion object (e.g. a recorded response).
  ///
  /// - Throws: ``ModelServerError/Code/malformedResponse`` naming what is missing.
  public init(json: JSONValue) throws(ModelServerError) {
    do {
      self = try ResponseDecoding.completion(json)
    } catch {
      throw ModelServerError.malformedResponse("not a chat completion (\(error.reason))", body: json.jsonString)
    }
  }
}

extension ChatCompletionChunk {
  /// Decodes one `chat.completion.chunk` object (e.g. a recorded stream event).
  ///
  /// - Throws: ``ModelServerError/Code/malformedResponse`` naming what is wrong.
  public init(json: JSONValue) throws(ModelServerError) {
    do {
      self = try ResponseDecoding.chunk(json)
    } catch {
      throw ModelServerError.malformedResponse("not a chat completion chunk (\(error.reason))", body: json.jsonString)
    }
  }
}
