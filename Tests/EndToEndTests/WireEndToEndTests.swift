import Foundation
import OpenAICompatible
import Synchronization
import Testing
import WireCore

/// The wire layer against a real llama-server: whole and streamed answers, structured output, cancellation.
///
/// The model is a small base model: these checks assert what any working server guarantees (text, usage,
/// grammar-constrained JSON, a stream that stops when cancelled), never what the model chooses to say.
@Suite(
  .enabled(if: EndToEndEnvironment.isEnabled, EndToEndEnvironment.skipReason), .serialized,
  .timeLimit(.minutes(3)))
struct WireEndToEndTests {
  /// A country and its capital, the structured output asked for with `json_schema`.
  struct Capital: Codable {
    var country: String
    var capital: String

    static let schema: JSONValue = [
      "type": "object",
      "properties": ["country": ["type": "string"], "capital": ["type": "string"]],
      "required": ["country", "capital"],
      "additionalProperties": false,
    ]
  }

  @Test func nonStreamedAnswerHasTextAndUsage() async throws {
    let completion = try await RealServer.client().complete(
      ChatCompletionRequest(
        messages: [.system("You are a concise assistant."), .user("Name three primary colors.")],
        temperature: 0, maxTokens: 16))
    #expect(!completion.message.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    #expect(completion.message.role == .assistant)
    let usage = try #require(completion.usage)
    #expect(usage.promptTokens > 0)
    #expect(usage.completionTokens > 0 && usage.completionTokens <= 16)
    #expect(usage.totalTokens == usage.promptTokens + usage.completionTokens)
    #expect(completion.finishReason == .stop || completion.finishReason == .length)
  }

  @Test func streamedAnswerHasTextAndUsage() async throws {
    let stream = try await RealServer.client().stream(
      ChatCompletionRequest(messages: [.user("Tell me about the sea.")], temperature: 0, maxTokens: 16, includeUsage: true))
    var texts: [String] = []
    var usage: Usage?
    var finish: FinishReason?
    for try await event in stream {
      switch event {
      case .contentDelta(let text): texts.append(text)
      case .usage(let reported): usage = reported
      case .finished(let reason): finish = reason
      default: break
      }
    }
    #expect(texts.count > 1, "a streamed answer arrives in several pieces")
    #expect(!texts.joined().trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    let reported = try #require(usage, "include_usage asks for a usage chunk")
    #expect(reported.promptTokens > 0)
    #expect(reported.completionTokens > 0 && reported.completionTokens <= 16)
    #expect(finish != nil)
  }

  @Test func jsonSchemaOutputDecodesIntoACodableType() async throws {
    let completion = try await RealServer.client().complete(
      ChatCompletionRequest(
        messages: [.user("Give the capital of France as JSON.")],
        responseFormat: .jsonSchema(name: "capital", schema: Capital.schema), temperature: 0, maxTokens: 64))
    let text = completion.message.text
    let capital = try JSONDecoder().decode(Capital.self, from: Data(text.utf8))
    #expect(!capital.country.isEmpty, "the grammar requires the field; got \(text)")
    #expect(completion.finishReason == .stop, "the grammar ends the object; got \(text)")
  }

  @Test func cancellingAStreamStopsTheServersGeneration() async throws {
    let client = try RealServer.client()
    #expect(try await RealServer.waitForBusySlots(0) == 0, "the server is idle before the test")
    let (started, startedContinuation) = AsyncStream.makeStream(of: Int.self)
    let deltas = Atomic<Int>(0)
    let consumer = Task {
      let stream = try await client.stream(
        ChatCompletionRequest(messages: [.user("Write a very long story about a dragon.")], temperature: 0, maxTokens: 2000))
      for try await event in stream {
        guard case .contentDelta = event else { continue }
        let count = deltas.add(1, ordering: .relaxed).newValue
        if count == 3 { startedContinuation.yield(count) }
      }
    }
    for await _ in started { break }
    #expect(try await RealServer.busySlots() == 1, "mid-stream, one slot generates")

    consumer.cancel()
    let outcome = await consumer.result
    switch outcome {
    case .success: Issue.record("a 2000-token answer ended by itself right after cancellation")
    case .failure(let error as ModelServerError): #expect(error.code == .cancelled, "\(error)")
    case .failure(let error): #expect(error is CancellationError, "\(error)")
    }
    let piecesAtCancel = deltas.load(ordering: .relaxed)
    #expect(piecesAtCancel < 2000)

    // The client closed the connection, so llama-server stops generating instead of finishing 2000 tokens.
    #expect(try await RealServer.waitForBusySlots(0) == 0, "the server still generates after the client cancelled")
  }
}
