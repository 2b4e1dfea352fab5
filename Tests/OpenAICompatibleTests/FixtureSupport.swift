import Foundation
import NIOCore
import NIOHTTP1
import OpenAICompatible
import WireCore
import TestSupport

/// Loads recorded server responses from the `Fixtures` folder and replays them as responses.
enum Fixture {
  static func bytes(_ name: String) throws -> [UInt8] {
    guard let base = Bundle.module.resourceURL else { throw FixtureMissing(name: name) }
    let url = base.appendingPathComponent("Fixtures").appendingPathComponent(name)
    guard let data = FileManager.default.contents(atPath: url.path) else { throw FixtureMissing(name: name) }
    return Array(data)
  }

  static func json(_ name: String) throws -> JSONValue { try JSONValue.parse(try bytes(name)) }

  /// All fixture names with the given extension (in `Fixtures` or the given folder of the bundle).
  static func names(withExtension ext: String, in folderName: String = "Fixtures") throws -> [String] {
    guard let base = Bundle.module.resourceURL else { return [] }
    let folder = base.appendingPathComponent(folderName)
    return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix("." + ext) }.sorted()
  }

  /// A streamed response whose body is `bytes` cut into the given chunks.
  static func response(_ chunks: [[UInt8]], contentType: String = "text/event-stream") -> TransportResponse {
    TransportResponse(
      status: 200,
      headers: ["Content-Type": contentType],
      body: ResponseBody(chunks: chunks.map { ByteBuffer(bytes: $0) }, url: "http://fixture.test/v1/chat/completions"),
      url: "http://fixture.test/v1/chat/completions"
    )
  }

  /// `bytes` cut at `offsets`.
  static func split(_ bytes: [UInt8], at offsets: [Int]) -> [[UInt8]] { ChunkedBytes(bytes, splitAt: offsets).chunks }
}

struct FixtureMissing: Error, CustomStringConvertible {
  var name: String
  var description: String { "fixture \(name) not found in the test bundle" }
}

/// Everything a replayed stream produced: its events, and the error that ended it, if any.
struct StreamOutcome: Equatable {
  var events: [ChatStreamEvent] = []
  var completion: ChatCompletion?
  var errorCode: ModelServerError.Code?
  var errorMessage: String?

  static func replay(_ chunks: [[UInt8]], contentType: String = "text/event-stream") async -> StreamOutcome {
    var outcome = StreamOutcome()
    var iterator = ChatCompletionStream(response: Fixture.response(chunks, contentType: contentType)).makeAsyncIterator()
    do {
      while let event = try await iterator.next() { outcome.events.append(event) }
      outcome.completion = iterator.accumulator.completion
    } catch let error as ModelServerError {
      outcome.errorCode = error.code
      outcome.errorMessage = error.serverMessage
    } catch {
      outcome.errorMessage = "unexpected \(error)"
    }
    return outcome
  }

  var contentText: String {
    events.compactMap { if case .contentDelta(let text) = $0 { text } else { nil } }.joined()
  }

  var toolCalls: [ToolCall] {
    events.compactMap { if case .toolCall(let call) = $0 { call } else { nil } }
  }
}
