#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An agent's structured output type: the schema the model is asked to follow and the decoder that turns
/// its reply into a Swift value.
///
/// Types whose schema is not an object (arrays, strings, numbers) are wrapped as `{"response": …}` for the
/// model, because servers only accept object schemas; the wrapper is removed when decoding.
public struct OutputType: Sendable {
  /// The Swift type's name, used as the schema name sent to the server.
  public let name: String
  /// The schema sent to the model (wrapped for non-object types).
  public let schema: JSONSchema
  /// Whether the server should enforce the schema strictly.
  public var strict: Bool
  /// Whether the value sits under a `response` key.
  public let isWrapped: Bool
  private let decodeValue: @Sendable (Data) throws -> any Sendable

  /// Describes `type` as a structured output.
  public init<T: StructuredOutput>(_ type: T.Type, strict: Bool = true) {
    let schema = T.jsonSchema
    let isObject = schema.value["type"] == "object"
    self.name = Self.schemaName(for: T.self)
    self.strict = strict
    self.isWrapped = !isObject
    if isObject {
      self.schema = schema
      decodeValue = { data in try JSONDecoder().decode(T.self, from: data) }
    } else {
      self.schema = JSONSchema([
        "type": "object", "properties": ["response": schema.value], "required": ["response"],
        "additionalProperties": false,
      ])
      decodeValue = { data in try JSONDecoder().decode(ResponseWrapper<T>.self, from: data).response }
    }
  }

  /// Decodes the model's reply text: strips code fences and prose around the JSON, then decodes.
  ///
  /// - Returns: the value and the JSON text it came from.
  /// - Throws: ``OutputDecodingError`` with a message the model can act on.
  public func decode(_ text: String) throws(OutputDecodingError) -> (value: any Sendable, json: String) {
    let json = JSONExtraction.extract(from: text)
    if json.isEmpty {
      throw OutputDecodingError(reason: "the reply was empty; a JSON object was expected")
    }
    do {
      _ = try JSONValue.parse(json)
    } catch {
      throw OutputDecodingError(reason: "the reply is not valid JSON (\(error))")
    }
    do {
      return (try decodeValue(Data(json.utf8)), json)
    } catch let error as DecodingError {
      throw OutputDecodingError(reason: error.readableDescription)
    } catch {
      throw OutputDecodingError(reason: "\(error)")
    }
  }

  private static func schemaName(for type: Any.Type) -> String {
    let name = String(describing: type).filter { $0.isLetter || $0.isNumber || $0 == "_" }
    return name.isEmpty ? "final_output" : name
  }
}

/// Why a reply could not be decoded into the agent's output type.
public struct OutputDecodingError: Error, Sendable, CustomStringConvertible {
  /// What was wrong with the reply, phrased for the model.
  public var reason: String
  /// The reason.
  public var description: String { reason }
}

private struct ResponseWrapper<T: Decodable>: Decodable {
  var response: T
}

extension DecodingError {
  /// A one-line description naming the JSON path and what was wrong there.
  var readableDescription: String {
    func path(_ context: Context, appending key: (any CodingKey)? = nil) -> String {
      var keys = context.codingPath
      if let key { keys.append(key) }
      var text = ""
      for key in keys {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
      }
      return text.isEmpty ? "the top level" : "'\(text)'"
    }
    switch self {
    case .keyNotFound(let key, let context):
      return "the required field \(path(context, appending: key)) is missing"
    case .typeMismatch(let type, let context):
      return "the field \(path(context)) has the wrong type; expected \(Self.jsonTypeName(type))"
    case .valueNotFound(let type, let context):
      return "the field \(path(context)) is null; expected \(Self.jsonTypeName(type))"
    case .dataCorrupted(let context):
      return "the field \(path(context)) is invalid: \(context.debugDescription)"
    @unknown default:
      return "\(self)"
    }
  }

  private static func jsonTypeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Bool.Type: "a boolean"
    case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: "an integer"
    case is Double.Type, is Float.Type: "a number"
    default:
      String(describing: type).hasPrefix("Array") || String(describing: type).hasPrefix("[")
        ? "an array" : "a value of type \(type)"
    }
  }
}
