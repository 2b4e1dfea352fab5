import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What reading one line of input produced.
package enum InputEvent: Sendable, Equatable {
  /// A complete line, without its terminator.
  case line(String)
  /// Ctrl-C while typing: `wasEmpty` says whether the line was empty (which means "exit").
  case interrupt(wasEmpty: Bool)
  /// End of input (Ctrl-D on an empty line, or the end of piped input).
  case end
}

/// A source of input lines for the chat loop.
package protocol LineInput: Sendable {
  /// Reads the next line, showing `prompt` when the input is interactive.
  func readLine(prompt: String) async -> InputEvent
  /// Gives the input back as it was found (a terminal's original mode); called once when the chat ends.
  func close()
}

extension LineInput {
  /// Nothing to give back.
  package func close() {}

  /// Reads the next line, or ends (`.end`) as soon as the calling task is cancelled: a read blocked on a quiet
  /// input is left to finish on its own thread, and what it reads then is dropped.
  package func readLineUnlessCancelled(prompt: String) async -> InputEvent {
    let waiting = PendingLine()
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        waiting.continuation.withLock { $0 = continuation }
        if Task.isCancelled { waiting.resume(.end) }
        Task {
          let event = await readLine(prompt: prompt)
          waiting.resume(event)
        }
      }
    } onCancel: {
      waiting.resume(.end)
    }
  }
}

/// The reader of ``LineInput/readLineUnlessCancelled(prompt:)``, resumed once: by the line or by the cancellation.
private final class PendingLine: Sendable {
  let continuation = Mutex<CheckedContinuation<InputEvent, Never>?>(nil)

  func resume(_ event: InputEvent) { continuation.withLock { $0.take() }?.resume(returning: event) }
}

/// Reads lines from a descriptor (piped standard input) without prompts or echo.
///
/// Reads happen on a dedicated thread, so a blocked read never occupies the concurrency pool.
package struct StreamLineInput: LineInput {
  private let reader: BlockingLineReader

  /// Reads from `descriptor` (standard input by default).
  package init(descriptor: Int32 = STDIN_FILENO) {
    reader = BlockingLineReader(descriptor: descriptor)
  }

  /// Reads the next line; the prompt is not shown.
  package func readLine(prompt: String) async -> InputEvent {
    let reader = self.reader
    return await runOnThread { reader.next().map(InputEvent.line) ?? .end }
  }
}

/// Reads lines on a terminal with editing and history: arrows, Home/End, Ctrl-A/E/K/U/W, Ctrl-C, Ctrl-D, and
/// bracketed paste (a multi-line paste is one message). Keys typed while a reply streams are kept for the next line.
package struct TerminalLineInput: LineInput {
  private let state: TerminalEditorState

  /// Creates an editor for standard input, recalling `history`.
  package init(history: [String] = []) {
    state = TerminalEditorState(editor: LineEditor(history: history), historyFile: nil)
  }

  /// Creates an editor for standard input that recalls the lines of earlier chats from `historyFile` and adds each
  /// submitted line to it.
  package init(historyFile: InputHistoryFile) {
    state = TerminalEditorState(editor: LineEditor(history: historyFile.load()), historyFile: historyFile)
  }

  /// Reads one line in raw mode, falling back to plain reads when raw mode is unavailable.
  package func readLine(prompt: String) async -> InputEvent {
    let state = self.state
    return await runOnThread { state.readLine(prompt: prompt) }
  }

  /// Puts the terminal back in the mode it had before the first line.
  package func close() { state.close() }
}

/// The editor and the descriptor's raw-mode state, used from one reading thread at a time.
final class TerminalEditorState: @unchecked Sendable {
  // Only touched inside `readLine` and `close`, which the chat loop never runs concurrently.
  private var editor: LineEditor
  private var terminal = RawTerminal()
  private var decoder = KeyDecoder()
  /// Keys read after the last submitted line (the rest of a fast paste, or type-ahead), for the next line.
  private var pendingKeys: [KeyPress] = []
  private let fallback = BlockingLineReader(descriptor: STDIN_FILENO)
  private let historyFile: InputHistoryFile?

