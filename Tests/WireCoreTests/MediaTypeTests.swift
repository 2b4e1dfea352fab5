import NIOHTTP1
import Testing

@testable import WireCore

/// ``TransportResponse/hasMediaType(_:)``: the `Content-Type` compared without parameters, spaces or case, as
/// ``TransportResponse/mediaType`` reads it.
@Suite struct MediaTypeTests {
  private func response(contentType: String?) -> TransportResponse {
    var headers = HTTPHeaders()
    if let contentType { headers.add(name: "Content-Type", value: contentType) }
    return TransportResponse(status: 200, headers: headers, body: ResponseBody(chunks: []), url: "")
  }

  @Test(arguments: [
    "text/event-stream", "text/event-stream; charset=utf-8", "Text/Event-Stream", " text/event-stream ;charset=utf-8",
    "TEXT/EVENT-STREAM\t",
  ])
  func anEventStreamIsOneWhateverItsCaseSpacesAndParameters(_ value: String) {
    let response = response(contentType: value)
    #expect(response.hasMediaType("text/event-stream"))
    #expect(response.mediaType == "text/event-stream")
    #expect(!response.hasMediaType("application/json"))
  }

  @Test(arguments: ["text/event-streams", "text/event", "text/html", "application/json", "", " ", ";text/event-stream"])
  func otherTypesAreNot(_ value: String) {
    let response = response(contentType: value)
    #expect(!response.hasMediaType("text/event-stream"))
    #expect(response.mediaType != "text/event-stream")
  }

  @Test func noContentTypeIsNoMediaType() {
    #expect(!response(contentType: nil).hasMediaType("application/json"))
  }
}
