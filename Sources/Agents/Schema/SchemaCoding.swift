#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decoding and encoding that agree with the derived schemas: dates are ISO 8601 strings (`format: date-time`).
///
/// Decode tool arguments and structured outputs with ``decode(_:from:)``; a plain `JSONDecoder` would
/// expect dates as seconds since 2001 and reject what the schema told the model to send.
public enum SchemaCoding {
  /// Decodes `type` from a JSON value, reading dates as ISO 8601 strings (with or without fractional seconds).
  public static func decode<Value: Decodable>(_ type: Value.Type, from json: JSONValue) throws -> Value {
    try makeDecoder().decode(type, from: Data(json.jsonBytes))
  }

  /// Encodes `value` as a JSON value, writing dates as ISO 8601 strings.
  public static func encode(_ value: some Encodable) throws -> JSONValue {
    try JSONValue.parse(makeEncoder().encode(value))
  }

  /// A `JSONDecoder` that reads dates as ISO 8601 strings, as the derived schemas describe them.
  public static func makeDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let container = try decoder.singleValueContainer()
      let text = try container.decode(String.self)
      if let date = parseDate(text) { return date }
      throw DecodingError.dataCorruptedError(
        in: container,
        debugDescription: "expected an ISO 8601 date-time such as 2025-01-31T09:30:00Z, got \"\(text)\""
      )
    }
    return decoder
  }

  /// A `JSONEncoder` that writes dates as ISO 8601 strings, as the derived schemas describe them.
  public static func makeEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(date.formatted(.iso8601))
    }
    return encoder
  }

  /// Parses an ISO 8601 date-time, with or without fractional seconds, or a plain `yyyy-MM-dd` date (UTC).
  static func parseDate(_ text: String) -> Date? {
    let styles: [Date.ISO8601FormatStyle] = [
      .iso8601,
      Date.ISO8601FormatStyle(includingFractionalSeconds: true),
      Date.ISO8601FormatStyle().year().month().day(),
    ]
    for style in styles {
      if let date = try? style.parse(text) { return date }
    }
    return nil
  }

  /// The JSON form of a property's default value, or `nil` when it cannot be expressed as JSON.
  ///
  /// Encodable values are encoded; other `RawRepresentable` values (enums the macro made `Decodable` only)
  /// contribute their raw value.
  static func jsonValue(ofDefault value: Any) -> JSONValue? {
    if let json = value as? JSONValue { return json }
    if let encodable = value as? any Encodable, let json = try? encode(encodable) { return json }
    if let representable = value as? any RawRepresentable { return jsonValue(ofRawValueOf: representable) }
    return nil
  }

  private static func jsonValue(ofRawValueOf value: some RawRepresentable) -> JSONValue? {
    jsonValue(ofDefault: value.rawValue)
  }
}
