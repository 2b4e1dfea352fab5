import OpenAICompatible
import Testing
import WireCore
import TestSupport

@Suite struct StreamFixtureTests {
  func replay(_ name: String) async throws -> StreamOutcome {
    await StreamOutcome.replay([try Fixture.bytes(name)])
  }

  @Test func ollamaCurrentTextStream() async throws {
    let outcome = try await replay("ollama-current-text.sse")
    #expect(outcome.errorCode == nil)
    #expect(
      outcome.events == [
        .contentDelta("Hel"), .contentDelta("lo, "), .contentDelta("wörld 😀"), .finished(.stop),
        .usage(Usage(promptTokens: 3, completionTokens: 4)),
      ])
    let completion = try #require(outcome.completion)
    #expect(completion.message.text == "Hello, wörld 😀")
    #expect(completion.message.role == .assistant)
    #expect(completion.id == "chatcmpl-5")
    #expect(completion.usage?.totalTokens == 7)
  }

  @Test func ollamaCurrentReasoningStreamEqualsTheNonStreamedMessage() async throws {
    let outcome = try await replay("ollama-current-reasoning.sse")
    #expect(outcome.events.prefix(3) == [.reasoningDelta("The user"), .reasoningDelta(" greets me."), .reasoningDelta(" Answer briefly.")])
    let streamed = try #require(outcome.completion)
    let whole = try #require(try? Fixture.json("ollama-completion-reasoning.json"))
    let expected = try ChatCompletion(json: whole)
    #expect(streamed.message == expected.message)
    #expect(streamed.finishReason == expected.finishReason)
    #expect(streamed.usage == expected.usage)
  }

  @Test func ollamaCurrentToolCallsStreamEqualsTheNonStreamedMessage() async throws {
    let outcome = try await replay("ollama-current-toolcalls.sse")
    let finishPosition = try #require(outcome.events.firstIndex(of: .finished(.toolCalls)))
    #expect(outcome.toolCalls.map(\.id) == ["call_k3n9x0qa", "call_p2m7v1zd"])
    // Complete calls are announced right before the finish event.
    #expect(outcome.events[finishPosition - 2] == .toolCall(outcome.toolCalls[0]))
    let streamed = try #require(outcome.completion)
    let expected = try ChatCompletion(json: try Fixture.json("ollama-completion-toolcalls.json"))
    #expect(streamed.message == expected.message)
    #expect(streamed.message.toolCalls[1].function.arguments == #"{"zone":"Europe/Paris"}"#)
  }

  @Test func ollamaLegacyTextStreamWithFinishOnTheLastContentChunk() async throws {
    let outcome = try await replay("ollama-legacy-text.sse")
    #expect(outcome.errorCode == nil)
    #expect(outcome.contentText == "The sky is blue.")
    #expect(outcome.events.contains(.finished(.stop)))
    #expect(outcome.completion?.usage == Usage(promptTokens: 26, completionTokens: 3))
  }

  @Test func legacyIndexCollisionsStartNewCallsWhenTheIDChanges() async throws {
    let outcome = try await replay("ollama-legacy-toolcalls-index0.sse")
    #expect(outcome.toolCalls.map(\.function.name) == ["write_file", "write_file"])
    #expect(outcome.toolCalls.map(\.function.arguments) == [#"{"path":"a.txt"}"#, #"{"path":"b.txt"}"#])
    #expect(outcome.toolCalls.map(\.id) == ["call_aaaa1111", "call_bbbb2222"])
  }

  @Test func ollamaMidStreamErrorIsAStreamCutAfterThePartialOutput() async throws {
    let outcome = try await replay("ollama-midstream-error.sse")
    #expect(outcome.contentText == "Once upon a time")
    #expect(outcome.errorCode == .streamCut)
  }

  @Test func openAIArgumentFragmentsAreConcatenatedPerIndex() async throws {
    let outcome = try await replay("openai-toolcall-fragments.sse")
    #expect(outcome.errorCode == nil)
    #expect(outcome.toolCalls.count == 2)
    #expect(outcome.toolCalls[0].function.name == "get_weather")
    #expect(outcome.toolCalls[0].function.arguments == #"{"city": "Paris"}"#)
    #expect(outcome.toolCalls[0].function.argumentsObject?["city"] == "Paris")
    #expect(outcome.toolCalls[1].id == "call_ABCdef1234567890XYZabcde")
    #expect(outcome.toolCalls[1].function.arguments == "{}")
    let completion = try #require(outcome.completion)
    #expect(completion.message.content == nil)  // content was null, as in OpenAI's non-streamed answer
    #expect(completion.usage?.details["prompt_tokens_details"]?["cached_tokens"] == 0)
    #expect(completion.finishReason == .toolCalls)
  }

  @Test func llamaServerTextPlusThreeCallsTheLastTruncated() async throws {
    let outcome = try await replay("llamacpp-text-and-truncated-toolcalls.sse")
    #expect(outcome.errorCode == nil)
    #expect(outcome.contentText == "I'll look these up.")
    #expect(outcome.toolCalls.map(\.function.name) == ["search", "read_file", "write_file"])
    #expect(outcome.toolCalls.allSatisfy { $0.id.count == 32 })
    #expect(outcome.toolCalls[0].function.arguments == #"{"query": "swift nio"}"#)
    #expect(outcome.toolCalls[2].function.arguments == #"{""#)
    #expect(outcome.toolCalls[2].function.argumentsObject == nil)
    let completion = try #require(outcome.completion)
    #expect(completion.usage == Usage(promptTokens: 214, completionTokens: 61))
    #expect(completion.finishReason == .toolCalls)
  }

  @Test func llamaServerReasoningContentIsReasoning() async throws {
    let outcome = try await replay("llamacpp-reasoning-content.sse")
    #expect(outcome.events.prefix(2) == [.reasoningDelta("Two plus two"), .reasoningDelta(" is four.")])
    #expect(outcome.completion?.message.reasoning == "Two plus two is four.")
    #expect(outcome.completion?.message.text == "4")
  }

  @Test func anErrorObjectInADataLineIsAStreamError() async throws {
    let outcome = try await replay("openai-error-event.sse")
    #expect(outcome.contentText == "Partial")
    #expect(outcome.errorCode == .streamError)
    #expect(outcome.errorMessage == "The server had an error while processing your request.")
  }

  @Test func llamaServerContextErrorLineIsAContextOverflow() async throws {
    let outcome = try await replay("llamacpp-error-line.sse")
    #expect(outcome.errorCode == .contextOverflow)
    #expect(outcome.errorMessage?.contains("exceeds the available context size") == true)
  }

  @Test func aPlainJSONAnswerToAStreamingRequestIsOneChunk() async throws {
    let outcome = await StreamOutcome.replay([try Fixture.bytes("ollama-completion-toolcalls.json")], contentType: "application/json")
    #expect(outcome.errorCode == nil)
    #expect(outcome.contentText == "Let me check.")
    #expect(outcome.toolCalls.count == 2)
    #expect(outcome.events.last == .usage(Usage(promptTokens: 160, completionTokens: 18)))
  }

  @Test func undecodableDataIsAMalformedResponseWithAnExcerpt() async throws {
    let outcome = await StreamOutcome.replay([Array("data: {\"choices\": [tru\n\n".utf8)])
    #expect(outcome.errorCode == .malformedResponse)
    let wrongShape = await StreamOutcome.replay([Array("data: {\"choices\": [1]}\n\ndata: [DONE]\n\n".utf8)])
    #expect(wrongShape.errorCode == .malformedResponse)
  }

  @Test func anEmptyBodyIsAStreamCutAndDoneAloneIsAnEmptyAnswer() async throws {
    #expect(await StreamOutcome.replay([[]]).errorCode == .streamCut)
    let done = await StreamOutcome.replay([Array("data: [DONE]\n\n".utf8)])
    #expect(done.errorCode == nil)
    #expect(done.events.isEmpty)
  }

  /// Every recorded stream gives the same events and the same ending however its bytes are chunked: every
  /// single split position for the fragmented tool-call stream, fixed-seed random multi-splits for all.
  /// (Every split position of every stream is covered at the framing level in `FramingFixtureTests`.)
  @Test func chunkingNeverChangesWhatAStreamProduces() async throws {
    let names = try Fixture.names(withExtension: "sse")
    #expect(names.count >= 11)
    var random = SeededGenerator(seed: 2024)
    for name in names {
      let bytes = try Fixture.bytes(name)
      let expected = await StreamOutcome.replay([bytes])
      if name == "openai-toolcall-fragments.sse" {
        for position in 0...bytes.count {
          #expect(await StreamOutcome.replay(Fixture.split(bytes, at: [position])) == expected, "\(name) split \(position)")
        }
      }
      for _ in 0..<25 {
        let cuts = (0..<Int.random(in: 2...24, using: &random)).map { _ in Int.random(in: 0...bytes.count, using: &random) }
        #expect(await StreamOutcome.replay(Fixture.split(bytes, at: cuts)) == expected, "\(name) cuts \(cuts.sorted())")
      }
    }
  }
}
