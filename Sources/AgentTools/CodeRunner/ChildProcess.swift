#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One child process in a process group of its own, with its standard output and error collected up to a limit
/// and the whole group killed at a deadline: what ``CodeRunner`` needs, in blocking POSIX calls (run it off the
/// cooperative pool).
struct ChildProcess {
  /// How the process ended.
  enum Ending: Sendable, Hashable {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it (a crash, or a kill by something else).
    case signaled(Int32)
    /// It ran past the time limit, and its process group was killed.
    case timedOut
  }

  /// What the process wrote and how it ended.
  struct Outcome: Sendable, Hashable {
    var standardOutput: [UInt8]
    var standardError: [UInt8]
    /// Whether either stream wrote more than the limit (the rest was read and dropped).
    var truncated: Bool
    var ending: Ending
  }

  /// Why a process could not be started.
  struct StartFailure: Error {
    var errno: Int32
  }

  /// Runs `arguments[0]` (an absolute path) with `arguments` and exactly `environment`, standard input from
  /// `/dev/null`; keeps the first `outputLimit` bytes of each stream; after `timeLimit` seconds kills the process
  /// group. When the process exits, what is left of its group is killed too.
  static func run(
    _ arguments: [String], environment: [String], timeLimit: Double, outputLimit: Int
  ) throws(StartFailure) -> Outcome {
    var output: [Int32] = [-1, -1]
    var errors: [Int32] = [-1, -1]
    guard pipe(&output) == 0 else { throw StartFailure(errno: errno) }
    guard pipe(&errors) == 0 else {
      let failure = errno
      close(output[0])
      close(output[1])
      throw StartFailure(errno: failure)
    }
    // Not inherited by this child beyond its standard streams, nor by processes other threads start.
    for descriptor in output + errors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, output[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // A group of its own (so the deadline kills everything it started), default signal handling, nothing masked.
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    posix_spawnattr_setpgroup(&attributes, 0)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attributes, &all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)

    var pid: pid_t = 0
    let status = withCStrings(arguments) { argv in
      withCStrings(environment) { envp in posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp) }
    }
    close(output[1])
    close(errors[1])
    defer {
      close(output[0])
      close(errors[0])
    }
    guard status == 0 else { throw StartFailure(errno: status) }

    var streams = [Stream(descriptor: output[0]), Stream(descriptor: errors[0])]
    let deadline = monotonicSeconds() + timeLimit
    var timedOut = false
    while streams.contains(where: { !$0.closed }) {
      let left = deadline - monotonicSeconds()
      guard left > 0 else {
        timedOut = true
        kill(-pid, SIGKILL)
        break
      }
      var polls = streams.filter { !$0.closed }.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
      let ready = poll(&polls, nfds_t(polls.count), Int32(min(left, 1) * 1000) + 1)
      if ready < 0, errno != EINTR { break }
      for entry in polls where entry.revents != 0 {
        guard let index = streams.firstIndex(where: { $0.descriptor == entry.fd }) else { continue }
        streams[index].drain(limit: outputLimit)
      }
    }
    var waitStatus: Int32 = 0
    while waitpid(pid, &waitStatus, 0) < 0, errno == EINTR {}
    kill(-pid, SIGKILL)  // whatever it left running in its group
    let ending: Ending
    if timedOut {
      ending = .timedOut
    } else if waitStatus & 0x7f == 0 {
      ending = .exited((waitStatus >> 8) & 0xff)
    } else {
      ending = .signaled(waitStatus & 0x7f)
    }
    return Outcome(
      standardOutput: streams[0].bytes, standardError: streams[1].bytes,
      truncated: streams[0].truncated || streams[1].truncated, ending: ending)
  }

  /// One output pipe being read.
  private struct Stream {
    var descriptor: Int32
    var bytes: [UInt8] = []
    var truncated = false
    var closed = false

    mutating func drain(limit: Int) {
      var buffer = [UInt8](repeating: 0, count: 16 * 1024)
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno != EINTR && errno != EAGAIN { closed = true }
        return
      }
      guard count > 0 else {
        closed = true
        return
      }
      let room = max(0, limit - bytes.count)
      bytes.append(contentsOf: buffer[..<min(room, count)])
      if count > room { truncated = true }
    }
  }

  private static func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }

  /// Calls `body` with `strings` as a NULL-terminated array of C strings.
  private static func withCStrings<T>(
    _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> T
  ) -> T {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
  }
}
