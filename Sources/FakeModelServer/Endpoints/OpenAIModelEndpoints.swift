import Synchronization
import WireCore

extension ServerCore {
  /// `GET /v1/models`: installed models; `"data": null` when there are none, as Ollama sends it.
  func openAIModels() -> EndpointResponse {
    let models = state.withLock { $0.models }
    let data: JSONValue =
      models.isEmpty
      ? .null : .array(models.map { asLlamaServer(withServedContext(Self.openAIModelEntry(id: $0.name, $0))) })
    return .json(["object": "list", "data": data], contentType: ContentType.openAIJSON)
  }

  /// `GET /v1/models/{id}`: `id` echoes the path segment; unknown names get the normalized name in a 404.
  func openAIModel(_ id: String) -> EndpointResponse {
    guard let model = state.withLock({ $0.model(named: id) }) else {
      return ErrorBody.response(.openAI, status: 404, message: "model '\(ModelName.withTag(id))' not found")
    }
    return .json(Self.openAIModelEntry(id: id, model), contentType: ContentType.openAIJSON)
  }

  /// `POST /v1/embeddings`: deterministic unit vectors derived from the model name and each input.
  func embeddings(_ request: RecordedRequest) -> EndpointResponse {
    guard !request.body.isEmpty else { return ErrorBody.response(.openAI, status: 400, message: "EOF") }
    guard let body = request.json?.objectValue else {
      return ErrorBody.response(.openAI, status: 400, message: "invalid JSON request body")
    }
    let encoding = body["encoding_format"]?.stringValue ?? "float"
    guard encoding == "float" || encoding == "base64" else {
      return ErrorBody.response(
        .openAI, status: 400,
        message: "Invalid value for 'encoding_format' = \(encoding). Supported values: ['float', 'base64'].")
    }
    let inputs: [String]
    switch body["input"] {
    case .string(let text): inputs = [text]
    case .array(let items) where !items.isEmpty:
      let texts = items.compactMap(\.stringValue)
      guard texts.count == items.count else {
        return ErrorBody.response(.openAI, status: 400, message: "invalid input type")
      }
      inputs = texts
    case .int?, .double?:
      return ErrorBody.response(.openAI, status: 400, message: "invalid input type")
    default:
      return ErrorBody.response(.openAI, status: 400, message: "invalid input")
    }
    let modelName = body["model"]?.stringValue ?? ""
    guard let model = state.withLock({ $0.model(named: modelName) }) else {
      return ErrorBody.response(.openAI, status: 404, message: "model \"\(modelName)\" not found, try pulling it first")
    }
    let dimensions = body["dimensions"]?.intValue.flatMap { $0 > 0 ? $0 : nil } ?? model.embeddingLength
    var tokens = 0
    let data: [JSONValue] = inputs.enumerated().map { index, text in
      tokens += ChatTurn.estimatedTokens(text.utf8.count)
      let vector = FakeEmbedding.vector(model: model.name, text: text, dimensions: dimensions)
      let embedding: JSONValue =
        encoding == "base64"
        ? .string(FakeEmbedding.base64LittleEndian(vector))
        : .array(vector.map { .double(Double("\($0)") ?? Double($0)) })
      return ["object": "embedding", "embedding": embedding, "index": .int(index)]
    }
    markLoaded(model)
    return .json(
      [
        "object": "list", "data": .array(data), "model": .string(modelName),
        "usage": ["prompt_tokens": .int(tokens), "total_tokens": .int(tokens)],
      ],
      contentType: ContentType.openAIJSON
    )
  }

  /// One `/v1/models` entry.
  static func openAIModelEntry(id: String, _ model: FakeOllamaServer.Model) -> JSONValue {
    [
      "id": .string(id), "object": "model", "created": .int(model.modifiedAt.seconds),
      "owned_by": .string(ModelName.namespace(model.name)),
    ]
  }
}

/// Deterministic embeddings: the same model, text and width always give the same unit vector.
public enum FakeEmbedding {
  /// The vector the fake server returns for `text` embedded by `model` with `dimensions` values.
  public static func vector(model: String, text: String, dimensions: Int) -> [Float] {
    var state = DeterministicHex.hash(ModelName.withTag(model) + "\n" + text)
    var values = (0..<max(1, dimensions)).map { _ in
      Float(Double(DeterministicHex.splitMix(&state) >> 11) / Double(1 << 53) * 2 - 1)
    }
    let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    if norm > 0 { values = values.map { $0 / norm } }
    return values
  }

  /// The little-endian float32 bytes of `vector`, base64-encoded (Ollama's `encoding_format: "base64"`).
  public static func base64LittleEndian(_ vector: [Float]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(vector.count * 4)
    for value in vector {
      let bits = value.bitPattern.littleEndian
      withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
    }
    return Base64.encode(bytes)
  }
}
