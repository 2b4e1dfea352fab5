import WireCore

/// The routes Ollama serves that the fake implements.
enum Endpoint: Equatable {
  /// `GET|HEAD /`.
  case root
  /// `GET|HEAD /api/version`.
  case version
  /// `GET|HEAD /api/tags`.
  case tags
  /// `POST /api/show`.
  case show
  /// `GET /api/ps`.
  case processes
  /// `DELETE /api/delete`.
  case delete
  /// `POST /api/pull`.
  case pull
  /// `POST /api/chat`.
  case nativeChat
  /// `GET /v1/models`.
  case openAIModels
  /// `GET /v1/models/{id}` with the id as given.
  case openAIModel(String)
  /// `POST /v1/chat/completions`.
  case chatCompletions
  /// `POST /v1/embeddings`.
  case embeddings
  /// llama-server's `POST /apply-template` (only with a context limit that serves a tokenizer).
  case applyTemplate
  /// llama-server's `POST /tokenize` (only with a context limit that serves a tokenizer).
  case tokenize
  /// llama-server's `GET /props` (only while the fake imitates llama-server: ``FakeOllamaServer/llamaServer``).
  case props
  /// A known path with the wrong method.
  case methodNotAllowed
  /// No such path.
  case notFound

  /// The streamed body kinds.
  enum StreamingKind {
    /// Server-sent events.
    case sse
    /// Newline-delimited JSON.
    case ndjson
  }

  /// The fixed routes: path, allowed methods, endpoint.
  private static let routes: [(path: String, methods: [String], endpoint: Endpoint)] = [
    ("/", ["GET", "HEAD"], .root),
    ("/api/version", ["GET", "HEAD"], .version),
    ("/api/tags", ["GET", "HEAD"], .tags),
    ("/api/show", ["POST"], .show),
    ("/api/ps", ["GET"], .processes),
    ("/api/delete", ["DELETE"], .delete),
    ("/api/pull", ["POST"], .pull),
    ("/api/chat", ["POST"], .nativeChat),
    ("/v1/models", ["GET"], .openAIModels),
    ("/v1/chat/completions", ["POST"], .chatCompletions),
    ("/v1/embeddings", ["POST"], .embeddings),
    ("/apply-template", ["POST"], .applyTemplate),
    ("/tokenize", ["POST"], .tokenize),
    ("/props", ["GET"], .props),
  ]

  /// Resolves a method and path.
  init(method: String, path: String) {
    if let route = Self.routes.first(where: { $0.path == path }) {
      self = route.methods.contains(method) ? route.endpoint : .methodNotAllowed
      return
    }
    // `/v1/models/:model`: one non-empty segment, so namespaced names fall through to 404 like Ollama's.
    let prefix = "/v1/models/"
    if path.hasPrefix(prefix) {
      let id = String(path.dropFirst(prefix.count))
      if !id.isEmpty, !id.contains("/") {
        self = method == "GET" ? .openAIModel(Self.percentDecoded(id)) : .methodNotAllowed
        return
      }
    }
    self = .notFound
  }

  /// The error body format for this endpoint.
  var family: ErrorBody.Family {
    switch self {
    case .openAIModels, .openAIModel, .chatCompletions, .embeddings, .applyTemplate, .tokenize, .props: .openAI
    default: .native
    }
  }

  /// The content type of this endpoint's successful JSON bodies.
  var jsonContentType: String { family == .openAI ? ContentType.openAIJSON : ContentType.nativeJSON }

  /// Whether `request` asks this endpoint for a stream, and of which kind.
  func streamingKind(for request: RecordedRequest) -> StreamingKind? {
    let stream = request.json?["stream"]?.boolValue
    switch self {
    case .chatCompletions: return stream == true ? .sse : nil
    case .nativeChat, .pull: return stream == false ? nil : .ndjson
    default: return nil
    }
  }

  /// `%XX` escapes decoded (ids like `llama3.2%3Alatest`).
  private static func percentDecoded(_ text: String) -> String {
    guard text.contains("%") else { return text }
    let input = Array(text.utf8)
    var bytes: [UInt8] = []
    var index = 0
    while index < input.count {
      if input[index] == UInt8(ascii: "%"), index + 2 < input.count,
        let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
      {
        bytes.append(value)
        index += 3
      } else {
        bytes.append(input[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
