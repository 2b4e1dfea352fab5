@testable import Agents
import AgentsTesting
import Testing
import TestSupport

/// ``RepetitionDetector`` on loops and on text that only looks repetitive, and the runner stopping a looping
/// stream with it.
@Suite struct RepetitionDetectorTests {
  static let line = "Silent whispers of leaves,"
  static let poemStart = "In the embrace of autumn's embrace,\nAutumn's gentle whispers,\n"

  @Test func aRepeatedLineIsReportedOnceItCoversTheMinimumAndTheFirstCopyIsKept() throws {
    let text = Self.poemStart + String(repeating: Self.line + "\n", count: 30)
    let report = try #require(RepetitionDetector.check(text))
    #expect(report.block == Self.line)
    #expect(report.repeats == 8, "27 characters a copy: the 8th copy passes 200 characters")
    #expect(report.keptText == Self.poemStart + Self.line)
    #expect(report.description == #"repeated "Silent whispers of leaves," 8 times"#)
  }

  @Test func feedingDeltaByDeltaGivesTheSameReportAsTheWholeText() throws {
    let text = Self.poemStart + String(repeating: Self.line + "\n", count: 12)
    var detector = RepetitionDetector()
    var report: RepetitionDetector.Report?
    var fed = 0
    for character in text where report == nil {
      report = detector.feed(String(character))
      fed += 1
    }
    #expect(report == RepetitionDetector.check(text))
    #expect(fed < text.count, "it stops as soon as the loop is certain")
    #expect(detector.feed("more") == report, "after a report, the same report")
  }

  @Test(arguments: [
    ("a refrain sung four times", String(repeating: "Row, row, row your boat, gently down the stream,\nMerrily merrily\n", count: 4)),
    ("closing braces", "func f() {\n" + String(repeating: "  if a {\n", count: 12) + String(repeating: "}\n", count: 13)),
    ("a numbered list", (1...30).map { "\($0). Item number \($0) is \($0 * 7) grams" }.joined(separator: "\n")),
    ("a times table", (1...12).map { "7 x \($0) = \(7 * $0)" }.joined(separator: "\n")),
    ("a markdown table", "| a | b |\n|---|---|\n" + (1...20).map { "| \($0) | \($0 * $0) |" }.joined(separator: "\n")),
    ("laughter", "Ha ha ha ha ha ha ha ha! That was funny."),
    ("short text", "ok ok ok ok ok ok"),
  ])
  func textThatOnlyLooksRepetitiveIsLeftAlone(_ name: String, _ text: String) {
    #expect(RepetitionDetector.check(text) == nil, "\(name)")
  }

  @Test func loopsOfWordsParagraphsAndNumberedItemsAreReported() throws {
    let words = try #require(RepetitionDetector.check("The answer is " + String(repeating: "very ", count: 60)))
    #expect(words.block == "very")
    #expect(words.keptText == "The answer is very")
    let paragraph = "The leaves fall softly on the quiet ground while the wind sings its old song to the hills."
    let paragraphs = try #require(RepetitionDetector.check(String(repeating: paragraph + "\n\n", count: 6)))
    #expect(paragraphs.repeats == 5)
    #expect(paragraphs.keptText == paragraph)
    let numbered = (1...40).map { "\($0). Apples are red" }.joined(separator: "\n")
    let list = try #require(RepetitionDetector.check("Fruits:\n" + numbered))
    #expect(list.keptText == "Fruits:\n1. Apples are red")
  }

  @Test func theConfigurationSetsTheThresholds() {
    let text = String(repeating: "no ", count: 6)
    #expect(RepetitionDetector.check(text) == nil)
    let strict = RepetitionDetector.Configuration(minimumRepeats: 3, minimumRepeatedCharacters: 6)
    #expect(RepetitionDetector.check(text, configuration: strict)?.repeats == 3)
    let clamped = RepetitionDetector.Configuration(minimumRepeats: 0, minimumRepeatedCharacters: -5, maximumBlockWords: 0)
    #expect(clamped == RepetitionDetector.Configuration(minimumRepeats: 2, minimumRepeatedCharacters: 1, maximumBlockWords: 1))
  }

