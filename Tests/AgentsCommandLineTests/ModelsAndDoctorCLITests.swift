import AgentsTesting
import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// End-to-end: `agents models` and `agents doctor` against the fake Ollama server.
@Suite(.serialized) struct ModelsAndDoctorCLITests {
  @Test func listsInstalledModels() async throws {
    try await withServer { server, agents in
      let json = try await agents.run(["models", "--json"], environment: ["OLLAMA_HOST": server.baseURL])
      #expect(json.status == 0)
      let entries = try #require(try JSONValue.parse(json.lastLine).arrayValue)
      #expect(entries.map { $0["name"]?.stringValue ?? "" } == ["gemma:2b", "llama3.2:latest"])
      #expect(entries[1]["family"] == "llama")
      #expect(entries[1]["parameters"] == "3.2B")
      #expect(entries[1]["quantization"] == "Q4_K_M")
      #expect(entries[1]["size"] == 2_019_393_189)
      #expect(entries[1]["capabilities"]?.arrayValue?.contains("tools") == true)
      #expect(entries[0]["capabilities"]?.arrayValue?.contains("tools") == false)

      let table = try await agents.run(["models", "list", "--base-url", server.openAIBaseURL])
      let lines = table.stdout.split(separator: "\n")
      #expect(lines.first?.hasPrefix("NAME") == true)
      #expect(lines.contains { $0.hasPrefix("llama3.2:latest") && $0.contains("2.0 GB") && $0.contains("completion,tools") })

      let openAI = try await agents.run(["models", "--provider", "openai", "--base-url", server.openAIBaseURL, "--json"])
      #expect(openAI.status == 0)
      #expect(try JSONValue.parse(openAI.lastLine).arrayValue?.count == 2)
    }
  }

  @Test func showsAModelAndReportsMissingOnes() async throws {
    try await withServer { server, agents in
      let shown = try await agents.run(["models", "show", "llama3.2", "--base-url", server.openAIBaseURL])
      #expect(shown.status == 0)
      #expect(shown.stdout.contains("capabilities      completion, tools"))
      #expect(shown.stdout.contains("context length    131072"))

      let missing = try await agents.run(["models", "show", "llama9", "--base-url", server.openAIBaseURL])
      #expect(missing.status == 66)
      #expect(missing.stderr.hasPrefix("agents: error: Model 'llama9' is not installed"))

      let openAI = try await agents.run(["models", "show", "llama3.2", "--provider", "openai", "--base-url", server.openAIBaseURL])
      #expect(openAI.status == 64)
      #expect(openAI.stderr.contains("needs an Ollama server"))
    }
  }

  @Test func pullsWithPlainProgressLinesWhenPiped() async throws {
    try await withServer { server, agents in
      let pulled = try await agents.run(["models", "pull", "qwen3:8b", "--base-url", server.openAIBaseURL])
      #expect(pulled.status == 0)
      let lines = pulled.stdout.split(separator: "\n").map(String.init)
      #expect(lines.first == "pulling manifest")
      #expect(lines.last == "success")
      #expect(lines.contains { $0.hasPrefix("pulling ") && $0.contains("100%") })
      #expect(!pulled.stdout.contains("\r"))
      #expect(server.models.contains { $0.name == "qwen3:8b" })

      let unknown = try await agents.run(["models", "pull", "no-such-model", "--base-url", server.openAIBaseURL])
      #expect(unknown.status != 0)
      #expect(unknown.stderr.hasPrefix("agents: error:"))
      #expect(unknown.stderr.split(separator: "\n").count == 1)
    }
  }

  @Test func listsLoadedModels() async throws {
    try await withServer { server, agents in
      let none = try await agents.run(["models", "ps", "--base-url", server.openAIBaseURL])
      #expect(none.stdout == "No models loaded.\n")
      server.enqueue(.text("hi"))
      _ = try await agents.run(["ask", "--agent", "creative", "--base-url", server.openAIBaseURL, "hello"])
      let loaded = try await agents.run(["models", "ps", "--base-url", server.openAIBaseURL])
      #expect(loaded.stdout.split(separator: "\n").first?.hasPrefix("NAME") == true)
      #expect(loaded.stdout.contains("llama3.2:latest"))
    }
  }

