import Agents
import OllamaAPI
import OpenAICompatible
import Synchronization

/// What a server says about a model that a run needs: the context length it gives the model, so chat and ask can
/// trim history to fit it, and the model's size, so that ``ToolCallingStrategy/automatic`` picks the small-model
/// strategy for a small model served under a name that states no size.
public struct ModelFacts: Sendable, Hashable {
  /// The context length the server gives the model, in tokens.
  public var contextLength: Int?
  /// The model's parameter count.
  public var parameterCount: Int?

  /// Creates facts.
  public init(contextLength: Int? = nil, parameterCount: Int? = nil) {
    self.contextLength = contextLength
    self.parameterCount = parameterCount
  }
}

/// Finds what a server says about the models a run uses (``ModelFacts``).
///
/// Sizes: llama.cpp's `meta.n_params` in `/v1/models`, looked up for models whose name states none (a server started
/// with an alias such as `default` or `local` serves a 0.5B model under it); ``reportedParameterCount(of:)`` answers
/// from them (``OpenAICompatibleProvider/reportedParameterCount``). Ollama's sizes are not used: its library names
/// without a tag (`llama3.2`, 3B) keep the strategy they always had, which was not measured against the constrained
/// one on such a model; `tool_calling: constrained` turns it on.
///
/// Context lengths: for llama.cpp's `llama-server` and vLLM: what `/v1/models` reports (`meta.n_ctx`, the context of one slot, or
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
public final class ModelFactsSource: Sendable {
  private let lookup: @Sendable (String) async throws(ModelServerError) -> ModelFacts?
  /// Whose clock times ``lookupBudget``.
  private let transport: HTTPTransport
  /// Whether lookups can tell model sizes.
  private let reportsSizes: Bool
  private let cache = Mutex<[String: ModelFacts?]>([:])

  /// The time all lookups of one ``apply(to:)`` may take together: 15 seconds.
  public static let lookupBudget: Duration = .seconds(15)

  /// A source that asks `lookup` for each model name; `lookup` throws only when the server is not answering
  /// (the error then ends the command), and returns `nil` when it does not know; `transport` is the one its
  /// requests go through (its clock times ``lookupBudget``).
  /// `reportsSizes`: whether the lookups can tell model sizes (``apply(to:)`` then looks up models whose name states
  /// no size even when their context length is set).
  public init(
    timedBy transport: HTTPTransport = .shared, reportsSizes: Bool = false,
    lookup: @escaping @Sendable (String) async throws(ModelServerError) -> ModelFacts?
  ) {
    self.transport = transport
    self.reportsSizes = reportsSizes
    self.lookup = lookup
  }

  /// A source that knows nothing (tests, and servers that say nothing).
  public static var none: ModelFactsSource { ModelFactsSource { _ in nil } }

  /// The served context length Ollama assumes when nothing else says: its default `num_ctx`.
  public static let ollamaDefaultContextLength = 4096

  /// A source that asks an Ollama server (`/api/ps`, then `/api/show`), without retries, within
  /// ``lookupBudget``, so an unreachable or stuck server costs little before the question itself reports it.
  public static func ollama(_ client: OllamaClient) -> ModelFactsSource {
    var quick = client
    quick.config.retry = .disabled
    let client = quick
    return ModelFactsSource(timedBy: client.transport) { model throws(ModelServerError) in
      let running = try await answer { () throws(ModelServerError) in try await client.runningModels() }
      if let loaded = running?.first(where: { tagged($0.name) == tagged(model) }), let length = loaded.contextLength {
        return ModelFacts(contextLength: length)
      }
      guard let info = try await answer({ () throws(ModelServerError) in try await client.show(model) }) else {
        return nil
      }
      let length =
        info.configuredContextLength
        ?? min(info.contextLength ?? ollamaDefaultContextLength, ollamaDefaultContextLength)
      return ModelFacts(contextLength: length)
    }
  }

  /// A source that asks an OpenAI-compatible server's `/v1/models` (llama-server, vLLM), without retries, within
  /// ``lookupBudget``; other servers (OpenAI) say nothing, which sends whole histories.
  public static func openAICompatible(_ client: ChatCompletionsClient) -> ModelFactsSource {
    var quick = client
    quick.config.retry = .disabled
    let client = quick
    return ModelFactsSource(timedBy: client.transport, reportsSizes: true) { model throws(ModelServerError) in
      guard let models = try await answer({ () throws(ModelServerError) in try await client.listModels() }) else {
        return nil
      }
      let described = ServerDescription(listing: models, model: model)
      return ModelFacts(contextLength: described.contextLength, parameterCount: described.parameters)
    }
  }

  /// What `request` returns, `nil` when it fails, or its error when the server sent nothing within the
  /// first-byte timeout (it is not answering; a request that ran out of the lookup budget just gives `nil`).
  private static func answer<Value>(
    _ request: () async throws(ModelServerError) -> Value
  ) async throws(ModelServerError) -> Value? {
    do {
      return try await request()
    } catch  where error.code == .timedOut && error.timeoutPhase == .firstByte {
      throw error
    } catch {
      return nil
    }
  }

  /// `name` with Ollama's implied `:latest` tag when it has none.
  static func tagged(_ name: String) -> String {
    name.contains(":") ? name : name + ":latest"
  }

  /// What the server says about `model`, cached after the first lookup.
  ///
  /// - Throws: ``ModelServerError`` (timed out) when the server is not answering.
  public func facts(of model: String) async throws(ModelServerError) -> ModelFacts? {
    if let cached = cache.withLock({ $0[model] }) { return cached }
    let facts = try await lookup(model)
    cache.withLock { $0[model] = facts }
    return facts
  }

  /// The size of `model` as its server reported it in a lookup made so far (``apply(to:)`` makes them before a run);
  /// `nil` when none was made or the server did not say.
  public func reportedParameterCount(of model: String) -> Int? {
    cache.withLock { $0[model] }??.parameterCount
  }

  /// The context length the server gives `model` (see ``facts(of:)``).
  ///
  /// - Throws: ``ModelServerError`` (timed out) when the server is not answering.
  public func contextLength(of model: String) async throws(ModelServerError) -> Int? {
    try await facts(of: model)?.contextLength
  }

  /// Sets the context length of `agent` and every agent it can hand off to, where none is set, and looks up the
  /// size of each of their models whose name states none (``reportedParameterCount(of:)``); all lookups share
  /// ``lookupBudget``.
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
      guard let model = next.model?.name, !model.isEmpty else { continue }
      let needsLength = next.contextLength == nil
      let needsSize = reportsSizes && ModelSize.parameterCount(inName: model) == nil
      guard needsLength || needsSize, let facts = try await facts(of: model) else { continue }
      if needsLength, let length = facts.contextLength {
        next.contextLength = max(length, ContextWindow.contextLengthRange.lowerBound)
      }
    }
  }
}
