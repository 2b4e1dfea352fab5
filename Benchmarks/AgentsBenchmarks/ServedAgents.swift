#if canImport(Glibc)
import Glibc
#endif
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The endpoint the agents-serve benchmark measures: one `agents serve` it starts (with a YAML agent `bench` that
/// matches the workload's agent), `--replicas N` of them behind nginx (round robin, kept-alive upstream
/// connections, as a deployment would run them), or the endpoint `--url` names.
struct ServedAgents {
  /// The OpenAI base URL the clients call (`…/v1`).
  let baseURL: String
  /// The `agents serve` processes this benchmark started.
  let replicas: [Process]
  /// nginx, when it fronts the replicas.
  let proxy: Process?
  /// What was measured, for the report.
  let description: String

  static func start(_ options: BenchmarkOptions, modelServer: String) async throws -> ServedAgents {
    if let url = options.string("url") {
      return ServedAgents(baseURL: url, replicas: [], proxy: nil, description: "endpoint \(url)")
    }
    let count = try options.integer("replicas", default: 1)
    let agents = try BenchmarkAgentsBinary.prepare(options, purpose: "agents-serve")
    var replicas: [(process: Process, url: String)] = []
    for index in 0..<count {
      replicas.append(
        try await agents.startListening(
          [
            "serve", "--port", "0", "--config", agents.config, "--base-url", modelServer, "--provider", "openai",
            "--max-concurrent-requests", "0", "--max-queue", "100000",
          ], pattern: #"http://127\.0\.0\.1:\d+/v1"#, instance: count == 1 ? nil : "replica-\(index + 1)"))
    }
    if count == 1 {
      let (process, url) = replicas[0]
      return ServedAgents(
        baseURL: url, replicas: [process], proxy: nil, description: "agents serve (\(agents.binary)) at \(url)")
    }
    let ports = replicas.map { URL(string: $0.url)?.port ?? 0 }
    let port = try options.integer("nginx-port", default: 18388)
    let proxy = try await NginxProxy.start(
      binary: options.string("nginx") ?? NginxProxy.defaultBinary, directory: agents.directory + "/nginx",
      port: port, upstreamPorts: ports)
    return ServedAgents(
      baseURL: "http://127.0.0.1:\(port)/v1", replicas: replicas.map(\.process), proxy: proxy,
      description: "\(count) agents serve replicas (\(agents.binary)) behind nginx at 127.0.0.1:\(port)")
  }

  /// The largest peak resident set size (`VmHWM`) of the replicas this benchmark started.
  func peakRSSKilobytes() -> Int? {
    replicas.compactMap { process -> Int? in
      guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
      else { return nil }
      return Int(line.split(separator: " ").dropFirst().first ?? "")
    }.max()
  }

  /// Stops nginx, then the replicas (SIGTERM, then waits).
  func stop() {
    for process in ([proxy].compactMap { $0 } + replicas) where process.isRunning {
      kill(process.processIdentifier, SIGTERM)
      process.waitUntilExit()
    }
  }
}

/// nginx in front of local `agents serve` replicas: one worker, round robin, kept-alive upstream connections,
/// unbuffered (streamed answers pass through as they come), in a private prefix directory.
enum NginxProxy {
  /// `nginx` on the PATH, else Debian's /usr/sbin/nginx.
  static var defaultBinary: String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return (path.split(separator: ":").map { "\($0)/nginx" } + ["/usr/sbin/nginx"])
      .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "nginx"
  }

  /// The configuration scripts/deployment-check runs too: scripts/templates/nginx-replicas.conf (found from the
  /// working directory, the repository's root when scripts/benchmark runs this) filled in.
  static func configuration(directory: String, port: Int, upstreamPorts: [Int]) throws -> String {
    let templatePath = "scripts/templates/nginx-replicas.conf"
    guard let template = try? String(contentsOfFile: templatePath, encoding: .utf8) else {
      throw BenchmarkOptions.Problem(
        description: "could not read \(templatePath): run the benchmark from the repository's root")
    }
    let fields = [
      "USER": geteuid() == 0 ? "user root;" : "", "PREFIX": directory, "PORT": String(port),
      "UPSTREAMS": upstreamPorts.map { "    server 127.0.0.1:\($0) max_fails=1 fail_timeout=3s;" }
        .joined(separator: "\n"),
    ]
    return fields.reduce(template) { $0.replacingOccurrences(of: "{{\($1.key)}}", with: $1.value) }
  }

  /// Writes the configuration, starts nginx and waits (up to 30 s) until `/health` answers through it.
  static func start(binary: String, directory: String, port: Int, upstreamPorts: [Int]) async throws -> Process {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let config = try configuration(directory: directory, port: port, upstreamPorts: upstreamPorts)
    try config.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["-p", directory, "-c", directory + "/nginx.conf"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch {
      throw BenchmarkOptions.Problem(
        description:
          "could not start nginx at \(binary) (\(error)); install it (apt-get install nginx-light) or pass --nginx PATH"
      )
    }
    for _ in 0..<1500 {
      let health = try? await HTTPClient.shared.execute(
        HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(2))
      if health?.status == .ok { return process }
      guard process.isRunning else {
        let log = (try? String(contentsOfFile: directory + "/error.log", encoding: .utf8)) ?? ""
        throw BenchmarkOptions.Problem(description: "nginx exited at start (is port \(port) free?):\n\(log)")
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    process.terminate()
    throw BenchmarkOptions.Problem(description: "nginx did not answer /health on port \(port) within 30 s")
  }
}
