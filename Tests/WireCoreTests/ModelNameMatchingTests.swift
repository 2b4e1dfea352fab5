import Testing
import WireCore

@Suite("Model name matching and the default key")
struct ModelNameMatchingTests {
  @Test func notFoundMessagesAreRecognizedButWrongPathsAreNot() {
    #expect(ModelNameMatching.isModelNotFound("model 'llama9' not found"))
    #expect(ModelNameMatching.isModelNotFound(#"model "x" not found, try pulling it first"#))
    #expect(ModelNameMatching.isModelNotFound("pull model manifest: file does not exist"))
    #expect(!ModelNameMatching.isModelNotFound("404 page not found"))
    #expect(!ModelNameMatching.isModelNotFound("server busy"))
  }

  @Test func closestNamesPreferTheSameFamily() {
    let installed = ["llama3.2:latest", "llama3.1:8b", "gemma:2b", "qwen3:8b"]
    // Equally close names are ordered by name.
    #expect(ModelNameMatching.closestNames(to: "llama3.3", among: installed) == ["llama3.1:8b", "llama3.2:latest"])
    #expect(ModelNameMatching.closestNames(to: "gemma", among: installed) == ["gemma:2b"])
    #expect(ModelNameMatching.closestNames(to: "mistral-nemo-instruct", among: installed).isEmpty)
    #expect(ModelNameMatching.family(of: "library/llama3.2:latest") == "llama3.2")
    #expect(ModelNameMatching.editDistance("kitten", "sitting") == 3)
  }

  @Test func theDefaultPlaceholderKeyIsNotRedacted() {
    let text = "Start Ollama with `ollama serve`"
    #expect(Redaction.message(text, secrets: [OllamaConfig.defaultAPIKey]) == text)
    #expect(!Redaction.message("key sk-live-123456 leaked", secrets: ["sk-live-123456"]).contains("sk-live-123456"))
  }
}
