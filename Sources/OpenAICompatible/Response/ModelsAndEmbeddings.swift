import WireCore

/// A model as `/v1/models` lists it.
public struct ModelInfo: Sendable, Hashable {
  /// The model name with its tag, e.g. `llama3.2:latest`.
  public var id: String
  /// Unix seconds (Ollama: the last modification), if sent.
  public var created: Int?
  /// The namespace or owner (Ollama: `library` for official models).
  public var ownedBy: String?
  /// The object as received.
  public var raw: JSONValue

  /// Creates a model description.
  public init(id: String, created: Int? = nil, ownedBy: String? = nil, raw: JSONValue = .null) {
    self.id = id
    self.created = created
    self.ownedBy = ownedBy
    self.raw = raw
  }

  static func decode(_ json: JSONValue) -> ModelInfo? {
    guard let id = json["id"]?.stringValue else { return nil }
    return ModelInfo(id: id, created: json["created"]?.intValue, ownedBy: json["owned_by"]?.stringValue, raw: json)
  }
}

/// A request to `POST /v1/embeddings`.
public struct EmbeddingsRequest: Sendable, Hashable {
  /// The embedding model; `nil` uses the configuration's default model.
  public var model: String?
  /// The texts to embed.
  public var input: [String]
  /// The vector length, for models that can shorten their output.
  public var dimensions: Int?
  /// Server-specific fields merged into the body last.
  public var extra: JSONObject

  /// Creates a request for one or more texts.
  public init(model: String? = nil, input: [String], dimensions: Int? = nil, extra: JSONObject = JSONObject()) {
    self.model = model
    self.input = input
    self.dimensions = dimensions
    self.extra = extra
  }

  /// The JSON body; a single text is sent as a string, several as an array.
  public func jsonObject(defaultModel: String) -> JSONObject {
    var body = JSONObject()
    body["model"] = .string(model ?? defaultModel)
    body["input"] = input.count == 1 ? .string(input[0]) : .array(input.map(JSONValue.string))
    if let dimensions { body["dimensions"] = .int(dimensions) }
    body["encoding_format"] = "float"
    for (key, value) in extra { body[key] = value }
    return body
  }
}

/// The response of `POST /v1/embeddings`.
public struct EmbeddingsResponse: Sendable, Hashable {
  /// The vectors, in input order.
  public var embeddings: [[Double]]
  /// The model that produced them.
  public var model: String
  /// Token counts, if sent.
  public var usage: Usage?

  /// Creates a response.
  public init(embeddings: [[Double]], model: String, usage: Usage? = nil) {
    self.embeddings = embeddings
    self.model = model
    self.usage = usage
  }

  static func decode(_ json: JSONValue) throws(ResponseDecoding.Problem) -> EmbeddingsResponse {
    guard let data = json["data"]?.arrayValue else { throw ResponseDecoding.Problem(reason: "no \"data\" array") }
    var indexed: [(Int, [Double])] = []
    for (position, item) in data.enumerated() {
      let vector: [Double]
      if let numbers = item["embedding"]?.arrayValue {
        vector = numbers.compactMap(\.doubleValue)
        guard vector.count == numbers.count else {
          throw ResponseDecoding.Problem(reason: "embedding \(position) holds a non-number")
        }
      } else if let encoded = item["embedding"]?.stringValue, let bytes = Base64.decode(encoded), bytes.count % 4 == 0 {
        vector = stride(from: 0, to: bytes.count, by: 4).map { offset in
          let bits = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
          return Double(Float(bitPattern: bits))
        }
      } else {
        throw ResponseDecoding.Problem(reason: "item \(position) has no \"embedding\"")
      }
      indexed.append((item["index"]?.intValue ?? position, vector))
    }
    indexed.sort { $0.0 < $1.0 }
    return EmbeddingsResponse(
      embeddings: indexed.map(\.1),
      model: json["model"]?.stringValue ?? "",
      usage: ResponseDecoding.usage(json["usage"])
    )
  }
}
