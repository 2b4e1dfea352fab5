import FuzzSupport
import OpenAICompatible
import WireCore

/// Fuzzes response decoding: JSON parsing and serialization, chat completions and streamed chunks.
///
/// Properties, for the input taken as one JSON body: an accepted document survives parse → serialize →
/// parse unchanged and serializes to the same bytes twice; decoding it as a `ChatCompletion` or a
/// `ChatCompletionChunk` gives a value (keeping the JSON as `raw`, one choice per array element) or a
/// `malformedResponse` error. For the input taken as an SSE stream: every event's chunk decodes or fails
/// with a typed error, and the accumulated completion's text is exactly the concatenated content deltas.
@main
enum ResponsesFuzzTarget {
  static func main() {
    FuzzDriver.run(check)
  }

  static func check(_ input: [UInt8]) {
    checkBody(input)
    checkStream(input)
  }

  static func checkBody(_ input: [UInt8]) {
    guard let value = try? JSONValue.parse(input) else { return }
    let serialized = value.jsonBytes
    let reparsed: JSONValue
    do {
      reparsed = try JSONValue.parse(serialized)
    } catch {
      FuzzCheck.require(false, "serialized \(value) is not JSON: \(error)", input: input)
      return
    }
    FuzzCheck.require(reparsed == value, "round trip changed \(value) into \(reparsed)", input: input)
    FuzzCheck.require(reparsed.jsonBytes == serialized, "serialization of \(value) is unstable", input: input)

    do {
      let completion = try ChatCompletion(json: value)
      FuzzCheck.require(completion.raw == value, "completion lost its raw JSON", input: input)
      let expectedChoices = value["choices"]?.arrayValue?.count ?? 0
      FuzzCheck.require(completion.choices.count == expectedChoices, "choices were dropped", input: input)
      _ = completion.message
    } catch {
      requireMalformed(error, input: input)
    }
    do {
      var accumulator = ChatCompletionAccumulator()
      accumulator.add(try ChatCompletionChunk(json: value)) { _ in }
      accumulator.finish { _ in }
      _ = accumulator.completion
    } catch {
      requireMalformed(error, input: input)
    }
  }

  static func checkStream(_ input: [UInt8]) {
    var parser = SSEParser()
    var events: [SSEEvent] = []
    try? parser.parse(input) { events.append($0) }
    parser.finish { events.append($0) }
    var accumulator = ChatCompletionAccumulator()
    var streamed = ""
    var sawContent = false
    for event in events where event.data != "[DONE]" {
      guard let json = try? JSONValue.parse(event.data) else { continue }
      do {
        let chunk = try ChatCompletionChunk(json: json)
        accumulator.add(chunk) { streamEvent in
          if case .contentDelta(let text) = streamEvent { streamed += text }
        }
        sawContent = sawContent || chunk.choices.contains { $0.index == 0 && $0.delta.content != nil }
      } catch {
        requireMalformed(error, input: input)
      }
    }
    accumulator.finish { _ in }
    let content = accumulator.completion.message.content
    if sawContent {
      FuzzCheck.require(
        content == .text(streamed), "accumulated \(String(describing: content)) but streamed \(streamed)", input: input)
    }
  }

  private static func requireMalformed(_ error: ModelServerError, input: [UInt8]) {
    FuzzCheck.require(error.code == .malformedResponse, "unexpected error code \(error.code)", input: input)
    FuzzCheck.require(!error.description.isEmpty, "an error without a message", input: input)
  }
}
