import Foundation
import OpenAICompatible

/// `agents doctor`: checks the server, its version, the default model and its tool support, and
/// prints the fix for each problem.
package struct DoctorCommand: Sendable {
  /// The outcome of one check.
  package struct Check: Sendable, Hashable {
    /// How a check came out.
    package enum Status: String, Sendable, Hashable {
      case ok, warning, failed
    }

    /// What was checked.
    package var name: String
    /// The outcome.
    package var status: Status
    /// What was found.
    package var detail: String
    /// What to do, for warnings and failures.
    package var fix: String?
    /// The exit category of a failure.
    package var failureCode: AppError.Code?

    /// The check as JSON.
    package var json: JSONValue {
      .object([
        "name": .string(name), "status": .string(status.rawValue), "detail": .string(detail),
        "fix": fix.map(JSONValue.string) ?? .null,
      ])
    }
  }

  /// The oldest Ollama that streams tool calls (v0.8.0); older ones work but buffer tool-call answers.
  package static let recommendedVersion = "0.8.0"
  /// The oldest Ollama with tools on its OpenAI-compatible API (v0.2.6).
  package static let minimumVersion = "0.2.6"

  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  /// Runs every check; later checks are skipped when the server cannot be reached.
  package func checks() async -> [Check] {
    let settings = services.settings
    var checks: [Check] = []
    checks.append(
      Check(
        name: "configuration", status: .ok,
        detail: "\(settings.provider.rawValue) at \(settings.server.redacted), model \(settings.defaultModel)"
          + (settings.configFile.map { ", config \($0.path)" } ?? "")))

    let (reachable, server) = await serverCheck()
    checks.append(reachable)
    guard reachable.status == .ok else { return checks }
    if settings.provider == .ollama { checks.append(await versionCheck()) }
    let model = await modelCheck(server: server)
    checks.append(model)
    if model.status == .ok { checks.append(await toolCheck(server: server)) }
    checks.append(dataCheck())
    return checks
  }

  /// Whether the server answers; for OpenAI-compatible servers also what the server tells about itself and the
  /// default model (`GET /v1/models`, llama.cpp's `/props`).
  private func serverCheck() async -> (Check, ServerDescription?) {
    let settings = services.settings
    let name = "server reachable"
    do {
      if settings.provider == .ollama {
        try await OllamaClient(config: settings.wireConfig).checkHealth()
        return (Check(name: name, status: .ok, detail: "Ollama at \(settings.server.redacted)"), nil)
      }
      let server = try await ChatCompletionsClient(config: settings.wireConfig)
        .describeServer(model: settings.defaultModel)
      let software = server.software.map { "\($0.rawValue) at " } ?? ""
      return (Check(name: name, status: .ok, detail: software + settings.server.redacted), server)
    } catch {
      let appError = AppError.from(error)
      let fix = settings.provider == .ollama
        ? "start Ollama with 'ollama serve', or point --base-url / OLLAMA_HOST at it"
        : "start the server, or point --base-url / OPENAI_BASE_URL at it"
      let check = Check(
        name: name, status: .failed, detail: appError.message, fix: fix,
        failureCode: appError.code == .runFailed ? .serverUnavailable : appError.code)
      return (check, nil)
    }
  }

  private func versionCheck() async -> Check {
    let name = "server version"
    do {
      let version = try await OllamaClient(config: services.settings.wireConfig).version()
      if !version.isAtLeast(Self.minimumVersion) {
        return Check(
          name: name, status: .failed, detail: "Ollama \(version) has no tool calling on /v1",
          fix: "upgrade Ollama to \(Self.recommendedVersion) or newer (https://ollama.com/download)",
          failureCode: .serverUnavailable)
      }
      if !version.isAtLeast(Self.recommendedVersion) {
        return Check(
          name: name, status: .warning, detail: "Ollama \(version) does not stream tool calls",
          fix: "upgrade Ollama to \(Self.recommendedVersion) or newer")
      }
      return Check(name: name, status: .ok, detail: "Ollama \(version)")
    } catch {
      return Check(name: name, status: .warning, detail: "unknown (\(AppError.from(error).message))", fix: nil)
    }
  }

  private func modelCheck(server: ServerDescription?) async -> Check {
    let model = services.settings.defaultModel
    let name = "default model installed"
    do {
      let installed = try await services.modelDirectory.resolveInstalledModel(model)
      var facts = server?.modelFacts ?? ""
      if let file = server?.modelFile { facts += (facts.isEmpty ? "" : "; ") + "file \(file)" }
      return Check(name: name, status: .ok, detail: installed + (facts.isEmpty ? "" : " (\(facts))"))
    } catch {
      let appError = AppError.from(error)
      return Check(
        name: name, status: .failed, detail: appError.message, fix: appError.fix, failureCode: appError.code)
    }
  }

  private func toolCheck(server: ServerDescription?) async -> Check {
    let settings = services.settings
    let model = settings.defaultModel
    let name = "tool support"
    guard settings.provider == .ollama else {
      switch server?.templateSupportsTools {
      case true?: return Check(name: name, status: .ok, detail: "\(model)'s chat template handles tool calls")
      case false?:
        return Check(
          name: name, status: .warning,
          detail: "\(model)'s chat template has no tool calls: agents with tools will not get native calls",
          fix: "use a model whose template has tools, or start llama.cpp with --jinja and a template with tools")
      case nil:
        return Check(name: name, status: .warning, detail: "not checked: the server does not report capabilities")
      }
    }
    do {
      let info = try await OllamaClient(config: settings.wireConfig).show(model)
      if info.capabilities.isEmpty {
        return Check(
          name: name, status: .warning, detail: "the server does not report capabilities (before Ollama 0.6.4)",
          fix: "upgrade Ollama to see whether \(model) supports tools")
      }
      if info.supports("tools") {
        return Check(name: name, status: .ok, detail: "\(model) supports tools")
      }
      return Check(
        name: name, status: .failed, detail: "\(model) does not support tools (the math tutor, coding assistant and triage need them)",
        fix: "use a model with tools, e.g. --model qwen3 or llama3.1 (AGENTS_MODEL sets the default)",
        failureCode: .runFailed)
    } catch {
      return Check(name: name, status: .warning, detail: "unknown (\(AppError.from(error).message))")
    }
  }

  private func dataCheck() -> Check {
    if let problem = services.storeProblem ?? (services.runStore == nil ? StoreError(.noDataDirectory, "no data directory") : nil) {
      return Check(
        name: "data directory", status: .warning, detail: "sessions and statistics are not saved: \(problem.message)")
    }
    return Check(name: "data directory", status: .ok, detail: "sessions and statistics are saved")
  }

  /// Prints the checks (or one JSON object) and returns 0 when healthy, else the first failure's status.
  package func run(json asJSON: Bool) async -> Int32 {
    let results = await checks()
    let failure = results.first { $0.status == .failed }
    let console = services.console
    let settings = AppBootstrap.resolvedSettings(
      services.settings, dataDirectory: try? DataDirectory.resolve(environment: ProcessInfo.processInfo.environment))
    if asJSON {
      let settingsJSON = settings.map { setting, value, source in
        JSONValue.object([
          "key": .string(setting.key), "value": .string(value), "source": .string(source?.rawValue ?? "default"),
        ])
      }
      console.print(
        JSONValue.object([
          "healthy": .bool(failure == nil), "checks": .array(results.map(\.json)), "settings": .array(settingsJSON),
        ]).jsonString)
    } else {
      let width = results.map(\.name.count).max() ?? 0
      for check in results {
        let mark: String
        switch check.status {
        case .ok: mark = console.style.green("✓")
        case .warning: mark = console.style.yellow("!")
        case .failed: mark = console.style.red("✗")
        }
        console.print("\(mark) " + check.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + check.detail)
        if let fix = check.fix { console.print("  " + String(repeating: " ", count: width + 2) + "fix: \(fix)") }
      }
      console.print(console.style.dim("settings (see 'agents --help'):"))
      let labelWidth = settings.map(\.setting.label.count).max() ?? 0
      for (setting, value, source) in settings {
        let label = setting.label.padding(toLength: labelWidth + 2, withPad: " ", startingAt: 0)
        console.print(console.style.dim("  \(label)\(value) (\(source?.rawValue ?? "default"))"))
      }
    }
    return failure.map { ($0.failureCode ?? .runFailed).exitStatus } ?? 0
  }
}
