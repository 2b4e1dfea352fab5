import Foundation
import Testing

@testable import AgentsApp

/// docs/settings.md's reference table is generated from the settings table; this test keeps it current.
/// After changing a setting, run `UPDATE_SETTINGS_REFERENCE=1 swift test --filter SettingsReferenceTests`.
@Suite struct SettingsReferenceTests {
  static let start = "<!-- settings-reference:start (generated from Setting.all; see DEVELOPERS.md) -->"
  static let end = "<!-- settings-reference:end -->"

  static var readmePath: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/settings.md").path
  }

  @Test func theReadmeListsEverySettingAsTheTableDeclaresIt() throws {
    let readme = try String(contentsOfFile: Self.readmePath, encoding: .utf8)
    let generated = Self.start + "\n" + Setting.markdownReference + "\n" + Self.end
    guard let from = readme.range(of: Self.start), let to = readme.range(of: Self.end) else {
      Issue.record("docs/settings.md has no settings reference markers")
      return
    }
    let current = String(readme[from.lowerBound..<to.upperBound])
    if current != generated, ProcessInfo.processInfo.environment["UPDATE_SETTINGS_REFERENCE"] == "1" {
      try readme.replacingCharacters(in: from.lowerBound..<to.upperBound, with: generated)
        .write(toFile: Self.readmePath, atomically: true, encoding: .utf8)
      return
    }
    #expect(
      current == generated,
      "docs/settings.md's settings reference is stale: run UPDATE_SETTINGS_REFERENCE=1 swift test --filter SettingsReferenceTests"
    )
  }

  @Test func everySettingIsDeclaredConsistently() {
    var keys = Set<String>()
    var options = Set<String>()
    var variables = Set<String>()
    for setting in Setting.all {
      #expect(keys.insert(setting.key).inserted, "duplicate key \(setting.key)")
      if let option = setting.option {
        #expect(option.hasPrefix("--"), "\(option)")
        #expect(options.insert(option).inserted, "duplicate option \(option)")
      }
      for variable in setting.variables {
        #expect(variables.insert(variable).inserted, "duplicate variable \(variable)")
      }
      #expect(!setting.help.isEmpty)
      #expect(setting.option != nil || !setting.variables.isEmpty || setting.inFile, "\(setting.key) cannot be set")
      if let value = setting.defaultValue, setting.kind != .flag {
        #expect((try? setting.parse(value.description).get()) == value, "\(setting.key)'s default is outside its range")
      }
    }
    // The SDK's own limits are the table's.
    #expect(ContextWindow.contextLengthRange == Setting.contextLengthRange)
    #expect(Runner.defaultMaxInputCharacters == Setting.defaultMaxInputCharacters)
    #expect(Setting.temperature.kind == .number(ModelSettings.temperatureRange))
    #expect(Setting.maxTurns.defaultValue == .integer(Runner.defaultMaxTurns))
  }

  @Test func helpListsEveryOptionAndVariable() {
    let help = Setting.helpText
    for setting in Setting.all {
      for variable in setting.variables { #expect(help.contains(variable), "\(variable)") }
      if let option = setting.option { #expect(help.contains(option.dropFirst(2)), "\(option)") }
    }
    #expect(help.contains("OLLAMA_API_KEY"))
  }
}
