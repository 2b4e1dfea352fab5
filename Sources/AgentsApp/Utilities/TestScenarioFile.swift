import Foundation
import Yams

/// Reads scenarios for `agents test --scenarios FILE`: your own questions and checks, run like the built-in ones.
///
/// ```yaml
/// scenarios:
///   - name: percent                 # optional; default: the agent id and the position
///     agent: math                   # a built-in agent or one from the configuration file
///     prompt: What is 18% of 450?
///     checks:                       # every check must pass
///       contains_number: 81         # the answer contains this number
///       used_tool: calculator       # the run called this tool
///       answered_by: Math Tutor     # the agent that answered (after handoffs), by name
///       contains_any: ["81"]        # the answer contains one of these (case-insensitive)
///       contains_all: ["81", "%"]   # the answer contains each of these
///       min_length: 20              # characters
///       min_lines: 1                # non-empty lines
/// ```
public enum TestScenarioFile {
  /// The checks a scenario may have.
  static let checkKeys = ["contains_number", "used_tool", "answered_by", "contains_any", "contains_all", "min_length", "min_lines"]

  /// Reads and checks the file at `path`.
  ///
  /// - Throws: ``AppError`` with code `invalid_input` naming the file, the scenario and what is wrong.
  public static func load(path: String) throws(AppError) -> [TestScenario] {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw AppError(.invalidInput, "cannot read the scenario file \(path)", fix: "check the path passed to --scenarios")
    }
    return try parse(text, path: path)
  }

  /// Parses scenario text; `path` is used in messages only.
  public static func parse(_ text: String, path: String) throws(AppError) -> [TestScenario] {
    let root: Any?
    do {
      root = try Yams.load(yaml: text)
    } catch {
      throw AppError(.invalidInput, "\(path) is not valid YAML: \(error)", fix: "fix the file's syntax")
    }
    guard let list = (root as? [String: Any])?["scenarios"] as? [Any], !list.isEmpty else {
      throw AppError(.invalidInput, "\(path) has no 'scenarios' list", fix: "start the file with 'scenarios:' and a list")
    }
    var scenarios: [TestScenario] = []
    for (offset, entry) in list.enumerated() {
      scenarios.append(try scenario(entry, number: offset + 1, path: path))
    }
    let names = scenarios.map(\.name)
    if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
      throw AppError(.invalidInput, "\(path): two scenarios are named '\(duplicate)'", fix: "give each scenario its own name")
    }
    return scenarios
  }

  private static func scenario(_ entry: Any, number: Int, path: String) throws(AppError) -> TestScenario {
    func fail(_ message: String) -> AppError {
      AppError(.invalidInput, "\(path): scenario \(number): \(message)", fix: "see 'agents test --help' for the file format")
    }
    guard let fields = entry as? [String: Any] else { throw fail("must be a mapping with agent, prompt and checks") }
    if let unknown = fields.keys.sorted().first(where: { !["name", "agent", "prompt", "checks"].contains($0) }) {
      throw fail("unknown key '\(unknown)' (expected name, agent, prompt, checks)")
    }
    guard let agent = fields["agent"] as? String, !agent.isEmpty else { throw fail("'agent' must be an agent id") }
    guard let prompt = fields["prompt"] as? String, !prompt.trimmingWhitespace().isEmpty else {
      throw fail("'prompt' must be a non-empty text")
    }
    // A mapping of checks, or a list of one-check mappings (which can hold the same check twice).
    let checks: [(key: String, value: Any)]
    if let mapping = fields["checks"] as? [String: Any] {
      checks = mapping.keys.sorted().map { ($0, mapping[$0]!) }
    } else if let list = fields["checks"] as? [[String: Any]], list.allSatisfy({ $0.count == 1 }) {
      checks = list.map { ($0.keys.first!, $0.values.first!) }
    } else {
      checks = []
    }
    guard !checks.isEmpty else {
      throw fail("'checks' must be a mapping with at least one check (\(checkKeys.joined(separator: ", ")))")
    }
    var validators: [ResponseValidator] = []
    for (key, value) in checks {
      switch key {
      case "contains_number":
        guard let number = (value as? Double) ?? (value as? Int).map(Double.init) else { throw fail("'contains_number' must be a number") }
        validators.append(.containsNumber(number))
      case "used_tool", "answered_by":
        guard let name = value as? String, !name.isEmpty else { throw fail("'\(key)' must be a name") }
        validators.append(key == "used_tool" ? .usedTool(name) : .answeredBy(name))
      case "contains_any", "contains_all":
        let texts = (value as? [Any])?.compactMap { $0 as? String } ?? (value as? String).map { [$0] } ?? []
        guard !texts.isEmpty, !texts.contains(where: \.isEmpty) else { throw fail("'\(key)' must list non-empty texts") }
        validators += key == "contains_any" ? [.containsAny(texts)] : texts.map { .containsAny([$0]) }
      case "min_length", "min_lines":
        guard let count = value as? Int, count > 0 else { throw fail("'\(key)' must be a positive whole number") }
        validators.append(key == "min_length" ? .minimumLength(count) : .minimumLines(count))
      default:
        throw fail("unknown check '\(key)'\(Suggestions.didYouMean(key, in: checkKeys)) (checks: \(checkKeys.joined(separator: ", ")))")
      }
    }
    let name = (fields["name"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "\(agent).\(number)"
    return TestScenario(name: name, agentID: agent, prompt: prompt, validators: validators)
  }

  /// `scenarios` in this file format, as JSON (which is YAML): `{"scenarios": [{name, agent, prompt, checks}]}`
  /// with `checks` as a list of one-check mappings. ``parse(_:path:)`` reads it back unchanged; `agents test
  /// --list-scenarios` prints it, so other tools can run the same scenarios.
  public static func json(_ scenarios: [TestScenario]) -> JSONValue {
    .object([
      "scenarios": .array(
        scenarios.map { scenario in
          .object([
            "name": .string(scenario.name), "agent": .string(scenario.agentID), "prompt": .string(scenario.prompt),
            "checks": .array(scenario.validators.map { .object(JSONObject([check(for: $0)])) }),
          ])
        })
    ])
  }

  /// The file's key and value for one check.
  static func check(for validator: ResponseValidator) -> (String, JSONValue) {
    switch validator {
    case .containsAny(let texts): ("contains_any", .array(texts.map(JSONValue.string)))
    case .containsNumber(let number): ("contains_number", .double(number))
    case .usedTool(let name): ("used_tool", .string(name))
    case .answeredBy(let name): ("answered_by", .string(name))
    case .minimumLength(let count): ("min_length", .int(count))
    case .minimumLines(let count): ("min_lines", .int(count))
    }
  }
}
