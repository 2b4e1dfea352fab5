/// The run loop's help for small models as saved in a ``RunState`` (schema version 2), so a resumed run goes on
/// where it paused: the calls that already ran (a repeat is answered from them, not run again), the turns that
/// brought nothing new, the tool-calling strategy in force, the answer-token cap a server imposed, the last
/// response's truncation, the context trimming reported so far and the overflow retries. States of schema
/// version 1 have none of it: a run resumed from one starts these counters afresh.
struct SavedSmallModelState: Sendable, Hashable, Codable {
  var stalledTurns: Int
  /// A ``ToolCallingStrategy`` raw value.
  var strategy: String
  var lastRoutedTranscriptCount: Int?
  var callHistory: [SavedPastCall]
  var answerTokenCap: Int?
  var lastTruncation: SavedTruncation?
  var lastTrimming: SavedTrimming?
  var largestTrimming: SavedTrimming?
  var overflowRetries: [SavedOverflowRetry]
  /// The texts the run wrote to the model itself; `nil` in states saved before it was kept.
  var runnerTexts: [String]? = nil
}

/// One entry of the run's call history: the call's signature and what it returned.
struct SavedPastCall: Sendable, Hashable, Codable {
  var name: String
  /// The parsed arguments, as JSON text.
  var arguments: String
  var output: String
  var failed: Bool
}

/// A ``ContextTrimming`` as saved.
struct SavedTrimming: Sendable, Hashable, Codable {
  var droppedItems: Int
  var keptItems: Int
  var estimatedTokens: Int
  var contextLength: Int

  init(_ trimming: ContextTrimming) {
    (droppedItems, keptItems) = (trimming.droppedItems, trimming.keptItems)
    (estimatedTokens, contextLength) = (trimming.estimatedTokens, trimming.contextLength)
  }

  var trimming: ContextTrimming {
    ContextTrimming(
      droppedItems: droppedItems, keptItems: keptItems, estimatedTokens: estimatedTokens, contextLength: contextLength)
  }
}

/// A ``ContextOverflowRetry`` as saved.
struct SavedOverflowRetry: Sendable, Hashable, Codable {
  var serverMessage: String?
  var promptTokens: Int?
  var contextLength: Int?
  var trimming: SavedTrimming?

  init(_ retry: ContextOverflowRetry) {
    (serverMessage, promptTokens, contextLength) = (retry.serverMessage, retry.promptTokens, retry.contextLength)
    trimming = retry.trimming.map(SavedTrimming.init)
  }

  var retry: ContextOverflowRetry {
    ContextOverflowRetry(
      serverMessage: serverMessage, promptTokens: promptTokens, contextLength: contextLength,
      trimming: trimming?.trimming)
  }
}

/// A ``ResponseTruncation`` as saved: a token limit, or a repetition with its report.
struct SavedTruncation: Sendable, Hashable, Codable {
  /// The repeated block, repeats and kept text when repetition cut the answer; `nil` for a token limit.
  var repetitionBlock: String?
  var repetitionCount: Int?
  var repetitionKeptText: String?
  var maxTokens: Int?
  var outputTokens: Int?

  init(_ truncation: ResponseTruncation) {
    if case .repetition(let report) = truncation.reason {
      (repetitionBlock, repetitionCount, repetitionKeptText) = (report.block, report.repeats, report.keptText)
    }
    (maxTokens, outputTokens) = (truncation.maxTokens, truncation.outputTokens)
  }

  var truncation: ResponseTruncation {
    let reason: ResponseTruncation.Reason =
      if let repetitionBlock {
        .repetition(
          RepetitionDetector.Report(
            block: repetitionBlock, repeats: repetitionCount ?? 0, keptText: repetitionKeptText ?? ""))
      } else {
        .tokenLimit
      }
    return ResponseTruncation(reason: reason, maxTokens: maxTokens, outputTokens: outputTokens)
  }
}

extension RunLoop {
  /// The small-model state of this run, to save.
  var savedSmallModelState: SavedSmallModelState {
    SavedSmallModelState(
      stalledTurns: stalledTurns, strategy: currentStrategy.rawValue,
      lastRoutedTranscriptCount: lastRoutedTranscriptCount,
      callHistory: callHistory.map { signature, past in
        SavedPastCall(
          name: signature.name, arguments: signature.arguments.jsonString, output: past.output, failed: past.failed)
      }.sorted { ($0.name, $0.arguments) < ($1.name, $1.arguments) },
      answerTokenCap: answerTokenCap, lastTruncation: lastTruncation.map(SavedTruncation.init),
      lastTrimming: lastTrimming.map(SavedTrimming.init), largestTrimming: largestTrimming.map(SavedTrimming.init),
      overflowRetries: overflowRetries.map(SavedOverflowRetry.init), runnerTexts: runnerTexts)
  }

  /// Takes up the small-model state a saved run had.
  mutating func restore(_ saved: SavedSmallModelState) {
    stalledTurns = saved.stalledTurns
    currentStrategy = ToolCallingStrategy(rawValue: saved.strategy) ?? .native
    lastRoutedTranscriptCount = saved.lastRoutedTranscriptCount
    for call in saved.callHistory {
      let signature = CallSignature(ToolCall(id: "", name: call.name, arguments: call.arguments))
      callHistory[signature] = PastCall(output: call.output, failed: call.failed)
    }
    answerTokenCap = saved.answerTokenCap
    lastTruncation = saved.lastTruncation?.truncation
    lastTrimming = saved.lastTrimming?.trimming
    largestTrimming = saved.largestTrimming?.trimming
    overflowRetries = saved.overflowRetries.map(\.retry)
    runnerTexts = saved.runnerTexts ?? []
  }
}
