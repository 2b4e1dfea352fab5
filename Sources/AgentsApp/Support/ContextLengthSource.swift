import OllamaAPI
import OpenAICompatible
import Synchronization

/// Finds the context length a server gives a model, so chat and ask can trim history to fit it.
///
/// For llama.cpp's `llama-server` and vLLM: what `/v1/models` reports (`meta.n_ctx`, the context of one slot, or
/// `max_model_len`). For Ollama: `/api/ps` when the model is loaded (the `num_ctx` actually allocated), else `/api/show`'s
/// `num_ctx` parameter from the Modelfile, else the smaller of the model's maximum and 4096 (Ollama's default
/// `num_ctx` on machines under 24 GiB of VRAM; set `OLLAMA_CONTEXT_LENGTH`, `context_length` or
/// `--context-length` when the server uses more). Lookups that fail give no length (whole histories are sent);
/// answers are cached per model.
///
/// All the lookups of one ``apply(to:)`` share one time budget (``lookupBudget``, a ``RequestBudget`` inside
/// the command's own), so they cannot each wait a full timeout before the question is even sent. A server that
/// does not answer a lookup within the configured first-byte timeout is not answering at all: that error is
/// thrown, so the command fails after one timeout instead of waiting again for the question.
public final class ContextLengthSource: Sendable {
  private let lookup: @Sendable (String) async throws(ModelServerError) -> Int?
  /// Whose clock times ``lookupBudget``.
  private let transport: HTTPTransport
  private let cache = Mutex<[String: Int?]>([:])

  /// The time all lookups of one ``apply(to:)`` may take together: 15 seconds.
  public static let lookupBudget: Duration = .seconds(15)

  /// A source that asks `lookup` for each model name; `lookup` throws only when the server is not answering
  /// (the error then ends the command), and returns `nil` when it does not know; `transport` is the one its
  /// requests go through (its clock times ``lookupBudget``).
  public init(
    timedBy transport: HTTPTransport = .shared, lookup: @escaping @Sendable (String) async throws(ModelServerError) -> Int?
  ) {
    self.transport = transport
    self.lookup = lookup
  }

  /// A source that knows no context lengths (generic OpenAI-compatible servers).
  public static var none: ContextLengthSource { ContextLengthSource { _ in nil } }

  /// The served context length Ollama assumes when nothing else says: its default `num_ctx`.
  public static let ollamaDefaultContextLength = 4096

  /// A source that asks an Ollama server (`/api/ps`, then `/api/show`), without retries, within
  /// ``lookupBudget``, so an unreachable or stuck server costs little before the question itself reports it.
  public static func ollama(_ client: OllamaClient) -> ContextLengthSource {
    var quick = client
    quick.config.retry = .disabled
    let client = quick
    return ContextLengthSource(timedBy: client.transport) { model throws(ModelServerError) in
      let running = try await answer { () throws(ModelServerError) in try await client.runningModels() }
      if let loaded = running?.first(where: { tagged($0.name) == tagged(model) }), let length = loaded.contextLength {
        return length
      }
      guard let info = try await answer({ () throws(ModelServerError) in try await client.show(model) }) else {
        return nil
      }
      if let configured = info.configuredContextLength { return configured }
      return min(info.contextLength ?? ollamaDefaultContextLength, ollamaDefaultContextLength)
    }
  }

  /// A source that asks an OpenAI-compatible server's `/v1/models` (llama-server, vLLM), without retries, within
  /// ``lookupBudget``; other servers (OpenAI) say nothing, which sends whole histories.
  public static func openAICompatible(_ client: ChatCompletionsClient) -> ContextLengthSource {
    var quick = client
    quick.config.retry = .disabled
    let client = quick
    return ContextLengthSource(timedBy: client.transport) { model throws(ModelServerError) in
      guard let models = try await answer({ () throws(ModelServerError) in try await client.listModels() }) else {
        return nil
      }
      return ChatCompletionsClient.servedContextLength(of: model, in: models)
    }
  }

  /// What `request` returns, `nil` when it fails, or its error when the server sent nothing within the
  /// first-byte timeout (it is not answering; a request that ran out of the lookup budget just gives `nil`).
  private static func answer<Value>(
    _ request: () async throws(ModelServerError) -> Value
  ) async throws(ModelServerError) -> Value? {
    do {
      return try await request()
    } catch where error.code == .timedOut && error.timeoutPhase == .firstByte {
      throw error
    } catch {
      return nil
    }
  }

  /// `name` with Ollama's implied `:latest` tag when it has none.
  static func tagged(_ name: String) -> String {
    name.contains(":") ? name : name + ":latest"
  }

  /// The context length of `model`, cached after the first lookup.
  ///
  /// - Throws: ``ModelServerError`` (timed out) when the server is not answering.
  public func contextLength(of model: String) async throws(ModelServerError) -> Int? {
    if let cached = cache.withLock({ $0[model] }) { return cached }
    let length = try await lookup(model)
    cache.withLock { $0[model] = length }
    return length
  }

  /// Sets the context length of `agent` and every agent it can hand off to, where none is set; all lookups
  /// share ``lookupBudget``.
  ///
  /// - Throws: ``ModelServerError`` (timed out) when the server is not answering.
  public func apply(to agent: Agent) async throws(ModelServerError) {
    do {
      try await RequestBudget.withBudget(Self.lookupBudget, timedBy: transport) { () async throws in
        try await applyOnce(to: agent)
      }
    } catch let error as ModelServerError {
      throw error
    } catch {
      throw ModelServerError.cancelled(url: "")
    }
  }

  private func applyOnce(to agent: Agent) async throws(ModelServerError) {
    var pending = [agent]
    var seen = Set<ObjectIdentifier>()
    while let next = pending.popLast() {
      guard seen.insert(ObjectIdentifier(next)).inserted else { continue }
      pending += next.handoffs.map(\.agent)
      guard next.contextLength == nil, let model = next.model?.name, !model.isEmpty else { continue }
      if let length = try await contextLength(of: model) {
        next.contextLength = max(length, ContextWindow.contextLengthRange.lowerBound)
      }
    }
  }
}
