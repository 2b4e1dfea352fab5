import Synchronization

/// Shows a streamed run as it happens: answer text token by token, and on a terminal dim notes for
/// tool calls and handoffs.
package final class RunEventPrinter: Sendable {
  private struct State {
    var atLineStart = true
    var wroteText = false
  }

  private let console: Console
  private let showsActivity: Bool
  private let state = Mutex(State())

  /// Creates a printer; `showsActivity` adds tool and handoff notes (only on a terminal).
  package init(console: Console, showsActivity: Bool) {
    self.console = console
    self.showsActivity = showsActivity
  }

  /// Whether any answer text was printed.
  package var wroteText: Bool { state.withLock { $0.wroteText } }

  /// Handles one event.
  package func handle(_ event: RunEvent) {
    switch event {
    case .textDelta(let text):
      guard !text.isEmpty else { return }
      state.withLock { state in
        if !state.wroteText {
          // Models often start with blank lines; they look like lag on a terminal.
          let trimmed = String(text.drop(while: \.isNewline))
          guard !trimmed.isEmpty else { return }
          console.out.write(trimmed)
          state.atLineStart = trimmed.hasSuffix("\n")
        } else {
          console.out.write(text)
          state.atLineStart = text.hasSuffix("\n")
        }
        state.wroteText = true
      }
    case .toolCalled(let call):
      note("⚙ \(call.name) \(Self.shorten(call.arguments, to: 120))")
    case .toolArgumentsRepaired(let call, let changes):
      note("⚙ \(call.name): arguments repaired (\(Self.shorten(changes.joined(separator: "; "), to: 120)))")
    case .toolOutput(_, let output):
      note("  → \(Self.shorten(output.replacing("\n", with: " "), to: 160))")
    case .handoff(_, let target):
      note("→ \(target.name)")
    case .contextTrimmed(let trimming):
      notice("Note: \(trimming) (the saved conversation is complete).")
    case .contextOverflowRetried(let retry):
      notice("Note: \(retry) (the saved conversation is complete).")
    case .agentChanged, .reasoningDelta, .messageDone, .answerTruncated, .finished:
      // A cut answer is marked after it is printed (markTruncated), streamed or not.
      return
    }
  }

  /// Ends the answer's last line, so the next prompt or message starts on its own line.
  package func finish() {
    state.withLock { state in
      if !state.atLineStart {
        console.out.write("\n")
        state.atLineStart = true
      }
    }
  }

  /// A one-line message the user must see even when activity notes are off, on standard error.
  private func notice(_ text: String) {
    state.withLock { state in
      if !state.atLineStart {
        console.out.write("\n")
        state.atLineStart = true
      }
      console.err.write(console.style.dim(text) + "\n")
    }
  }

  /// Marks an answer that is incomplete (cut at a token limit, or stopped for repeating itself), on standard
  /// error so piped answers stay clean, with what to do about it.
  package func markTruncated(_ result: ConversationResult) {
    guard let truncation = result.truncation else { return }
    let advice =
      switch result.finishReason {
      case "repetition": "the model was looping; ask again or rephrase"
      default: result.truncationAdvice
      }
    console.err.write(console.style.yellow("agents: cut off:") + " \(truncation); \(advice)\n")
  }

  /// Marks an answer replayed from the local response cache, on standard error so piped answers stay clean.
  package func markCached(_ result: ConversationResult) {
    guard result.servedFromCache else { return }
    console.err.write(
      console.style.yellow("agents: cached:")
        + " the model server is unreachable; this answer was replayed from the local response cache\n")
  }

  private func note(_ text: String) {
    guard showsActivity else { return }
    state.withLock { state in
      if !state.atLineStart { console.out.write("\n") }
      console.out.write(console.style.dim(text) + "\n")
      state.atLineStart = true
    }
  }

  static func shorten(_ text: String, to limit: Int) -> String {
    text.count > limit ? String(text.prefix(limit)) + "…" : text
  }
}
