#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WireCore

/// Decodes native API bodies into the Codable response types, turning failures into ``ModelServerError``s.
enum OllamaResponseDecoding {
  /// `T` decoded from a whole response body.
  static func decode<T: Decodable>(_ type: T.Type, from response: BufferedResponse) throws(ModelServerError) -> T {
    try decode(type, from: response.body, url: response.url)
  }

  /// `T` decoded from JSON bytes received from `url`.
  static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], url: String) throws(ModelServerError) -> T {
    do {
      return try JSONDecoder().decode(type, from: Data(bytes))
    } catch let error as DecodingError {
      throw ModelServerError.malformedResponse(
        "not a valid \(T.self) (\(describe(error)))", body: String(decoding: bytes, as: UTF8.self), url: url)
    } catch {
      throw ModelServerError.malformedResponse(
        "not valid JSON (\(error))", body: String(decoding: bytes, as: UTF8.self), url: url)
    }
  }

  /// A short description of a decoding failure: what was wrong and where.
  private static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
      return keys.isEmpty ? "at the top level" : "at " + keys.joined(separator: ".")
    }
    switch error {
    case .typeMismatch(let type, let context): return "expected \(type) \(path(context))"
    case .valueNotFound(let type, let context): return "missing \(type) \(path(context))"
    case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\" \(path(context))"
    case .dataCorrupted(let context): return "\(context.debugDescription) \(path(context))"
    @unknown default: return "\(error)"
    }
  }
}
