#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

import Synchronization

/// Switches a terminal between the modes the chat needs, and back to the mode it found.
///
/// - raw, while a line is typed: no echo, no line buffering, no signals from Ctrl-C (the editor reads every key), and
///   bracketed paste on, so a multi-line paste arrives as one piece;
/// - quiet, while a reply streams: no echo and no line buffering, but Ctrl-C still raises SIGINT (it cancels the
///   reply). What the user types meanwhile stays in the terminal's input queue, unseen, and the editor shows it at
///   the next prompt;
/// - the original mode, when the chat ends (also on exits through ``restoreAtExit()``).
///
/// Modes change with `TCSANOW`, never `TCSAFLUSH`, so type-ahead is never discarded.
struct RawTerminal {
  private let descriptor: Int32
  private var original = termios()
  private var saved = false
  private(set) var isRaw = false

  init(descriptor: Int32 = STDIN_FILENO) { self.descriptor = descriptor }

  /// Enters raw mode; returns false when the descriptor is not a terminal.
  mutating func enable() -> Bool {
    guard !isRaw else { return true }
    guard save() else { return false }
    var raw = original
    raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
    raw.c_cflag |= tcflag_t(CS8)
    raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
    setReadsOneByte(&raw)
    guard tcsetattr(descriptor, TCSANOW, &raw) == 0 else { return false }
    TerminalIO.write(Self.bracketedPasteOn, to: STDOUT_FILENO)
    isRaw = true
    return true
  }

  /// Leaves raw mode for the quiet mode a reply streams in (no echo, Ctrl-C raises SIGINT).
  mutating func quiet() {
    guard saved else { return }
    if isRaw { TerminalIO.write(Self.bracketedPasteOff, to: STDOUT_FILENO) }
    var quiet = original
    quiet.c_lflag &= ~tcflag_t(ECHO | ICANON)
    // Ctrl-C cancels the answer (SIGINT) without flushing what was typed meanwhile: it is the next message.
    quiet.c_lflag |= tcflag_t(NOFLSH)
    setReadsOneByte(&quiet)
    _ = tcsetattr(descriptor, TCSANOW, &quiet)
    isRaw = false
  }

  /// Restores the mode the terminal had before ``enable()``.
  mutating func restore() {
    guard saved else { return }
    if isRaw { TerminalIO.write(Self.bracketedPasteOff, to: STDOUT_FILENO) }
    _ = tcsetattr(descriptor, TCSANOW, &original)
    isRaw = false
  }

  private mutating func save() -> Bool {
    guard !saved else { return true }
    guard tcgetattr(descriptor, &original) == 0 else { return false }
    saved = true
    RawTerminal.originalModes.withLock { $0[descriptor] = $0[descriptor] ?? original }
    return true
  }

  private func setReadsOneByte(_ mode: inout termios) {
    withUnsafeMutableBytes(of: &mode.c_cc) { bytes in
      bytes[Int(VMIN)] = 1
      bytes[Int(VTIME)] = 0
    }
  }

  static let bracketedPasteOn = "\u{1B}[?2004h"
  static let bracketedPasteOff = "\u{1B}[?2004l"

  /// The mode each terminal had before this process changed it, for ``restoreAtExit()``.
  private static let originalModes = Mutex<[Int32: termios]>([:])

  /// Puts every terminal this process changed back in its original mode (bracketed paste off); called before the
  /// process ends on a path that skips the chat's own cleanup (Ctrl-C outside an answer).
  static func restoreAtExit() {
    let modes = originalModes.withLock { $0 }
    guard !modes.isEmpty else { return }
    TerminalIO.write(bracketedPasteOff, to: STDOUT_FILENO)
    for (descriptor, var mode) in modes { _ = tcsetattr(descriptor, TCSANOW, &mode) }
  }
}

/// Low-level reads and writes on file descriptors, retrying on `EINTR`.
enum TerminalIO {
  /// Reads up to `capacity` bytes; an empty result means end of input or an error.
  static func read(_ descriptor: Int32, capacity: Int = 256) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: capacity)
    while true {
      let count = buffer.withUnsafeMutableBytes { posixRead(descriptor, $0.baseAddress, capacity) }
      if count < 0, errno == EINTR { continue }
      return count > 0 ? Array(buffer[..<count]) : []
    }
  }

  /// Whether input arrives on `descriptor` within `milliseconds`.
  static func hasInput(_ descriptor: Int32, withinMilliseconds milliseconds: Int32) -> Bool {
    var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    return poll(&request, 1, milliseconds) > 0
  }

  /// Writes all of `text` to `descriptor`; returns the `errno` of a failed write, or nil.
  @discardableResult
  static func write(_ text: String, to descriptor: Int32) -> Int32? {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let count = bytes.withUnsafeMutableBytes { posixWrite(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      if count < 0, errno == EINTR { continue }
      if count < 0 { return errno }
      if count == 0 { return EIO }
      offset += count
    }
    return nil
  }
}

// The module-level `read`/`write` names are shadowed inside `TerminalIO`; these reach the C functions.
private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}

private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}
