#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OllamaAPI
import Testing
import WireCore

private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
  try JSONDecoder().decode(type, from: Data(json.utf8))
}

@Suite("Native API types decode what Ollama sends")
struct OllamaTypesDecodingTests {
  @Test func tagsWithDetailsCapabilitiesAndUnknownFields() throws {
    let json = """
      {"models":[{"name":"llama3.2:latest","model":"llama3.2:latest",
        "modified_at":"2025-05-04T17:37:44.706015396-07:00","size":2019393189,
        "digest":"a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
        "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],
                   "parameter_size":"3.2B","quantization_level":"Q4_K_M","context_length":131072},
        "capabilities":["completion","tools"],"some_future_field":{"x":1}},
       {"name":"gpt-oss:120b-cloud","remote_model":"gpt-oss:120b","remote_host":"https://ollama.com:443"}]}
      """
    let list = try decode(OllamaModelList.self, json)
    #expect(list.models.count == 2)
    let llama = list.models[0]
    #expect(llama.size == 2_019_393_189)
    #expect(llama.details?.family == "llama")
    #expect(llama.details?.parameterSize == "3.2B")
    #expect(llama.details?.quantizationLevel == "Q4_K_M")
    #expect(llama.details?.contextLength == 131_072)
    #expect(llama.capabilities == [.completion, .tools])
    #expect(llama.modifiedAt == "2025-05-04T17:37:44.706015396-07:00")
    #expect(list.models[1].remoteModel == "gpt-oss:120b")
    #expect(list.models[1].details == nil)
  }

  @Test(arguments: [#"{"models":null}"#, #"{}"#, #"{"models":[]}"#])
  func emptyOrNullModelListsDecodeAsEmpty(json: String) throws {
    #expect(try decode(OllamaModelList.self, json).models.isEmpty)
    #expect(try decode(OllamaRunningModelList.self, json).models.isEmpty)
  }

  @Test func showGivesContextLengthFromTheArchitectureKey() throws {
    let json = """
      {"parameters":"num_ctx 4096\\nstop \\"<|eot_id|>\\"\\nstop \\"<|end|>\\"","template":"{{ .Prompt }}",
       "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],"parameter_size":"8.0B","quantization_level":"Q4_0"},
       "model_info":{"general.architecture":"llama","llama.context_length":131072,"llama.embedding_length":4096,
                     "tokenizer.ggml.tokens":null},
       "capabilities":["completion","tools","thinking"],"modified_at":"2025-05-04T17:37:44.706015396-07:00",
       "tensors":[{"name":"x"}]}
      """
    let info = try decode(OllamaModelInfo.self, json)
    #expect(info.architecture == "llama")
    #expect(info.contextLength == 131_072)
    #expect(info.embeddingLength == 4096)
    #expect(info.supports(.tools))
    #expect(info.supports(.thinking))
    #expect(!info.supports(.vision))
    #expect(info.configuredContextLength == 4096)
    #expect(info.parameterValues.map(\.name) == ["num_ctx", "stop", "stop"])
    #expect(info.parameterValues[1].value == "<|eot_id|>")
    #expect(info.template == "{{ .Prompt }}")
  }

  @Test func showFromOldServersWithoutCapabilitiesOrArchitecture() throws {
    let info = try decode(OllamaModelInfo.self, #"{"model_info":{"qwen2.context_length":32768},"capabilities":null}"#)
    #expect(info.capabilities.isEmpty)
    #expect(info.architecture == nil)
    #expect(info.contextLength == 32768)
    let bare = try decode(OllamaModelInfo.self, "{}")
    #expect(bare.contextLength == nil)
    #expect(bare.modelInfo.isEmpty)
  }

  @Test func runningModels() throws {
    let json = """
      {"models":[{"name":"mistral:latest","model":"mistral:latest","size":5137025024,
       "digest":"2ae6f6dd7a3dd734790bbbf58b8909a606e0e7e97e94b7604e0aa7ae4490e6d8",
       "details":{"parent_model":"","format":"gguf","family":"llama","families":["llama"],"parameter_size":"7.2B","quantization_level":"Q4_0"},
       "expires_at":"2024-06-04T14:38:31.83753-07:00","size_vram":5137025024,"context_length":4096}]}
      """
    let running = try decode(OllamaRunningModelList.self, json).models[0]
    #expect(running.contextLength == 4096)
    #expect(running.sizeVRAM == 5_137_025_024)
    #expect(running.expiresAt == "2024-06-04T14:38:31.83753-07:00")
  }

  @Test func versionsCompareNumerically() throws {
    let version = try decode(OllamaVersion.self, #"{"version":"0.32.15"}"#)
    #expect(version.isAtLeast("0.32.6"))
    #expect(!OllamaVersion("0.5.12").isAtLeast("0.32.6"))
    #expect(OllamaVersion("0.33.0-rc2").numericComponents == [0, 33, 0])
    #expect(OllamaVersion("0.12") == OllamaVersion("0.12.0"))
    #expect(OllamaVersion("garbage").numericComponents == [0, 0, 0])
  }

  @Test func pullLinesIncludingErrors() throws {
    let line = try decode(
      OllamaPullStatus.self,
      #"{"status":"pulling dde5aa3fc5ff","digest":"sha256:dde5","total":2019377376,"completed":241970}"#)
    #expect(line.total == 2_019_377_376)
    #expect(line.completed == 241_970)
    #expect(line.error == nil)
    let failure = try decode(OllamaPullStatus.self, #"{"error":"pull model manifest: file does not exist"}"#)
    #expect(failure.error == "pull model manifest: file does not exist")
    #expect(failure.status == nil)
  }

  @Test func pullTrackerSumsBytesPerDigest() {
    var tracker = OllamaPullTracker()
    _ = tracker.record(OllamaPullStatus(status: "pulling manifest"))
    var progress = tracker.record(OllamaPullStatus(status: "pulling aaa", digest: "sha256:aaa", total: 100))
    #expect(progress.completedBytes == 0)
    #expect(progress.totalBytes == 100)
    progress = tracker.record(OllamaPullStatus(status: "pulling aaa", digest: "sha256:aaa", total: 100, completed: 40))
    progress = tracker.record(OllamaPullStatus(status: "pulling bbb", digest: "sha256:bbb", total: 50, completed: 50))
    #expect(progress.completedBytes == 90)
    #expect(progress.totalBytes == 150)
    #expect(progress.layer == .init(completed: 50, total: 50))
    // A repeated line for an earlier layer replaces, not adds; progress never goes backwards.
    progress = tracker.record(OllamaPullStatus(status: "pulling aaa", digest: "sha256:aaa", total: 100, completed: 30))
    #expect(progress.completedBytes == 90)
    progress = tracker.record(OllamaPullStatus(status: "pulling aaa", digest: "sha256:aaa", total: 100, completed: 100))
    #expect(progress.completedBytes == 150)
    #expect(progress.fractionCompleted == 1)
    #expect(progress.layers.map(\.digest) == ["sha256:aaa", "sha256:bbb"])
    #expect(tracker.record(OllamaPullStatus(status: "success")).isSuccess)
  }
}
