import Foundation
import Testing
import TestSupport

@testable import AgentsCommandLine

/// The settings table through the built `agents` binary: every option is global, help and `doctor` list every
/// setting, and bad values are refused with the range.
@Suite struct SettingsCLITests {
  /// These exited 64 "Unknown option" when the global options were a hand-written list that lacked them.
  @Test(arguments: [
    ["--context-length", "8192", "list"], ["--no-cache", "list"], ["--cache", "list"],
    ["list", "--context-length=8192"],
    ["--max-input-chars", "10", "--max-concurrent-requests", "2", "list", "--json"],
  ])
  func everyGlobalOptionWorksBeforeAndAfterTheSubcommand(_ arguments: [String]) async throws {
    let output = try await AgentsBinary().run(arguments)
    #expect(output.status == 0, "\(arguments): \(output.stderr)")
    #expect(output.stdout.contains("math"))
  }

  @Test func helpListsEverySettingWithItsVariables() async throws {
    let agents = try AgentsBinary()
    for arguments in [["--help"], ["ask", "--help"], ["help", "chat"]] {
      let help = try await agents.run(arguments)
      #expect(help.status == 0)
      for setting in Setting.all {
        for variable in setting.variables { #expect(help.stdout.contains(variable), "\(arguments) lacks \(variable)") }
        if let option = setting.option {
          #expect(help.stdout.contains(option.dropFirst(2)), "\(arguments) lacks \(option)")
        }
      }
    }
  }

  @Test func aBadValueNamesTheSourceAndTheRange() async throws {
    let agents = try AgentsBinary()
    let option = try await agents.run(["list", "--max-concurrent-requests", "5000"])
    #expect(option.status == 64)
    #expect(option.stderr.contains("--max-concurrent-requests"))
    #expect(option.stderr.contains("between 0 and 1024"))
    let variable = try await agents.run(["list"], environment: ["AGENTS_CONTEXT_LENGTH": "12"])
    #expect(variable.status == 65)
    #expect(variable.stderr.contains("AGENTS_CONTEXT_LENGTH is '12'"))
    let typo = try await agents.run(["--modle", "x", "list"])
    #expect(typo.status == 64)
    #expect(typo.stderr.contains("did you mean '--model'"))
  }

  @Test func verboseAndDoctorShowEverySettingAndItsSource() async throws {
    let agents = try AgentsBinary()
    let verbose = try await agents.run(
      ["list", "--verbose", "--context-length", "4096"], environment: ["AGENTS_MAX_INPUT_CHARS": "777"])
    #expect(verbose.status == 0, "\(verbose.stderr)")
    #expect(verbose.stderr.contains("context    4096 (option)"))
    #expect(verbose.stderr.contains("max input  777 (environment)"))
    let doctor = try await agents.run([
      "doctor", "--json", "--base-url", "http://127.0.0.1:9/v1", "--api-key", "sk-hidden-1234",
    ])
    let json = try JSONSerialization.jsonObject(with: Data(doctor.stdout.utf8)) as? [String: Any]
    let settings = json?["settings"] as? [[String: String]] ?? []
    #expect(settings.first { $0["key"] == "base_url" }?["source"] == "option")
    #expect(settings.first { $0["key"] == "api_key" }?["value"] == "set")
    #expect(!doctor.stdout.contains("sk-hidden-1234"))
  }
}
