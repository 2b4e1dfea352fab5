#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The recorded server responses in `Tests/OpenAICompatibleTests/Fixtures`, for test targets other than the one
/// that bundles them (the SDK and CLI tests replay them through the fake server).
package enum RecordedFixtures {
  /// The folder the fixtures live in, found from this source file's path.
  package static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("OpenAICompatibleTests/Fixtures")

  /// The bytes of `name` (a path under the fixtures folder, e.g. `context-overflow/llama-server-overflow.response.json`).
  package static func bytes(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: folder.appendingPathComponent(name)))
  }
}
