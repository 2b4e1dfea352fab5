import AgentsApp
import FuzzSupport

/// Fuzzes the YAML agents loader (Yams plus our validation).
///
/// Properties: any text gives either a configuration or a `ConfigFileError` (typed) with at least one
/// issue, each issue with a message and, when located, a positive line and column; an accepted
/// configuration has unique agent ids that are not built-in ids, every agent has a name, and every
/// handoff names another known agent.
@main
enum AgentsYAMLFuzzTarget {
  static func main() {
    FuzzDriver.run(check)
  }

  static func check(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    let reserved = BuiltInAgents.ids
    let configuration: AgentsConfigFile
    do {
      configuration = try AgentsConfigLoader.parse(yaml: text, path: "fuzz.yaml")
    } catch {
      FuzzCheck.require(!error.issues.isEmpty, "an error without issues", input: input)
      for issue in error.issues {
        FuzzCheck.require(!issue.message.isEmpty, "an issue without a message", input: input)
        FuzzCheck.require((issue.line ?? 1) >= 1 && (issue.column ?? 1) >= 1, "bad location in \(issue)", input: input)
      }
      return
    }
    let ids = configuration.agents.map(\.id)
    FuzzCheck.require(Set(ids).count == ids.count, "duplicate ids accepted: \(ids)", input: input)
    for agent in configuration.agents {
      FuzzCheck.require(!agent.id.isEmpty && !reserved.contains(agent.id), "bad id accepted: \(agent.id)", input: input)
      FuzzCheck.require(!agent.name.isEmpty, "agent \(agent.id) has no name", input: input)
      for target in agent.handoffs {
        FuzzCheck.require(
          target != agent.id && (ids.contains(target) || reserved.contains(target)),
          "agent \(agent.id) hands off to unknown \(target)", input: input)
      }
    }
  }
}
