import Synchronization

/// Shows a streamed run as it happens: a spinner until the model's first token, answer text token by token (on a
/// terminal wrapped at its width with Markdown rendered, see ``StreamingMarkdown``; plain when piped), reasoning
/// dimmed or hidden, and on a terminal dim notes for tool calls and handoffs.
package final class RunEventPrinter: Sendable {
  /// What the printer shows.
  package struct Configuration: Sendable {
    /// Tool-call and handoff notes (only on a terminal).
    package var showsActivity: Bool
    /// How answer text is laid out on a terminal; `nil` writes it as it comes (piped output).
    package var layout: StreamingMarkdown.Configuration?
    /// Whether the model's reasoning is shown (dimmed); hidden reasoning keeps the spinner turning.
    package var showsReasoning: Bool
    /// The spinner's text until the first token (e.g. "waiting for qwen3:8b"); `nil` shows no spinner.
    package var waitingLabel: String?

    /// Creates a configuration.
    package init(
      showsActivity: Bool, layout: StreamingMarkdown.Configuration? = nil, showsReasoning: Bool = false,
      waitingLabel: String? = nil
    ) {
      self.showsActivity = showsActivity
      self.layout = layout
      self.showsReasoning = showsReasoning
      self.waitingLabel = waitingLabel
    }
  }

  private struct State {
    var atLineStart = true
    var wroteText = false
    var inReasoning = false
    var layout: StreamingMarkdown?
    var spinner: Task<Void, Never>?
    var spinning = false
  }

  private let console: Console
  private let configuration: Configuration
  private let state: Mutex<State>

  /// Creates a printer.
  package init(console: Console, configuration: Configuration) {
    self.console = console
    self.configuration = configuration
    self.state = Mutex(State(layout: configuration.layout.map(StreamingMarkdown.init)))
  }

  /// Creates a printer that writes text as it comes; `showsActivity` adds tool and handoff notes.
  package convenience init(console: Console, showsActivity: Bool) {
    self.init(console: console, configuration: Configuration(showsActivity: showsActivity))
  }

  /// Whether any answer text was printed.
  package var wroteText: Bool { state.withLock { $0.wroteText } }

  /// Shows the spinner (when configured) until the first event or ``finish()``; `label` replaces the configured
  /// text.
  package func startWaiting(_ label: String? = nil) {
    guard let label = configuration.waitingLabel.map({ label ?? $0 }), !state.withLock({ $0.spinning }) else {
      return
    }
    let console = self.console
    let clock = ContinuousClock()
    let start = clock.now
    let task = Task { [weak self] in
      let frames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
      var frame = 0
      while !Task.isCancelled {
        let seconds = Int((clock.now - start).components.seconds)
        let elapsed = seconds > 0 ? " \(seconds)s" : ""
        guard let self else { return }
        self.state.withLock { state in
          guard state.spinning else { return }
          console.redrawLine(console.style.dim("\(frames[frame % frames.count]) \(label)…\(elapsed)"))
        }
        frame += 1
        try? await Task.sleep(for: .milliseconds(100))
      }
    }
    state.withLock { state in
      state.spinning = true
      state.spinner = task
    }
  }

  /// Handles one event.
  package func handle(_ event: RunEvent) {
    switch event {
    case .textDelta(let text):
      guard !text.isEmpty else { return }
      state.withLock { state in
        var text = text
        if !state.wroteText {
          // Models often start with blank lines; they look like lag on a terminal.
          text = String(text.drop(while: \.isNewline))
          guard !text.isEmpty else { return }
        }
        stopSpinner(&state)
        endReasoning(&state)
        if state.layout != nil {
          let rendered = state.layout!.feed(text)
          console.out.write(rendered)
          state.atLineStart = state.layout!.isAtLineStart
        } else {
          console.out.write(text)
          state.atLineStart = text.hasSuffix("\n")
        }
        state.wroteText = true
      }
    case .reasoningDelta(let text):
      guard configuration.showsReasoning, !text.isEmpty else { return }
      state.withLock { state in
        stopSpinner(&state)
        if !state.inReasoning {
          if !state.atLineStart { console.out.write("\n") }
          state.inReasoning = true
        }
        console.out.write(console.style.dim(TerminalSanitizer.sanitize(text)))
        state.atLineStart = text.hasSuffix("\n")
      }
    case .toolCalled(let call):
      note("⚙ \(call.name) \(Self.shorten(call.arguments, to: 120))")
    case .toolArgumentsRepaired(let call, let changes):
      note("⚙ \(call.name): arguments repaired (\(Self.shorten(changes.joined(separator: "; "), to: 120)))")
    case .toolOutput(_, let output):
      note("  → \(Self.shorten(output.replacing("\n", with: " "), to: 160))")
      startWaiting()  // the model is asked again
    case .handoff(_, let target):
      note("→ \(target.name)")
      startWaiting()
    case .contextTrimmed(let trimming):
      notice("Note: \(trimming) (the saved conversation is complete).")
    case .contextOverflowRetried(let retry):
      notice("Note: \(retry) (the saved conversation is complete).")
    case .replyDiscarded(let reason):
      // The reply above is on screen already; say it does not count, and wait for the new one. The reason can
      // hold a name the model wrote.
      notice(
        "(retried without tools: the reply above \(TerminalSanitizer.sanitize(Self.shorten(reason, to: 200))); "
          + "it is not kept)")
      startWaiting()
    case .samplingAnswers(let count):
      // The answer is not streamed while the samples run: the spinner says why the wait goes on.
      state.withLock { state in stopSpinner(&state) }
      startWaiting("comparing \(count) answers")
    case .agentChanged, .messageDone, .answerTruncated, .finished:
      // A cut answer is marked after it is printed (markTruncated), streamed or not.
      return
    }
  }

  /// Ends the answer's last line, so the next prompt or message starts on its own line.
  package func finish() {
    state.withLock { state in endLine(&state) }
  }

  /// A one-line message the user must see even when activity notes are off, on standard error.
  private func notice(_ text: String) {
    state.withLock { state in
      endLine(&state)
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

  /// A dim activity line; with a layout, broken between words to its width and continued two columns in.
  private func note(_ text: String) {
    guard showsActivity else { return }
    let lines: [String]
    if let width = configuration.layout?.width {
      let indent = String(repeating: " ", count: text.prefix { $0 == " " }.count + 2)
      lines = WordWrap.lines(text, width: width - 1, indent: indent)
    } else {
      lines = [text]
    }
    state.withLock { state in
      endLine(&state)
      for line in lines { console.out.write(console.style.dim(line) + "\n") }
    }
  }

  private var showsActivity: Bool { configuration.showsActivity }

  /// Erases the spinner; the next text starts where it was.
  private func stopSpinner(_ state: inout State) {
    guard state.spinning else { return }
    state.spinning = false
    state.spinner?.cancel()
    state.spinner = nil
    console.redrawLine("")
  }

  /// Erases the spinner, writes what the layout holds back and ends the current line, so what follows starts
  /// on its own line.
  private func endLine(_ state: inout State) {
    stopSpinner(&state)
    flushLayout(&state)
    if !state.atLineStart {
      console.out.write("\n")
      state.atLineStart = true
    }
  }

  /// After shown reasoning, the answer starts on a new line.
  private func endReasoning(_ state: inout State) {
    guard state.inReasoning else { return }
    state.inReasoning = false
    console.out.write(state.atLineStart ? "\n" : "\n\n")
    state.atLineStart = true
  }

  /// Writes the word the layout holds back (before a note, at the end).
  private func flushLayout(_ state: inout State) {
    guard state.layout != nil else { return }
    let rest = state.layout!.finish()
    if !rest.isEmpty {
      console.out.write(rest)
      state.atLineStart = rest.hasSuffix("\n")
    }
  }

  static func shorten(_ text: String, to limit: Int) -> String {
    text.count > limit ? String(text.prefix(limit)) + "…" : text
  }
}
