import Foundation
import OpenAICompatible

/// `agents models`: the server's installed models, details, loaded models, and pulls.
package struct ModelsCommand: Sendable {
  /// One installed model as `agents models` lists it.
  package struct Entry: Sendable, Hashable {
    package var name: String
    package var size: Int64?
    package var family: String?
    package var parameters: String?
    package var quantization: String?
    package var capabilities: [String]?

    /// The entry as JSON.
    package var json: JSONValue {
      .object([
        "name": .string(name),
        "size": size.map { .int(Int($0)) } ?? .null,
        "family": family.map(JSONValue.string) ?? .null,
        "parameters": parameters.map(JSONValue.string) ?? .null,
        "quantization": quantization.map(JSONValue.string) ?? .null,
        "capabilities": capabilities.map { .array($0.map(JSONValue.string)) } ?? .null,
      ])
    }
  }

  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  var ollama: OllamaClient { OllamaClient(config: services.settings.wireConfig) }

  /// The installed models; on Ollama with family, size and capabilities (from `/api/show` on servers
  /// whose list does not carry them); on llama.cpp with the size, parameters and quantisation its list carries.
  package func entries() async throws -> [Entry] {
    guard services.settings.provider == .ollama else {
      let models = try await ChatCompletionsClient(config: services.settings.wireConfig).listModels()
      return models.map { model in
        let described = ServerDescription(listing: models, model: model.id)
        return Entry(
          name: model.id, size: described.size.map(Int64.init),
          parameters: described.parameters.map(ServerDescription.readable), quantization: described.quantization)
      }
    }
    let client = ollama
    var entries: [Entry] = []
    for model in try await client.listModels() {
      var capabilities = model.capabilities?.map(\.rawValue)
      if capabilities == nil, let info = try? await client.show(model.name) {
        capabilities = info.capabilities.map(\.rawValue)
      }
      entries.append(
        Entry(
          name: model.name, size: model.size, family: model.details?.family, parameters: model.details?.parameterSize,
          quantization: model.details?.quantizationLevel, capabilities: capabilities))
    }
    return entries.sorted { $0.name < $1.name }
  }

  /// `agents models [list]`.
  package func list(json asJSON: Bool) async -> Int32 {
    await reporting {
      let entries = try await entries()
      let console = services.console
      if asJSON {
        console.print(JSONValue.array(entries.map(\.json)).jsonString)
        return 0
      }
      guard !entries.isEmpty else {
        console.print("No models installed. Pull one with: agents models pull llama3.2")
        return 0
      }
      var table = TextTable(
        headers: ["NAME", "SIZE", "FAMILY", "PARAMETERS", "QUANTIZATION", "CAPABILITIES"],
        alignments: [.left, .right, .left, .left, .left, .left])
      for entry in entries {
        table.add([
          entry.name, entry.size.map(ByteCount.format) ?? "-", entry.family ?? "-", entry.parameters ?? "-",
          entry.quantization ?? "-", entry.capabilities?.joined(separator: ",") ?? "-",
        ])
      }
      for line in table.render(style: console.style) { console.print(line) }
      return 0
    }
  }

  /// `agents models show NAME [--json]`.
  package func show(_ name: String, json asJSON: Bool = false) async -> Int32 {
    await reporting {
      let model = try requireModelName(name)
      try requireOllama("show")
      let info = try await ollama.show(model)
      if asJSON {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        services.console.print(
          JSONValue.object([
            "name": .string(model), "architecture": text(info.architecture),
            "parameters": text(info.details?.parameterSize), "quantization": text(info.details?.quantizationLevel),
            "format": text(info.details?.format), "context_length": info.contextLength.map(JSONValue.int) ?? .null,
            "embedding_length": info.embeddingLength.map(JSONValue.int) ?? .null,
            "capabilities": .array(info.capabilities.map { .string($0.rawValue) }),
          ]).jsonString)
        return 0
      }
      var rows: [(String, String)] = [("name", model)]
      rows.append(("architecture", info.architecture ?? "-"))
      rows.append(("parameters", info.details?.parameterSize ?? "-"))
      rows.append(("quantization", info.details?.quantizationLevel ?? "-"))
      rows.append(("format", info.details?.format ?? "-"))
      rows.append(("context length", info.contextLength.map(String.init) ?? "-"))
      rows.append(("embedding length", info.embeddingLength.map(String.init) ?? "-"))
      rows.append(("capabilities", info.capabilities.isEmpty ? "-" : info.capabilities.map(\.rawValue).joined(separator: ", ")))
      if let parameters = info.parameters, !parameters.isEmpty {
        rows.append(("options", parameters.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")))
      }
      if let license = info.license?.split(separator: "\n").first {
        rows.append(("license", String(license)))
      }
      let width = rows.map(\.0.count).max() ?? 0
      for (key, value) in rows {
        services.console.print(key.padding(toLength: width + 2, withPad: " ", startingAt: 0) + value)
      }
      return 0
    }
  }

  /// `agents models ps [--json]`.
  package func running(json asJSON: Bool = false) async -> Int32 {
    await reporting {
      try requireOllama("ps")
      let models = try await ollama.runningModels()
      let console = services.console
      if asJSON {
        console.print(
          JSONValue.array(
            models.map { model in
              [
                "name": .string(model.name), "size": model.size.map { .int(Int($0)) } ?? .null,
                "size_vram": model.sizeVRAM.map { .int(Int($0)) } ?? .null,
                "context_length": model.contextLength.map(JSONValue.int) ?? .null,
                "expires_at": model.expiresAt.map(JSONValue.string) ?? .null,
              ]
            }
          ).jsonString)
        return 0
      }
      guard !models.isEmpty else {
        console.print("No models loaded.")
        return 0
      }
      var table = TextTable(headers: ["NAME", "SIZE", "PROCESSOR", "CONTEXT", "UNTIL"], alignments: [.left, .right, .left, .right, .left])
      for model in models {
        table.add([
          model.name, model.size.map(ByteCount.format) ?? "-", Self.processor(size: model.size, vram: model.sizeVRAM),
          model.contextLength.map(String.init) ?? "-", model.expiresAt ?? "-",
        ])
      }
      for line in table.render(style: console.style) { console.print(line) }
      return 0
    }
  }

  /// `agents models pull NAME`: a progress bar on a terminal, plain progress lines otherwise. A name the registry
  /// does not know is reported with where to find the names (suggesting the same pull again would not help).
  package func pull(_ name: String) async -> Int32 {
    await reporting(adjusting: { error in
      guard error.code == .modelNotFound else { return error }
      var error = error
      error.fix = "check the name: the models Ollama can pull are listed at https://ollama.com/library "
        + "(e.g. llama3.2, qwen3:8b); 'agents models' lists the installed ones"
      return error
    }) {
      let model = try requireModelName(name)
      try requireOllama("pull")
      let console = services.console
      var display = PullProgressDisplay(terminal: console.interactive, columns: TerminalCapabilities.columns())
      let stream = try await ollama.pull(model)
      do {
        for try await progress in stream {
          if let output = display.update(progress) {
            if output.redrawsLine { console.redrawLine(output.text) } else { console.out.write(output.text) }
          }
        }
      } catch {
        if let text = display.finish() { console.out.write(text) }
        throw error
      }
      if let text = display.finish() { console.out.write(text) }
      if Task.isCancelled { throw AppError(.interrupted, "pull of \(model) cancelled") }
      return 0
    }
  }

  /// `agents models rm NAME…`: deletes installed models; every name must be installed (nothing is deleted otherwise).
  package func remove(_ names: [String]) async -> Int32 {
    await reporting(adjusting: { error in
      guard error.code == .modelNotFound else { return error }
      var error = error
      error.fix = "nothing was deleted; 'agents models' lists the installed ones"
      return error
    }) {
      try requireOllama("rm")
      var models: [String] = []
      for name in names { models.append(try await services.modelDirectory.resolveInstalledModel(try requireModelName(name))) }
      for model in models {
        try await ollama.delete(model)
        services.console.print("Deleted \(model).")
      }
      return 0
    }
  }

  /// "47% GPU", "100% CPU" or a split, as `ollama ps` shows it.
  static func processor(size: Int64?, vram: Int64?) -> String {
    guard let size, size > 0, let vram else { return "-" }
    let gpu = Int((Double(vram) / Double(size) * 100).rounded())
    switch gpu {
    case 100...: return "100% GPU"
    case ...0: return "100% CPU"
    default: return "\(100 - gpu)%/\(gpu)% CPU/GPU"
    }
  }

  private func requireModelName(_ name: String) throws(AppError) -> String {
    let trimmed = name.trimmingWhitespace()
    guard !trimmed.isEmpty else {
      throw AppError(.usage, "the model name is empty", fix: "give a name such as llama3.2 or qwen3:8b")
    }
    return trimmed
  }

  private func requireOllama(_ command: String) throws(AppError) {
    guard services.settings.provider == .ollama else {
      throw AppError(
        .usage, "'agents models \(command)' needs an Ollama server, but the provider is openai",
        fix: "use --provider ollama with an Ollama base URL")
    }
  }

  /// Runs `body`, printing its error (after `adjusting` it) as one line and returning the right exit status.
  private func reporting(
    adjusting adjust: (AppError) -> AppError = { $0 }, _ body: () async throws -> Int32
  ) async -> Int32 {
    do {
      return try await body()
    } catch {
      let appError = adjust(AppError.from(error))
      services.console.error(appError)
      return appError.exitStatus
    }
  }
}
