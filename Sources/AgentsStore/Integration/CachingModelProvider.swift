import Agents
import Logging

/// A ``ModelProvider`` whose models keep their answers in the local ``ResponseCache`` and replay them when the
/// model server is unreachable (see ``CachingModel``).
public struct CachingModelProvider: ModelProvider {
  /// The provider of the models that answer when the server is reachable.
  public let base: any ModelProvider
  /// Where answers are kept.
  public let cache: ResponseCache
  /// When the cache answers.
  public let configuration: CachingModel.Configuration
  /// Wraps one model of ``base`` with the cache, the configuration, the metrics and the logger given at `init`.
  private let wrap: @Sendable (any Model) -> CachingModel

  /// Wraps every model of `base` with `cache`.
  public init(
    wrapping base: any ModelProvider, cache: ResponseCache,
    configuration: CachingModel.Configuration = CachingModel.Configuration(),
    metrics: AgentsMetricsRecorder = AgentsMetricsRecorder(), logger: Logger = Logger(label: "ollama-agents.cache")
  ) {
    self.base = base
    self.cache = cache
    self.configuration = configuration
    wrap = { CachingModel(wrapping: $0, cache: cache, configuration: configuration, metrics: metrics, logger: logger) }
  }

  /// The base provider's model for `name`, wrapped in a ``CachingModel``.
  public func model(named name: String?) throws -> any Model {
    let model = try base.model(named: name)
    if model is CachingModel { return model }
    return wrap(model)
  }
}
