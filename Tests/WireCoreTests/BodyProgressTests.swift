import NIOCore
import Testing
@testable import WireCore

/// What resets the idle timeout of an event stream: real events, not keep-alives.
@Suite struct BodyProgressTests {
  /// Whether each chunk made progress, fed in order to one detector.
  func progress(_ chunks: [String], _ kind: BodyProgress = .serverSentEvents) -> [Bool] {
    var detector = kind.makeDetector()
    return chunks.map { detector.isProgress(ByteBuffer(string: $0)) }
  }

  @Test func keepAliveCommentsAndEmptyEventsAreNotProgress() {
    #expect(progress([": keep-alive\n\n", ":\n\n", "data:\n\n", "data: \n\n", "\n\n\n"]) == [false, false, false, false, false])
    #expect(progress(["event: ping\n\n", "id: 7\nretry: 100\n\n", "dataX: 1\n\n"]) == [false, false, false])
  }

  @Test func aDataLineWithAValueIsProgressOnceItEnds() {
    #expect(progress(["data: {\"a\":1}\n\n"]) == [true])
    #expect(progress(["data:{}\r\n\r\n"]) == [true])
    // Split across chunks: the line counts in the chunk that ends it.
    #expect(progress(["da", "ta: {\"choi", "ces\":[]}", "\n\n"]) == [false, false, false, true])
    // CR, then LF in the next chunk: one line end.
    #expect(progress(["data: 1\r", "\n", ": ping\r", "\n"]) == [true, false, false, false])
    // llama-server's error line is progress too (it ends the stream with its message).
    #expect(progress(["error: {\"message\":\"boom\"}\n\n"]) == [true])
    // A byte order mark before the first field.
    #expect(progress(["\u{FEFF}data: x\n\n"]) == [true])
  }

  @Test func aDribbledEventCountsOnlyWhenItsLineIsComplete() {
    let event = "data: {\"x\":1}\n"
    #expect(progress(event.map(String.init)) == Array(repeating: false, count: event.count - 1) + [true])
  }

  /// The detector skips the rest of a line once it knows whether the line counts; cut anywhere, a stream gives the
  /// same answers as fed one byte at a time (where every byte goes through the line state machine).
  @Test func skippingTheRestOfALineChangesNoAnswer() {
    let stream = Array(
      ("\u{FEFF}data: {\"a\":\"b:c\"}\r\n\r\n: ping\n\nevent: x\ndata:\ndata: 1\r\rid: 2\n"
        + "error: {\"message\":\"m\"}\ndataX: 3\n\ndata:{}\n").utf8)
    var bytewise = BodyProgress.serverSentEvents.makeDetector()
    let perByte = stream.map { bytewise.isProgress(ByteBuffer(bytes: [$0])) }
    for first in 0...stream.count {
      for second in first...stream.count {
        var detector = BodyProgress.serverSentEvents.makeDetector()
        let cuts = [0..<first, first..<second, second..<stream.count]
        let answers = cuts.map { detector.isProgress(ByteBuffer(bytes: stream[$0])) }
        #expect(answers == cuts.map { perByte[$0].contains(true) }, "cut at \(first), \(second)")
      }
    }
  }

  @Test func plainBodiesCountEveryChunk() {
    #expect(progress([": keep-alive\n\n", "{", ""], .anyBytes) == [true, true, false])
  }
}
