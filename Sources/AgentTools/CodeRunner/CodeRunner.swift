#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Runs a snippet of code the way a person would try it out: written to a fresh temporary directory and run by
/// the language's interpreter (`swift main.swift`, `python3 main.py`, `node main.js`), for the `run_code` tool.
///
/// Each run is confined: a time limit after which its whole process group is killed, a data-size limit, no
/// core files, files it writes limited in size, an environment that holds nothing of the user's (no tokens or
/// keys: only `PATH`, `HOME` and `TMPDIR` pointing into the run's directory, and the locale), standard input from
/// `/dev/null`, and no network where the kernel lets an unprivileged user namespace be made (`unshare -rn`; on
/// Linux that is usual). It is not a security boundary against hostile code: the code runs as the user, can read
/// what the user can read, and needs the user's approval before it runs (``ToolCatalog`` asks by default).
public struct CodeRunner: Sendable {
  /// The limits of one run.
  @MemberwiseInit
  public struct Configuration: Sendable, Hashable {
    /// Seconds before the process group is killed.
    public var timeLimit: Double = 10
    /// Bytes kept of each of standard output and standard error; the rest is read and dropped.
    public var outputLimit: Int = 4000
    /// The largest data segment, in bytes (`RLIMIT_DATA`).
    public var memoryLimit: Int = 1 << 30
    /// The largest file the code may write, in bytes (`RLIMIT_FSIZE`).
    public var fileSizeLimit: Int = 16 << 20
    /// Whether the code runs without network (in a new user and network namespace); when the kernel refuses
    /// one, the code does not run.
    public var isolatesNetwork: Bool = true
  }

  /// A language the runner can run, with the interpreter it uses.
  public enum Language: String, Sendable, CaseIterable {
    case swift, python, javascript

    /// The interpreter's program name, looked up on `PATH`.
    var interpreter: String {
      switch self {
      case .swift: "swift"
      case .python: "python3"
      case .javascript: "node"
      }
    }

    /// The snippet's file name.
    var fileName: String {
      switch self {
      case .swift: "main.swift"
      case .python: "main.py"
      case .javascript: "main.js"
      }
    }
  }

  /// The limits.
  public var configuration: Configuration
  /// The interpreters found, by language.
  public let interpreters: [Language: String]
  private let tools: (env: String, prlimit: String, unshare: String?)?

  /// Creates a runner that finds its interpreters and helpers (`env`, `prlimit`, `unshare`) on `path` (by
  /// default the `PATH` this process has).
  public init(configuration: Configuration = Configuration(), path: String? = nil) {
    self.configuration = configuration
    let directories = (path ?? getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin").split(separator: ":")
    func find(_ name: String) -> String? {
      directories.lazy.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }
    var interpreters: [Language: String] = [:]
    for language in Language.allCases { interpreters[language] = find(language.interpreter) }
    self.interpreters = interpreters
    if let env = find("env"), let prlimit = find("prlimit") {
      tools = (env, prlimit, find("unshare"))
    } else {
      tools = nil
    }
  }

  /// The languages this machine can run, in ``Language`` order.
  public var languages: [Language] { Language.allCases.filter { interpreters[$0] != nil } }

  /// Runs `code` as `language` and returns what it printed and how it ended, or why it could not run.
  public func run(_ code: String, language: Language) async -> CodeRun {
    await withCheckedContinuation { continuation in
      // Blocking calls (poll, waitpid) for up to the time limit: on a thread of its own, not the cooperative pool.
      DispatchQueue.global().async { continuation.resume(returning: runBlocking(code, language: language)) }
    }
  }

  func runBlocking(_ code: String, language: Language) -> CodeRun {
    guard let interpreter = interpreters[language] else {
      return CodeRun(failure: "\(language.interpreter) is not installed here, so \(language.rawValue) cannot be run")
    }
    guard let tools else {
      return CodeRun(failure: "the programs env and prlimit are needed to run code and were not found")
    }
    var template = Array("/tmp/agents-run-XXXXXX".utf8CString)
    guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
      return CodeRun(failure: "no temporary directory could be made (\(String(cString: strerror(errno))))")
    }
    let directory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    defer { Self.remove(directory) }
    let file = "\(directory)/\(language.fileName)"
    guard Self.writeFile(code, to: file) else { return CodeRun(failure: "the code could not be written to \(file)") }

    var arguments: [String] = []
    if configuration.isolatesNetwork {
      guard let unshare = tools.unshare else {
        return CodeRun(failure: "unshare was not found, so the code cannot be run without network")
      }
      arguments = [unshare, "--user", "--map-root-user", "--net", "--"]
    }
    arguments += [
      tools.env, "-C", directory, "--", tools.prlimit, "--data=\(configuration.memoryLimit)",
      "--fsize=\(configuration.fileSizeLimit)", "--core=0", "--", interpreter, file,
    ]
    let interpreterDirectory = interpreter[..<(interpreter.lastIndex(of: "/") ?? interpreter.startIndex)]
    let environment = [
      "PATH=\(interpreterDirectory):/usr/local/bin:/usr/bin:/bin",
      "HOME=\(directory)", "TMPDIR=\(directory)", "LANG=C.UTF-8", "SWIFT_BACKTRACE=enable=no", "NO_COLOR=1",
      "PYTHONDONTWRITEBYTECODE=1",
    ]
    do throws(ChildProcess.StartFailure) {
      let outcome = try ChildProcess.run(
        arguments, environment: environment, timeLimit: configuration.timeLimit,
        outputLimit: configuration.outputLimit)
      var run = CodeRun(outcome, language: language, timeLimit: configuration.timeLimit)
      if configuration.isolatesNetwork, case .exited(let status) = outcome.ending, status != 0,
        run.standardError.hasPrefix("unshare:")
      {
        run = CodeRun(failure: "this system does not let the code run without network (\(run.standardError))")
      }
      return run
    } catch {
      return CodeRun(failure: "the interpreter could not be started (\(String(cString: strerror(error.errno))))")
    }
  }

  private static func writeFile(_ text: String, to path: String) -> Bool {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
      let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return false }
      written += count
    }
    return true
  }

  /// Removes `directory` and everything in it (the run's files), without following symbolic links.
  private static func remove(_ directory: String) {
    if let names = FileSystemCalls.directoryEntries(directory) {
      for name in names {
        let path = "\(directory)/\(name)"
        if FileSystemCalls.kind(at: path) == .directory { remove(path) } else { unlink(path) }
      }
    }
    rmdir(directory)
  }
}