  @Test func theRunnerStopsALoopingStreamAndMarksTheAnswer() async throws {
    let line = Self.line + "\n"
    let model = ScriptedModel(steps: [
      .stream([.text(Self.poemStart)] + Array(repeating: .text(line), count: 10) + [.waitForCancellation])
    ])
    let agent = Agent(name: "Poet", model: .model(model))
    let runner = Runner(configuration: .init(repetitionDetection: .init()))
    var streamed = ""
    var marked: ResponseTruncation?
    var result: RunResult?
    for try await event in runner.runStreamed(agent, input: "A short poem about autumn.") {
      switch event {
      case .textDelta(let text): streamed += text
      case .answerTruncated(let truncation): marked = truncation
      case .finished(let value): result = value
      default: break
      }
    }
    let final = try #require(result)
    #expect(final.finalOutputText == Self.poemStart + Self.line)
    #expect(final.finishReason == "repetition")
    #expect(final.truncation == marked)
    guard case .repetition(let report)? = final.truncation?.reason else { throw Failure("no repetition marked") }
    #expect(report.block == Self.line)
    #expect(final.truncation?.description == #"the answer repeated "Silent whispers of leaves," 8 times, so it was stopped after the first"#)
    #expect(streamed.hasPrefix(Self.poemStart + line + line))
    await eventually { model.cancelledCalls == 1 }  // the model's stream was cancelled, not read to its end
    #expect(final.history.last == .assistant(Self.poemStart + Self.line), "the session keeps the answer without the loop")
  }

  @Test func withoutDetectionTheSameStreamRunsToItsEnd() async throws {
    let model = ScriptedModel(steps: [.stream(Array(repeating: .text(Self.line + "\n"), count: 20))])
    let result = try await Runner().runStreamed(Agent(name: "Poet", model: .model(model)), input: "Poem").result()
    #expect(result.truncation == nil)
    #expect(result.finalOutputText.split(separator: "\n").count == 20)
  }

  @Test func aWholeResponseIsCutTooWhenNotStreaming() async throws {
    let text = Self.poemStart + String(repeating: Self.line + "\n", count: 40)
    let model = ScriptedModel(steps: [.response(ModelResponse(text: text, finishReason: "length"))])
    let runner = Runner(configuration: .init(repetitionDetection: .init()))
    let result = try await runner.run(Agent(name: "Poet", model: .model(model)), input: "Poem")
    #expect(result.finalOutputText == Self.poemStart + Self.line)
    #expect(result.finishReason == "repetition")
  }

  /// The real runaway answer from Qwen2.5-Coder-0.5B on llama-server, replayed over loopback and cut after its
  /// first 30 KB (no `[DONE]`): the run succeeds only because the runner stops reading before the cut.
  @Test func theRecordedRunawayStreamIsStoppedEarly() async throws {
    let sse = try RecordedFixtures.bytes("context-overflow/llama-server-runaway-stream.response.sse")
    try await TestSupport.withServer { server in
      let cut = Array(sse.prefix(30_000))
      server.inject(.respond(status: 200, headers: [("Content-Type", "text/event-stream")], body: cut))
      let config = OllamaConfig(provider: .openAI, baseURL: server.openAIBaseURL, retry: .disabled)
      let runner = Runner(
        configuration: .init(modelProvider: OpenAICompatibleProvider(config: config), repetitionDetection: .init()))
      let agent = Agent(name: "Creative Writer", model: "qwen2.5-coder-0.5b")
      let result = try await runner.runStreamed(agent, input: "Write a short poem about autumn.").result()
      #expect(result.finalOutputText.hasSuffix("Silent whispers of leaves,"))
      #expect(result.finalOutputText.ranges(of: "Silent whispers of leaves,").count == 1)
      #expect(result.finishReason == "repetition")
    }
  }
}

/// A test failure with a message.
struct Failure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
