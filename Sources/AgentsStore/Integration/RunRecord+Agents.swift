import Agents
import Foundation
import WireCore

extension RunRecord {
  /// The record of a finished run.
  ///
  /// - Parameters:
  ///   - agent: the agent the run started with (defaults to the agent of the first model call).
  ///   - server: the model server's base URL; credentials are removed before it is stored.
  public init(
    result: RunResult, runID: String = RunRecord.newID(), agent: String? = nil, server: ServerAddress,
    sessionID: String? = nil, startedAt: Date
  ) {
    let firstCall = result.modelCalls.first
    self.init(
      runID: runID, agent: agent ?? firstCall?.agentName ?? result.lastAgent.name,
      model: firstCall?.modelName ?? result.lastAgent.configuration.model?.name ?? "unknown",
      server: server, sessionID: sessionID, startedAt: startedAt, duration: result.duration,
      timeToFirstToken: firstCall.flatMap { $0.streamed ? $0.timeToFirstToken : nil },
      inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens, turns: result.turns,
      toolCalls: result.toolCallNames, succeeded: true, errorKind: nil, servedFromCache: result.servedFromCache,
      truncated: result.truncation != nil, finishReason: result.finishReason)
  }

  /// The record of a run that threw `error`; what the run did before it stopped comes from the error's
  /// partial run when it has one.
  ///
  /// - Parameters:
  ///   - model: the model the run was meant to use (used when no model call was made).
  ///   - duration: the time until the failure (used when the error carries no partial run).
  public init(
    failure error: any Error, runID: String = RunRecord.newID(), agent: String, model: String, server: ServerAddress,
    sessionID: String? = nil, startedAt: Date, duration: Duration
  ) {
    let partial = (error as? AgentsError)?.partialRun
    let firstCall = partial?.modelCalls.first
    self.init(
      runID: runID, agent: agent, model: firstCall?.modelName ?? model, server: server,
      sessionID: sessionID, startedAt: startedAt, duration: partial?.duration ?? duration,
      timeToFirstToken: firstCall.flatMap { $0.streamed ? $0.timeToFirstToken : nil },
      inputTokens: partial?.usage.inputTokens ?? 0, outputTokens: partial?.usage.outputTokens ?? 0,
      turns: partial?.turns ?? 0, toolCalls: partial.map { RunRecord.toolCallNames($0.newItems) } ?? [],
      succeeded: false, errorKind: RunRecord.errorKind(of: error),
      servedFromCache: partial?.rawResponses.contains(where: \.servedFromCache) ?? false)
  }

  /// A short, stable snake_case name for what made a run fail: the model server's error code
  /// (`server_unreachable`, `timed_out`, …), the SDK's (`max_turns_exceeded`, `model_behavior`, …), `cancelled`,
  /// `store_<code>`, or `other`.
  public static func errorKind(of error: any Error) -> String {
    switch error {
    case let error as ModelServerError:
      return error.code.description
    case let error as AgentsError:
      if let underlying = error.underlying as? ModelServerError { return underlying.code.description }
      return snakeCase(error.code.description)
    case let error as StoreError:
      return "store_\(error.code)"
    case is CancellationError:
      return "cancelled"
    default:
      return "other"
    }
  }

  /// The names of the function tools called among `items`, in order.
  static func toolCallNames(_ items: [RunItem]) -> [String] {
    items.compactMap { item in
      if item.kind == .toolCall, case .toolCall(let call) = item.item { call.name } else { nil }
    }
  }

  private static func snakeCase(_ name: String) -> String {
    var result = ""
    for character in name {
      if character.isUppercase, !result.isEmpty { result.append("_") }
      result.append(contentsOf: character.lowercased())
    }
    return result
  }
}

extension RunResult {
  /// Whether any model answer in this run came from the local response cache rather than the model server.
  public var servedFromCache: Bool { rawResponses.contains(where: \.servedFromCache) }
}
