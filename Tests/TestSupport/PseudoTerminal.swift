import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A program running on a pseudo-terminal, driven like a person at a keyboard: what it writes is collected, keys and
/// pastes are typed into it, Ctrl-C reaches it through the terminal's line discipline.
///
/// The child is started with `posix_spawn` in a new session whose controlling terminal is the pseudo-terminal (no
/// `fork` in a threaded process), so `isatty` holds for its standard streams, raw mode works, and `^C` typed while
/// the terminal is in cooked mode becomes SIGINT for the child, exactly as in a terminal emulator.
///
/// ```swift
/// let terminal = try PseudoTerminal(path, arguments: ["chat"], environment: env)
/// try await terminal.waitFor("> ")
/// terminal.type("hello\r")
/// try await terminal.waitFor("answer")
/// ```
package final class PseudoTerminal: Sendable {
  /// The bytes the program wrote to the terminal since it started, and whether it has exited.
  private struct State {
    var output: [UInt8] = []
    var exitStatus: Int32?
  }

  /// Something the program did not do in time.
  package struct Timeout: Error, CustomStringConvertible {
    /// What was awaited.
    package var awaited: String
    /// The screen text at the time (escape sequences removed).
    package var screen: String
    package var description: String { "timed out waiting for \(awaited); the terminal shows:\n\(screen)" }
  }

  /// The master side of the pseudo-terminal (the test's end).
  private let master: Int32
  /// The child's process id.
  package let processID: pid_t
  private let shared = SharedState()

  /// The state the reading thread and the test share (a class, so the thread does not keep the terminal alive).
  private final class SharedState: Sendable {
    let state = Mutex(State())
  }

  /// Starts `executable` with `arguments` on a new pseudo-terminal of `columns` × `rows`.
  package init(
    _ executable: String, arguments: [String], environment: [String: String], columns: Int = 100, rows: Int = 30
  ) throws {
    let master = Self.openMaster()
    guard master >= 0, let slavePath = Self.slavePath(of: master) else {
      throw POSIXFailure(operation: "opening a pseudo-terminal", code: errno)
    }
    var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // In the new session, opening the terminal without O_NOCTTY makes it the controlling terminal.
    posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
    posix_spawn_file_actions_adddup2(&actions, 0, 1)
    posix_spawn_file_actions_adddup2(&actions, 0, 2)
    Self.closeOtherDescriptors(&actions)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(Self.spawnSetSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGINT)
    sigaddset(&defaults, SIGPIPE)
    posix_spawnattr_setsigdefault(&attributes, &defaults)

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard status == 0 else {
      close(master)
      throw POSIXFailure(operation: "posix_spawn \(executable)", code: status)
    }
    self.master = master
    self.processID = pid
    startReading()
  }

  #if os(Linux)
    /// `POSIX_SPAWN_SETSID` (glibc 2.26+), which Swift's Glibc module hides behind `_GNU_SOURCE`.
    private static let spawnSetSID: Int32 = 0x80

    /// A new master from `/dev/ptmx`, its slave unlocked (`TIOCSPTLCK`): what `posix_openpt`, `grantpt` and `unlockpt`
    /// do, which Swift's Glibc module hides behind `_XOPEN_SOURCE`.
    private static func openMaster() -> Int32 {
      let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
      guard master >= 0 else { return -1 }
      var unlock: Int32 = 0
      guard ioctl(master, UInt(0x4004_5431), &unlock) == 0 else {
        close(master)
        return -1
      }
      return master
    }

    /// Makes the child close every descriptor above 2 (the test process's sockets and pipes, the master): with
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+, hidden behind `_GNU_SOURCE`, so looked up).
    private static func closeOtherDescriptors(_ actions: inout posix_spawn_file_actions_t) {
      typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
      else { return }
      _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }

    /// The slave's path, `/dev/pts/N`, from `TIOCGPTN`.
    private static func slavePath(of master: Int32) -> String? {
      var number: UInt32 = 0
      guard ioctl(master, UInt(0x8004_5430), &number) == 0 else { return nil }
      return "/dev/pts/\(number)"
    }
  #else
    private static let spawnSetSID = Int32(POSIX_SPAWN_SETSID)

    private static func closeOtherDescriptors(_ actions: inout posix_spawn_file_actions_t) {}

    private static func openMaster() -> Int32 {
      let master = posix_openpt(O_RDWR | O_NOCTTY)
      if master >= 0 { _ = fcntl(master, F_SETFD, FD_CLOEXEC) }
      guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0 else { return -1 }
      return master
    }

    private static func slavePath(of master: Int32) -> String? {
      ptsname(master).map { String(cString: $0) }
    }
  #endif

  // The reading thread closes the master once the child is gone; killing the child ends that thread.
  deinit {
    if shared.state.withLock({ $0.exitStatus }) == nil { kill(processID, SIGKILL) }
  }

  /// Reads the terminal until the child closes it, then reaps the child and closes the master.
  private func startReading() {
    let master = self.master
    let pid = processID
    let thread = Thread { [shared] in
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { break }  // EIO once every descriptor of the slave is closed
        shared.state.withLock { $0.output += buffer[..<count] }
      }
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0, errno == EINTR {}
      close(master)
      let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
      shared.state.withLock { $0.exitStatus = exit }
    }
    thread.name = "pty.reader"
    thread.start()
  }

  /// Types `text` as keys (use `\r` for Enter, `\u{03}` for Ctrl-C, `\u{04}` for Ctrl-D).
  package func type(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let count = bytes.withUnsafeMutableBytes { write(master, $0.baseAddress! + offset, $0.count - offset) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return }
      offset += count
    }
  }

  /// Pastes `text` the way a terminal with bracketed paste does: between `ESC [200~` and `ESC [201~`, newlines as
  /// carriage returns.
  package func paste(_ text: String) {
    type("\u{1B}[200~" + text.replacing("\n", with: "\r") + "\u{1B}[201~")
  }

  /// Ctrl-C.
  package func interrupt() { type("\u{03}") }

  /// Ctrl-D at the prompt, then waits for the program to exit and returns its status.
  package func quit() async throws -> Int32 {
    type("\u{04}")
    return try await waitForExit()
  }

  /// Everything written so far, escape sequences included.
  package var rawOutput: String { String(decoding: shared.state.withLock { $0.output }, as: UTF8.self) }

  /// Everything written so far with escape sequences and carriage returns removed: roughly what a person reads.
  package var text: String { Self.plain(rawOutput) }

  /// The exit status once the child has exited.
  package var exitStatus: Int32? { shared.state.withLock { $0.exitStatus } }

  /// Waits until the plain text contains `needle` (counting only text after `offset` characters), and returns the
  /// plain text. The limit guards against a hang; passing runs never get near it.
  @discardableResult
  package func waitFor(_ needle: String, after offset: Int = 0, within limit: Duration = .seconds(60)) async throws
    -> String
  {
    try await wait(for: "\"\(needle)\"", within: limit) {
      let plain = text
      return plain.count >= offset && plain.dropFirst(offset).contains(needle) ? plain : nil
    }
  }

  /// Types `line` and Enter, then waits until the plain text contains `reply` (counting only text after `offset`
  /// characters): one exchange with the program.
  @discardableResult
  package func enter(_ line: String, andWaitFor reply: String, after offset: Int = 0) async throws -> String {
    type(line + "\r")
    return try await waitFor(reply, after: offset)
  }

  /// Waits until the raw output (escape sequences included) contains `needle`.
  package func waitForRaw(_ needle: String, within limit: Duration = .seconds(60)) async throws {
    _ = try await wait(for: "raw \"\(needle)\"", within: limit) { rawOutput.contains(needle) ? true : nil }
  }

  /// Waits for the child to exit and returns its status (128 + signal when killed).
  package func waitForExit(within limit: Duration = .seconds(60)) async throws -> Int32 {
    try await wait(for: "the program to exit", within: limit) { exitStatus }
  }

  private func wait<T>(for awaited: String, within limit: Duration, _ probe: () -> T?) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: limit)
    while true {
      if let value = probe() { return value }
      guard clock.now < deadline else { throw Timeout(awaited: awaited, screen: text) }
      try await Task.sleep(for: .milliseconds(5))
    }
  }

  /// `text` without ANSI escape sequences and carriage returns.
  package static func plain(_ text: String) -> String {
    var output = String.UnicodeScalarView()
    var escape = false
    var csi = false
    for scalar in text.unicodeScalars {
      if csi {
        if (0x40...0x7E).contains(scalar.value) { csi = false }
      } else if escape {
        escape = false
        if scalar == "[" { csi = true }
      } else if scalar == "\u{1B}" {
        escape = true
      } else if scalar != "\r" {
        output.append(scalar)
      }
    }
    return String(output)
  }
}

/// A failed system call while setting up a pseudo-terminal.
package struct POSIXFailure: Error, CustomStringConvertible {
  /// The call.
  package var operation: String
  /// Its `errno`.
  package var code: Int32
  package var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
}

extension AgentsBinary {
  /// Starts `agents chat --base-url BASE_URL --agent AGENT` on a pseudo-terminal and waits for its first prompt.
  package func startChat(baseURL: String, agent: String = "creative") async throws -> PseudoTerminal {
    let terminal = try startOnTerminal(["chat", "--base-url", baseURL, "--agent", agent])
    try await terminal.waitFor("\(agent)> ")
    return terminal
  }

  /// Starts `agents arguments…` on a pseudo-terminal with this binary's private home (colour off, `TERM=xterm`).
  package func startOnTerminal(
    _ arguments: [String], environment extra: [String: String] = [:], columns: Int = 100, rows: Int = 30
  ) throws -> PseudoTerminal {
    var environment = self.environment.merging(extra) { $1 }
    environment["TERM"] = environment["TERM"] ?? "xterm"
    return try PseudoTerminal(
      try Self.path, arguments: arguments, environment: environment, columns: columns, rows: rows)
  }
}
