import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOEmbedded
import NIOCore
import NIOHTTP1
import Testing

@testable import WireCore

/// AsyncHTTPClient requests made from a remembered copy per URL and method carry each request's own method, header
/// lines and body.
@Suite struct HTTPRequestTemplatesTests {
  @Test func eachRequestKeepsItsOwnHeadersAndBody() throws {
    let url = "http://127.0.0.1:6101/v1/chat/completions"
    var headers = HTTPHeaders([("Content-Type", "application/json"), ("X-Call", "1")])
    let first = try HTTPRequestTemplates.request(
      for: TransportRequest(method: .POST, url: url, headers: headers, body: ByteBuffer(string: "first")))
    headers.replaceOrAdd(name: "X-Call", value: "2")
    let second = try HTTPRequestTemplates.request(
      for: TransportRequest(method: .POST, url: url, headers: headers, body: ByteBuffer(string: "second")))
    let get = try HTTPRequestTemplates.request(for: TransportRequest(method: .GET, url: url))
    #expect(first.headers["X-Call"] == ["1"])
    #expect(second.headers["X-Call"] == ["2"])
    #expect(Self.text(first.body) == "first")
    #expect(Self.text(second.body) == "second")
    #expect(first.method == .POST && get.method == .GET)
    #expect(get.body == nil)
    #expect(get.headers.isEmpty)
    #expect(second.url.absoluteString == url && second.host == "127.0.0.1" && second.port == 6101)
  }

  @Test func aURLThatCannotBeSentToFailsEveryTime() {
    for _ in 0..<2 {
      #expect(throws: (any Error).self) {
        try HTTPRequestTemplates.request(for: TransportRequest(method: .POST, url: "ftp://127.0.0.1/v1"))
      }
    }
  }

  /// The body as text (`nil` without one).
  static func text(_ body: HTTPClient.Body?) -> String? {
    guard let body else { return nil }
    let collected = NIOLockedValueBox<[UInt8]>([])
    let writer = HTTPClient.Body.StreamWriter { part in
      if case .byteBuffer(let buffer) = part { collected.withLockedValue { $0 += Array(buffer.readableBytesView) } }
      return EmbeddedEventLoop().makeSucceededVoidFuture()
    }
    _ = body.stream(writer)
    return String(decoding: collected.withLockedValue { $0 }, as: UTF8.self)
  }
}
