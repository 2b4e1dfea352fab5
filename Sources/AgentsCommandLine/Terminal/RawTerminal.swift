#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Switches a terminal into raw mode (no echo, no line buffering, no signals from Ctrl-C) and back.
///
/// Only the line editor uses raw mode, and only while a line is being typed: while a reply streams
/// the terminal is in its normal mode, so Ctrl-C arrives as SIGINT and cancels the reply.
struct RawTerminal {
  private let descriptor: Int32
  private var original = termios()
  private(set) var isRaw = false

  init(descriptor: Int32 = STDIN_FILENO) { self.descriptor = descriptor }

  /// Enters raw mode; returns false when the descriptor is not a terminal.
  mutating func enable() -> Bool {
    guard !isRaw else { return true }
    guard tcgetattr(descriptor, &original) == 0 else { return false }
    var raw = original
    raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
    raw.c_cflag |= tcflag_t(CS8)
    raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
    withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
      bytes[Int(VMIN)] = 1
      bytes[Int(VTIME)] = 0
    }
    guard tcsetattr(descriptor, TCSAFLUSH, &raw) == 0 else { return false }
    isRaw = true
    return true
  }

  /// Restores the mode the terminal had before ``enable()``.
  mutating func restore() {
    guard isRaw else { return }
    _ = tcsetattr(descriptor, TCSAFLUSH, &original)
    isRaw = false
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