  @Test func doctorPassesOnAHealthyServer() async throws {
    try await withServer { server, agents in
      let output = try await agents.run(["doctor", "--base-url", server.openAIBaseURL])
      #expect(output.status == 0)
      #expect(output.stdout.contains("✓ server reachable"))
      #expect(output.stdout.contains("✓ server version           Ollama 0.32.15"))
      #expect(output.stdout.contains("✓ default model installed  llama3.2"))
      #expect(output.stdout.contains("✓ tool support"))
      let json = try await agents.run(["doctor", "--json", "--base-url", server.openAIBaseURL])
      let report = try JSONValue.parse(json.lastLine)
      #expect(report["healthy"] == true)
      #expect(report["checks"]?.arrayValue?.count == 6)
    }
  }

  @Test func doctorNamesTheLlamaCppServerItsModelAndTheTemplatesToolSupport() async throws {
    try await withServer { server, agents in
      server.llamaServer = .init()
      server.contextLimit = .init(tokens: 4096)
      let arguments = ["doctor", "--base-url", server.openAIBaseURL, "--provider", "openai"]
      let output = try await agents.run(arguments)
      #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
      func line(_ check: String, in text: String) -> String {
        text.split(separator: "\n").first { $0.contains(check) }.map(String.init) ?? ""
      }
      #expect(line("server reachable", in: output.stdout).hasSuffix("llama.cpp at \(server.openAIBaseURL)"))
      #expect(
        line("default model installed", in: output.stdout).hasSuffix(
          "llama3.2 (630M parameters, Q4_K - Medium, context 4096 of 32768; "
            + "file /models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf)"))
      #expect(line("tool support", in: output.stdout).hasPrefix("✓"))
      #expect(line("tool support", in: output.stdout).hasSuffix("llama3.2's chat template handles tool calls"))

      let models = try await agents.run(["models", "--base-url", server.openAIBaseURL, "--provider", "openai"])
      #expect(line("llama3.2:latest", in: models.stdout).contains("630M        Q4_K - Medium"), "\(models.stdout)")
      #expect(line("llama3.2:latest", in: models.stdout).contains("485 MB"), "\(models.stdout)")

      server.llamaServer = .init(templateSupportsTools: false)
      let noTools = try await agents.run(arguments)
      #expect(noTools.status == 0)
      #expect(line("tool support", in: noTools.stdout).hasPrefix("!"))
      #expect(line("tool support", in: noTools.stdout).contains("has no tool calls"))
      #expect(noTools.stdout.contains("fix: use a model whose template has tools"))
    }
  }

  @Test func aModelTheServerDoesNotServeIsNotToBePulledFromAnOpenAICompatibleServer() async throws {
    try await withServer { server, agents in
      server.llamaServer = .init()
      let output = try await agents.run(
        ["doctor", "--base-url", server.openAIBaseURL, "--provider", "openai", "--model", "mistral"])
      #expect(output.status == 66)
      #expect(output.stdout.contains("model 'mistral' is not served by the server"), "\(output.stdout)")
      #expect(output.stdout.contains("fix: use a model the server serves (llama3.2:latest"), "\(output.stdout)")
      #expect(!output.stdout.contains("models pull"), "llama.cpp cannot pull: \(output.stdout)")
    }
  }

  @Test func doctorPrintsTheFixForEachFailure() async throws {
    try await withServer { server, agents in
      let noTools = try await agents.run(["doctor", "--base-url", server.openAIBaseURL, "--model", "gemma:2b"])
      #expect(noTools.status == 1)
      #expect(noTools.stdout.contains("✗ tool support"))
      #expect(noTools.stdout.contains("fix: use a model with tools"))

      let missing = try await agents.run(["doctor", "--json", "--base-url", server.openAIBaseURL], environment: ["AGENTS_MODEL": "mistral"])
      #expect(missing.status == 66)
      let report = try JSONValue.parse(missing.lastLine)
      #expect(report["healthy"] == false)
      let check = try #require(report["checks"]?.arrayValue?.first { $0["name"] == "default model installed" })
      #expect(check["status"] == "failed")
      #expect(check["fix"]?.stringValue?.contains("agents models pull mistral") == true)

      server.setDefaultReply(nil)
      try await server.stopListening()
      let down = try await agents.run(["doctor", "--base-url", server.openAIBaseURL])
      #expect(down.status == 69)
      #expect(down.stdout.contains("✗ server reachable"))
      #expect(down.stdout.contains("fix: start Ollama with 'ollama serve'"))
    }
  }
}
