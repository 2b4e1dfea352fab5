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
public final class ContextLengthSource: Sendable {
  private let lookup: @Sendable (String) async -> Int?
  private let cache = Mutex<[String: Int?]>([:])

  /// A source that asks `lookup` for each model name.
  public init(lookup: @escaping @Sendable (String) async -> Int?) { self.lookup = lookup }

  /// A source that knows no context lengths (generic OpenAI-compatible servers).
  public static var none: ContextLengthSource { ContextLengthSource { _ in nil } }

  /// The served context length Ollama assumes when nothing else says: its default `num_ctx`.
  public static let ollamaDefaultContextLength = 4096

  /// A source that asks an Ollama server, without retries and with at most 15 seconds per lookup, so an
  /// unreachable or stuck server costs little before the question itself reports it.
  public static func ollama(_ client: OllamaClient) -> ContextLengthSource {
    var quick = client
    quick.config.retry = .disabled
    quick.config.timeouts.firstByte = min(quick.config.timeouts.firstByte, .seconds(15))
    quick.config.timeouts.overall = .seconds(15)
    let client = quick
    return ContextLengthSource { model in
      if let running = try? await client.runningModels(),
        let loaded = running.first(where: { tagged($0.name) == tagged(model) }),
        let length = loaded.contextLength
      {
        return length
      }
      guard let info = try? await client.show(model) else { return nil }
      if let configured = info.configuredContextLength { return configured }
      return min(info.contextLength ?? ollamaDefaultContextLength, ollamaDefaultContextLength)
    }
  }

  /// A source that asks an OpenAI-compatible server's `/v1/models` (llama-server, vLLM); other servers (OpenAI)
  /// say nothing, which sends whole histories.
  public static func openAICompatible(_ client: ChatCompletionsClient) -> ContextLengthSource {
    ContextLengthSource { model in await client.servedContextLength(model: model) }
  }

  /// `name` with Ollama's implied `:latest` tag when it has none.
  static func tagged(_ name: String) -> String {
    name.contains(":") ? name : name + ":latest"
  }

  /// The context length of `model`, cached after the first lookup.
  public func contextLength(of model: String) async -> Int? {
    if let cached = cache.withLock({ $0[model] }) { return cached }
    let length = await lookup(model)
    cache.withLock { $0[model] = length }
    return length
  }

  /// Sets the context length of `agent` and every agent it can hand off to, where none is set.
  public func apply(to agent: Agent) async {
    var pending = [agent]
    var seen = Set<ObjectIdentifier>()
    while let next = pending.popLast() {
      guard seen.insert(ObjectIdentifier(next)).inserted else { continue }
      pending += next.handoffs.map(\.agent)
      guard next.contextLength == nil, let model = next.model?.name, !model.isEmpty else { continue }
      if let length = await contextLength(of: model) {
        next.contextLength = max(length, ContextWindow.contextLengthRange.lowerBound)
      }
    }
  }
}
