import Agents
import Foundation
import Logging
import WireCore

/// A ``Model`` wrapper that keeps successful answers in the local ``ResponseCache`` and, when the model server
/// is unreachable, answers a request identical to an earlier one from there.
///
/// Cached answers have ``ModelResponse/servedFromCache`` set (and ``RunResult/servedFromCache`` for the run)
/// and report no token usage. Only failures that ``Configuration/fallsBack`` accepts (by default an unreachable
/// server or a connect timeout) use the cache; every other error, and a request never seen before, fails as
/// it would without the wrapper. A failure to read or write the cache is logged and never fails the call.
/// The cache is opt-in: wrap a model only when the user enabled it.
public struct CachingModel: Model {
  /// When the cache answers.
  @MemberwiseInit
  public struct Configuration: Sendable {
    /// Whether an error from the wrapped model should be answered from the cache.
    public var fallsBack: @Sendable (any Error) -> Bool = CachingModel.isServerUnreachable
  }

  /// The model that answers when the server is reachable.
  public let base: any Model
  /// Where answers are kept.
  public let cache: ResponseCache
  /// When the cache answers.
  public let configuration: Configuration
  private let metrics: AgentsMetricsRecorder
  private let logger: Logger

  /// Wraps `base` with `cache`.
  public init(
    wrapping base: any Model, cache: ResponseCache, configuration: Configuration = Configuration(),
    metrics: AgentsMetricsRecorder = AgentsMetricsRecorder(), logger: Logger = Logger(label: "ollama-agents.cache")
  ) {
    self.base = base
    self.cache = cache
    self.configuration = configuration
    self.metrics = metrics
    self.logger = logger
  }

  /// The wrapped model's name.
  public var name: String { base.name }

  /// The wrapped model's size (which may come from its server, not its name).
  public var parameterCount: Int? { base.parameterCount }

  /// Whether `error` says the model server could not be reached at all: no connection, or a connect timeout.
  @Sendable public static func isServerUnreachable(_ error: any Error) -> Bool {
    let serverError = (error as? ModelServerError) ?? ((error as? AgentsError)?.underlying as? ModelServerError)
    guard let serverError else { return false }
    return serverError.code == .serverUnreachable
      || (serverError.code == .timedOut && serverError.timeoutPhase == .connect)
  }

  /// Asks the wrapped model; stores the answer, or answers from the cache when the server is unreachable.
  public func response(to request: ModelRequest) async throws -> ModelResponse {
    let key = self.key(for: request)
    do {
      let response = try await base.response(to: request)
      await store(response, key: key)
      return response
    } catch {
      guard configuration.fallsBack(error), let cached = await cached(key, after: error) else { throw error }
      return cached
    }
  }

  /// The wrapped model's.
  public var streamingExecutor: (any TaskExecutor)? { base.streamingExecutor }

  /// Streams from the wrapped model; stores the completed answer, or replays a cached one (as one text delta
  /// and the completed response) when the server is unreachable before anything was streamed.
  public func streamResponse(to request: ModelRequest) -> AsyncThrowingStream<ModelStreamEvent, any Error> {
    let (events, continuation) = AsyncThrowingStream.makeStream(of: ModelStreamEvent.self)
    let task = Task {
      let key = self.key(for: request)
      var started = false
      do {
        for try await event in base.streamResponse(to: request) {
          if case .completed(let response) = event { await store(response, key: key) }
          started = true
          continuation.yield(event)
        }
        continuation.finish()
      } catch {
        guard !started, configuration.fallsBack(error), let cached = await cached(key, after: error) else {
          continuation.finish(throwing: error)
          return
        }
        if let reasoning = cached.reasoning, !reasoning.isEmpty { continuation.yield(.reasoningDelta(reasoning)) }
        if let text = cached.text, !text.isEmpty { continuation.yield(.textDelta(text)) }
        continuation.yield(.completed(cached))
        continuation.finish()
      }
    }
    continuation.onTermination = { _ in task.cancel() }
    return events
  }

  /// The wrapped model's server-side token count.
  public func promptTokens(for request: ModelRequest) async -> Int? {
    await base.promptTokens(for: request)
  }

  private func key(for request: ModelRequest) -> CacheKey? {
    do {
      return try CacheKey(model: base.name, request: request)
    } catch {
      logger.warning("cannot derive a cache key; the response cache is skipped", metadata: ["error": "\(error)"])
      return nil
    }
  }

  private func store(_ response: ModelResponse, key: CacheKey?) async {
    guard let key, !response.servedFromCache else { return }
    do {
      let data = try JSONEncoder().encode(CachedModelResponse(response))
      if try await cache.store(data, model: base.name, for: key) {
        metrics.recordCacheStore(model: base.name)
        logger.debug("stored response in cache", metadata: ["model": "\(base.name)", "key": "\(key.hex.prefix(12))"])
      }
    } catch {
      logger.warning("could not store the response in the cache", metadata: ["error": "\(error)"])
    }
  }

  private func cached(_ key: CacheKey?, after error: any Error) async -> ModelResponse? {
    guard let key else { return nil }
    do {
      guard let entry = try await cache.lookup(key) else {
        logger.debug(
          "model server unreachable and no cached response", metadata: ["model": "\(base.name)", "error": "\(error)"])
        return nil
      }
      let response = try JSONDecoder().decode(CachedModelResponse.self, from: entry.response).modelResponse
      metrics.recordCacheHit(model: base.name)
      logger.notice(
        "model server unreachable; answering from the response cache",
        metadata: [
          "model": "\(base.name)", "key": "\(key.hex.prefix(12))",
          "cached_at": "\(entry.createdAt.formatted(.iso8601))", "error": "\(error)",
        ])
      return response
    } catch {
      logger.warning("could not read the response cache", metadata: ["error": "\(error)"])
      return nil
    }
  }
}
