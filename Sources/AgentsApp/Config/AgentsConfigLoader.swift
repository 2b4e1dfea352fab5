import Foundation
import Yams

/// Reads and validates agents configuration files.
///
/// Validation is thorough and located: YAML syntax errors, unknown keys (with suggestions), wrong
/// types, out-of-range values, tools missing from the catalogue, duplicate or reserved ids and
/// handoffs to unknown agents are all reported together, each with its line and column.
public enum AgentsConfigLoader {
  /// The keys accepted at the top level.
  static let rootKeys = ["defaults", "mcp_servers", "agents"]
  /// The keys accepted in `defaults`: the settings table's file keys (``Setting/fileKeys``).
  static var defaultsKeys: [String] { Setting.fileKeys }
  /// The keys accepted in each agent.
  static let agentKeys = [
    "id", "name", "instructions", "description", "model", "temperature", "max_tokens", "tools", "handoffs",
    "top_p", "seed", "stop", "frequency_penalty", "presence_penalty", "context_length", "answer_samples",
    "prompt_injection_guard", "mcp", "approve_tools",
  ]
  /// The largest configuration file accepted, in bytes.
  public static let maximumFileBytes = 1_048_576

  /// Reads and validates the file at `path`.
  ///
  /// - Parameter reservedIDs: Agent ids the file may hand off to but not redefine (the built-ins).
  /// - Throws: ``ConfigFileError`` listing every problem found.
  public static func load(
    path: String, reservedIDs: [String] = BuiltInAgents.ids
  ) throws(ConfigFileError)
    -> AgentsConfigFile
  {
    let contents: Data
    do {
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      if let size = attributes[.size] as? Int, size > maximumFileBytes {
        throw ConfigFileError(
          path: path,
          issues: [
            .init(line: nil, column: nil, message: "the file is \(size) bytes; the limit is \(maximumFileBytes)")
          ])
      }
      contents = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch let error as ConfigFileError {
      throw error
    } catch {
      let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
      throw ConfigFileError(
        path: path,
        issues: [
          .init(line: nil, column: nil, message: "the configuration file \(reason); check --config or AGENTS_CONFIG")
        ])
    }
    guard let text = String(data: contents, encoding: .utf8) else {
      throw ConfigFileError(path: path, issues: [.init(line: nil, column: nil, message: "the file is not UTF-8 text")])
    }
    return try parse(yaml: text, path: path, reservedIDs: reservedIDs)
  }

  /// Parses and validates configuration text; `path` is used in messages only.
  public static func parse(
    yaml: String, path: String, reservedIDs: [String] = BuiltInAgents.ids
  ) throws(ConfigFileError)
    -> AgentsConfigFile
  {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch {
      throw ConfigFileError(path: path, issues: [syntaxIssue(error)])
    }
    var reader = YAMLFieldReader()
    var configuration = AgentsConfigFile(path: path)
    guard let root, !YAMLFieldReader.isNull(root) else { return configuration }

    var agentsNode: Node?
    for field in reader.fields(of: root, in: "the file", allowed: rootKeys) ?? [] {
      switch field.key {
      case "defaults": configuration.defaults = readDefaults(field.value, reader: &reader)
      case "mcp_servers": configuration.mcpServers = readMCPServers(field.value, reader: &reader)
      default: agentsNode = field.value
      }
    }
    if let agentsNode {
      configuration.agents = readAgents(agentsNode, reservedIDs: reservedIDs, reader: &reader)
      checkMCPReferences(in: agentsNode, servers: configuration.mcpServers, reader: &reader)
    }
    guard reader.issues.isEmpty else {
      let ordered = reader.issues.enumerated().sorted {
        ($0.element.line ?? 0, $0.element.column ?? 0, $0.offset) < (
          $1.element.line ?? 0, $1.element.column ?? 0, $1.offset
        )
      }
      throw ConfigFileError(path: path, issues: ordered.map(\.element))
    }
    return configuration
  }

  /// Reads `defaults:`: each key is a setting of ``Setting/all``, read and checked as its declaration says.
  private static func readDefaults(_ node: Node, reader: inout YAMLFieldReader) -> AgentsConfigFile.Defaults {
    var defaults = AgentsConfigFile.Defaults()
    if YAMLFieldReader.isNull(node) { return defaults }
    for (key, _, value) in reader.fields(of: node, in: "defaults", allowed: defaultsKeys) ?? [] {
      guard let setting = Setting.named(key) else { continue }
      defaults.values[key] = reader.value(value, of: setting)
    }
    return defaults
  }

  private static func readAgents(
    _ node: Node, reservedIDs: [String], reader: inout YAMLFieldReader
  ) -> [AgentDefinition] {
    if YAMLFieldReader.isNull(node) { return [] }
    guard let sequence = node.sequence else {
      reader.report("'agents' must be a list of agents (each item starting with '- id: ...')", at: node)
      return []
    }
    var agents: [AgentDefinition] = []
    var handoffNodes: [[(value: String, node: Node)]] = []
    var seen: [String: Int] = [:]
    for item in sequence {
      guard let (agent, handoffs) = readAgent(item, reader: &reader) else { continue }
      if reservedIDs.contains(agent.id) {
        reader.report(
          "agent id '\(agent.id)' is a built-in agent; choose another id (built-in ids: \(reservedIDs.joined(separator: ", ")))",
          at: item["id"])
        continue
      }
      if let line = seen[agent.id] {
        reader.report("agent id '\(agent.id)' is already defined on line \(line); ids must be unique", at: item["id"])
        continue
      }
      seen[agent.id] = item["id"]?.mark?.line ?? 0
      agents.append(agent)
      handoffNodes.append(handoffs)
    }
    let known = reservedIDs + agents.map(\.id)
    for (agent, handoffs) in zip(agents, handoffNodes) {
      for (target, targetNode) in handoffs {
        if target == agent.id {
          reader.report("agent '\(agent.id)' cannot hand off to itself", at: targetNode)
        } else if !known.contains(target) {
          reader.report(
            "agent '\(agent.id)' hands off to unknown agent '\(target)'\(Suggestions.didYouMean(target, in: known)); "
              + "known agents: \(known.joined(separator: ", "))",
            at: targetNode)
        }
      }
    }
    return agents
  }

  /// The built-in tools `node` names (one name or a list); an unknown name is reported with a suggestion, and with
  /// `listingThem` the names there are.
  private static func builtInTools(
    _ node: Node, field: String, in context: String, reader: inout YAMLFieldReader, listingThem: Bool
  ) -> [String] {
    var tools: [String] = []
    for (tool, toolNode) in reader.stringList(node, field: field) ?? [] {
      if BuiltInTool(rawValue: tool) != nil {
        tools.append(tool)
      } else {
        let available = listingThem ? "; available tools: \(BuiltInTool.allNames.joined(separator: ", "))" : ""
        reader.report(
          "unknown tool '\(tool)' in \(context)\(Suggestions.didYouMean(tool, in: BuiltInTool.allNames))\(available)",
          at: toolNode)
      }
    }
    return tools
  }

  private static func readAgent(
    _ node: Node, reader: inout YAMLFieldReader
  ) -> (AgentDefinition, [(value: String, node: Node)])? {
    guard
      case let (fields, values)? = reader.entry(
        node, in: "an agent", allowed: agentKeys, nameKey: "id", naming: { "agent '\($0)'" })
    else { return nil }
    let issuesBefore = reader.issues.count
    let context = reader.subject ?? "an agent"
    defer { reader.subject = nil }

    for required in ["id", "instructions"] where values[required] == nil {
      reader.report("\(context) is missing '\(required)'; every agent needs an id and instructions", at: node)
    }
    var definition = AgentDefinition(id: "", name: "", instructions: "")
    var handoffs: [(value: String, node: Node)] = []
    for (key, _, value) in fields {
      switch key {
      case "id":
        guard let id = reader.string(value, field: key) else { continue }
        if isValidID(id) {
          definition.id = id
        } else {
          reader.report(
            "agent id '\(id)' must start with a lowercase letter or digit and use only a-z, 0-9, '-' and '_'", at: value
          )
        }
      case "name": definition.name = reader.string(value, field: key) ?? ""
      case "instructions": definition.instructions = reader.string(value, field: key) ?? ""
      case "description": definition.summary = reader.string(value, field: key) ?? ""
      case "model": definition.model = YAMLFieldReader.isNull(value) ? nil : reader.string(value, field: key)
      case "temperature":
        definition.temperature = reader.number(value, field: key, range: ModelSettings.temperatureRange)
      case "max_tokens": definition.maxTokens = reader.integer(value, field: key, range: ModelSettings.maxTokensRange)
      case "top_p", "seed", "stop", "frequency_penalty", "presence_penalty", "context_length", "answer_samples":
        readSampling(key, value, into: &definition.sampling, reader: &reader)
      case "prompt_injection_guard":
        definition.guardsPromptInjection = reader.boolean(value, field: key) ?? false
      case "mcp":
        definition.mcpServers = reader.stringList(value, field: key)?.map(\.value) ?? []
      case "tools":
        definition.tools += builtInTools(value, field: key, in: context, reader: &reader, listingThem: true)
      case "approve_tools":
        definition.approvedTools += builtInTools(
          value, field: key, in: "approve_tools of \(context)", reader: &reader, listingThem: false)
      default:
        handoffs = reader.stringList(value, field: key) ?? []
        definition.handoffs = handoffs.map(\.value)
      }
    }
    guard reader.issues.count == issuesBefore else { return nil }
    if definition.name.isEmpty { definition.name = definition.id }
    return (definition, handoffs)
  }

  /// Reads one sampling field, checked against the same ranges as ``ModelSettings/validate()``.
  private static func readSampling(
    _ key: String, _ value: Node, into sampling: inout SamplingSettings, reader: inout YAMLFieldReader
  ) {
    switch key {
    case "top_p": sampling.topP = reader.number(value, field: key, range: ModelSettings.topPRange)
    case "seed": sampling.seed = reader.integer(value, field: key, range: ModelSettings.seedRange)
    case "frequency_penalty":
      sampling.frequencyPenalty = reader.number(value, field: key, range: ModelSettings.penaltyRange)
    case "presence_penalty":
      sampling.presencePenalty = reader.number(value, field: key, range: ModelSettings.penaltyRange)
    case "context_length":
      sampling.contextLength = reader.integer(value, field: key, range: ContextWindow.contextLengthRange)
    case "answer_samples":
      sampling.answerSamples = reader.integer(value, field: key, range: AgentDefinition.answerSamplesRange)
    default:
      guard let stops = reader.stringList(value, field: key, allowEmptyItems: true) else { return }
      if stops.count > ModelSettings.maxStopSequences {
        reader.report(
          "\(reader.subject ?? "an agent"): 'stop' has \(stops.count) sequences; at most \(ModelSettings.maxStopSequences) "
            + "are allowed", at: value)
      } else if let empty = stops.first(where: { $0.value.isEmpty }) {
        reader.report(
          "\(reader.subject ?? "an agent"): 'stop' has an empty sequence, which would end every answer at once",
          at: empty.node)
      } else {
        sampling.stop = stops.map(\.value)
      }
    }
  }

  /// Whether `id` is usable as an agent id on the command line.
  static func isValidID(_ id: String) -> Bool {
    guard let first = id.unicodeScalars.first, id.count <= 64 else { return false }
    let allowed = { (s: Unicode.Scalar) in ("a"..."z").contains(s) || ("0"..."9").contains(s) }
    return allowed(first) && id.unicodeScalars.allSatisfy { allowed($0) || $0 == "-" || $0 == "_" }
  }

  private static func syntaxIssue(_ error: any Error) -> ConfigFileError.Issue {
    switch error as? YamlError {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
      return .init(line: mark.line, column: mark.column, message: "invalid YAML: \(problem)\(detail)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      return .init(
        line: context.mark.line, column: context.mark.column,
        message:
          "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping; each key may appear once"
      )
    case .reader(let problem, _, _, _):
      return .init(line: nil, column: nil, message: "invalid YAML: \(problem)")
    default:
      return .init(line: nil, column: nil, message: "invalid YAML: \(error)")
    }
  }
}
