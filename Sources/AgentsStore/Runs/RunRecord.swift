import Foundation
import WireCore

/// What the store keeps about one run: who ran, on what, how long it took, what it cost and how it ended.
///
/// It never holds prompts, outputs or tool arguments; those live in sessions only.
public struct RunRecord: Sendable, Hashable {
  /// A unique id for the run (a UUID by default); recording the same id twice keeps the first record.
  public var runID: String
  /// The name of the agent the run started with.
  public var agent: String
  /// The model that served the run.
  public var model: String
  /// The model server's base URL, without credentials (``ServerAddress/redacted``).
  public var server: String
  /// The session the run belonged to, if any.
  public var sessionID: String?
  /// When the run started.
  public var startedAt: Date
  /// How long the whole run took.
  public var duration: Duration
  /// Time from the start of the run to the first streamed token, when the run streamed.
  public var timeToFirstToken: Duration?
  /// Prompt tokens over all model calls.
  public var inputTokens: Int
  /// Completion tokens over all model calls.
  public var outputTokens: Int
  /// Model turns the run took.
  public var turns: Int
  /// The names of the tools the run called, in call order.
  public var toolCalls: [String]
  /// Whether the run produced a final output.
  public var succeeded: Bool
  /// A short, stable name for the failure (`server_unreachable`, `max_turns`, …) when the run failed.
  public var errorKind: String?
  /// Whether the model's answer came from the local response cache.
  public var servedFromCache: Bool
  /// Whether the final answer was incomplete: cut at a token limit or stopped for repeating itself.
  public var truncated: Bool
  /// Why the last model response ended (`stop`, `length`, `tool_calls`, `repetition`), when known.
  public var finishReason: String?

  /// A new random run id: a version 4 UUID, upper-case like `UUID().uuidString`.
  ///
  /// Its bytes come from the system's random generator (`getrandom`); Foundation's `UUID()` opens, reads and
  /// closes `/dev/urandom` on Linux, three system calls for every run.
  public static func newID() -> String {
    var generator = SystemRandomNumberGenerator()
    let high = generator.next() as UInt64
    let low = generator.next() as UInt64
    func byte(_ word: UInt64, _ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: word >> (56 - 8 * index)) }
    let bytes: uuid_t = (
      byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5),
      byte(high, 6) & 0x0F | 0x40, byte(high, 7), byte(low, 0) & 0x3F | 0x80, byte(low, 1), byte(low, 2),
      byte(low, 3), byte(low, 4), byte(low, 5), byte(low, 6), byte(low, 7))
    return UUID(uuid: bytes).uuidString
  }

  /// Creates a record; only the identity, timing and outcome are required.
  public init(
    runID: String = RunRecord.newID(),
    agent: String,
    model: String,
    server: ServerAddress,
    sessionID: String? = nil,
    startedAt: Date,
    duration: Duration,
    timeToFirstToken: Duration? = nil,
    inputTokens: Int = 0,
    outputTokens: Int = 0,
    turns: Int = 0,
    toolCalls: [String] = [],
    succeeded: Bool,
    errorKind: String? = nil,
    servedFromCache: Bool = false,
    truncated: Bool = false,
    finishReason: String? = nil
  ) {
    self.runID = runID
    self.agent = agent
    self.model = model
    self.server = server.redacted
    self.sessionID = sessionID
    self.startedAt = startedAt
    self.duration = duration
    self.timeToFirstToken = timeToFirstToken
    self.inputTokens = inputTokens
    self.outputTokens = outputTokens
    self.turns = turns
    self.toolCalls = toolCalls
    self.succeeded = succeeded
    self.errorKind = errorKind
    self.servedFromCache = servedFromCache
    self.truncated = truncated
    self.finishReason = finishReason
  }
}

/// A change of the model an agent runs on: chosen by the user, or a fallback after a failure.
@MemberwiseInit
public struct ModelSwitch: Sendable, Hashable {
  /// When the switch happened.
  public var at: Date = Date()
  /// The agent whose model changed.
  public var agent: String
  /// The model before.
  public var fromModel: String
  /// The model after.
  public var toModel: String
  /// Why: `user`, `fallback`, `configuration`, or any short word the caller chooses.
  public var reason: String
}