  init(editor: LineEditor, historyFile: InputHistoryFile?) {
    self.editor = editor
    self.historyFile = historyFile
  }

  func close() { terminal.restore() }

  func readLine(prompt: String) -> InputEvent {
    guard terminal.enable() else {
      TerminalIO.write(prompt, to: STDOUT_FILENO)
      return fallback.next().map(InputEvent.line) ?? .end
    }
    // Between lines the terminal stays quiet: type-ahead is kept, not echoed into the reply.
    defer { terminal.quiet() }
    let promptWidth = LineRenderer.visibleWidth(prompt)
    editor.reset()
    redraw(prompt, promptWidth)
    while true {
      var keys = pendingKeys
      pendingKeys = []
      if keys.isEmpty {
        let bytes = TerminalIO.read(STDIN_FILENO)
        if bytes.isEmpty {
          TerminalIO.write("\r\n", to: STDOUT_FILENO)
          return .end
        }
        keys = decoder.decode(bytes)
        if decoder.hasPending, !TerminalIO.hasInput(STDIN_FILENO, withinMilliseconds: 40) {
          keys += decoder.flush()
        }
      }
      for (index, key) in keys.enumerated() {
        let rest = Array(keys[(index + 1)...])
        switch editor.apply(key) {
        case .edited:
          redraw(prompt, promptWidth)
        case .submitted(let line):
          TerminalIO.write(LineRenderer.submitted(prompt: prompt, text: line), to: STDOUT_FILENO)
          pendingKeys = rest
          historyFile?.append(line)
          return .line(line)
        case .interrupted(let wasEmpty):
          TerminalIO.write("^C\r\n", to: STDOUT_FILENO)
          return .interrupt(wasEmpty: wasEmpty)
        case .endOfInput:
          TerminalIO.write("\r\n", to: STDOUT_FILENO)
          return .end
        case .clearScreen:
          TerminalIO.write("\u{1B}[H\u{1B}[2J", to: STDOUT_FILENO)
          redraw(prompt, promptWidth)
        case .unchanged:
          continue
        }
      }
    }
  }

  private func redraw(_ prompt: String, _ promptWidth: Int) {
    TerminalIO.write(
      LineRenderer.render(
        prompt: prompt, promptWidth: promptWidth, editor: editor, columns: TerminalCapabilities.columns()),
      to: STDOUT_FILENO)
  }
}

/// Splits a descriptor's bytes into lines (LF or CRLF), keeping the remainder between calls.
final class BlockingLineReader: @unchecked Sendable {
  // Only touched from the single reading thread at a time (the chat loop awaits each read).
  private let descriptor: Int32
  private var buffer: [UInt8] = []
  private var finished = false

  init(descriptor: Int32) { self.descriptor = descriptor }

  /// The next line, or `nil` at end of input. A last line without a newline is still returned.
  func next() -> String? {
    while true {
      if let newline = buffer.firstIndex(of: 0x0A) {
        var line = Array(buffer[..<newline])
        buffer.removeFirst(newline + 1)
        if line.last == 0x0D { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
      }
      if finished {
        guard !buffer.isEmpty else { return nil }
        defer { buffer.removeAll() }
        return String(decoding: buffer, as: UTF8.self)
      }
      let bytes = TerminalIO.read(descriptor, capacity: 4096)
      if bytes.isEmpty { finished = true } else { buffer += bytes }
    }
  }
}

/// Reads standard input to its end.
package enum StandardInput {
  /// All of standard input as text (invalid UTF-8 replaced), read on a dedicated thread.
  package static func readAll() async -> String {
    await runOnThread {
      var bytes: [UInt8] = []
      while true {
        let chunk = TerminalIO.read(STDIN_FILENO, capacity: 65_536)
        if chunk.isEmpty { break }
        bytes += chunk
      }
      return String(decoding: bytes, as: UTF8.self)
    }
  }
}

/// Runs blocking work on a new thread and resumes the caller with its result.
func runOnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
  await withCheckedContinuation { continuation in
    let thread = Thread { continuation.resume(returning: work()) }
    thread.stackSize = 1 << 20
    thread.start()
  }
}
