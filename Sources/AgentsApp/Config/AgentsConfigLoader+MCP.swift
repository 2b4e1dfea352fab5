import AgentsMCP
import Yams

extension AgentsConfigLoader {
  /// The keys accepted in each `mcp_servers` entry.
  static let mcpServerKeys = [
    "name", "command", "args", "env", "cwd", "url", "headers", "allowed_tools", "blocked_tools", "timeout",
    "require_approval",
  ]

  /// The `require_approval` words.
  static let approvalWords = ["never", "always", "unless_read_only"]

  /// Reads the `mcp_servers` list: each entry needs a unique `name` and either `command` or `url`.
  static func readMCPServers(_ node: Node, reader: inout YAMLFieldReader) -> [MCPServerDefinition] {
    if YAMLFieldReader.isNull(node) { return [] }
    guard let sequence = node.sequence else {
      reader.report("'mcp_servers' must be a list of servers (each item starting with '- name: ...')", at: node)
      return []
    }
    var servers: [MCPServerDefinition] = []
    var seen: [String: Int] = [:]
    for item in sequence {
      guard let server = readMCPServer(item, reader: &reader) else { continue }
      if let line = seen[server.name] {
        reader.report("MCP server '\(server.name)' is already defined on line \(line); names must be unique", at: item["name"])
        continue
      }
      seen[server.name] = item["name"]?.mark?.line ?? 0
      servers.append(server)
    }
    return servers
  }

  private static func readMCPServer(_ node: Node, reader: inout YAMLFieldReader) -> MCPServerDefinition? {
    guard
      case let (fields, values)? = reader.entry(
        node, in: "an MCP server", allowed: mcpServerKeys, nameKey: "name", naming: { "MCP server '\($0)'" })
    else { return nil }
    let issuesBefore = reader.issues.count
    let context = reader.subject ?? "an MCP server"
    defer { reader.subject = nil }

    if values["name"] == nil { reader.report("\(context) is missing 'name'", at: node) }
    switch (values["command"], values["url"]) {
    case (nil, nil):
      reader.report("\(context) needs either 'command' (a local program) or 'url' (a Streamable HTTP endpoint)", at: node)
    case (.some, .some(let url)):
      reader.report("\(context) has both 'command' and 'url'; give one", at: url)
    case (.some, nil):
      for key in ["headers"] where values[key] != nil {
        reader.report("\(context): '\(key)' is for servers with a 'url'", at: values[key])
      }
    case (nil, .some):
      for key in ["args", "env", "cwd"] where values[key] != nil {
        reader.report("\(context): '\(key)' is for servers with a 'command'", at: values[key])
      }
    }

    var name = ""
    var command = "", arguments: [String] = [], environment: [String: String] = [:], workingDirectory: String?
    var url = "", headers: [String: String] = [:]
    var definition = MCPServerDefinition(name: "", transport: .http(url: "", headers: [:]))
    for (key, _, value) in fields {
      switch key {
      case "name":
        guard let text = reader.string(value, field: key) else { continue }
        if isValidID(text) { name = text } else {
          reader.report(
            "MCP server name '\(text)' must start with a lowercase letter or digit and use only a-z, 0-9, '-' and '_'",
            at: value)
        }
      case "command": command = reader.string(value, field: key) ?? ""
      case "args": arguments = reader.stringList(value, field: key, allowEmptyItems: true)?.map(\.value) ?? []
      case "env": environment = readTemplates(value, field: key, reader: &reader)
      case "cwd": workingDirectory = reader.string(value, field: key)
      case "url":
        guard let text = reader.string(value, field: key) else { continue }
        if text.hasPrefix("http://") || text.hasPrefix("https://") { url = text } else {
          reader.report("\(context): 'url' must start with http:// or https://, but is '\(text)'", at: value)
        }
      case "headers": headers = readTemplates(value, field: key, reader: &reader)
      case "allowed_tools": definition.allowedTools = reader.stringList(value, field: key)?.map(\.value)
      case "blocked_tools": definition.blockedTools = reader.stringList(value, field: key)?.map(\.value) ?? []
      case "timeout": definition.timeout = reader.number(value, field: key, range: MCPServerDefinition.timeoutRange)
      default: definition.requireApproval = readApproval(value, reader: &reader) ?? .never
      }
    }
    guard reader.issues.count == issuesBefore else { return nil }
    definition.name = name
    definition.transport =
      values["command"] != nil
      ? .stdio(command: command, arguments: arguments, environment: environment, workingDirectory: workingDirectory)
      : .http(url: url, headers: headers)
    return definition
  }

  /// A mapping of names to text values (`env`, `headers`); `${NAME}` references must name valid variables.
  private static func readTemplates(_ node: Node, field: String, reader: inout YAMLFieldReader) -> [String: String] {
    guard let mapping = node.mapping else {
      reader.report(
        "\(reader.subject.map { "\($0): " } ?? "")'\(field)' must be a mapping of names to values, but found "
          + YAMLFieldReader.describe(node), at: node)
      return [:]
    }
    var values: [String: String] = [:]
    for (keyNode, valueNode) in mapping {
      guard let key = keyNode.scalar?.string, let value = reader.string(valueNode, field: "\(field).\(key)", allowEmpty: true)
      else { continue }
      for variable in EnvironmentTemplate.variables(in: value) where !EnvironmentTemplate.isValidName(variable) {
        reader.report("'\(field).\(key)' refers to '${\(variable)}', which is not a variable name", at: valueNode)
      }
      values[key] = value
    }
    return values
  }

  /// `never`, `always`, `unless_read_only`, a list of tool names, or as the Python Agents SDK spells it: a mapping
  /// of tool names to `always`/`never`, or `{always: {tool_names: [...]}, never: {tool_names: [...]}}`. Tools not
  /// named run without asking.
  private static func readApproval(_ node: Node, reader: inout YAMLFieldReader) -> MCPApprovalPolicy? {
    if node.sequence != nil {
      return reader.stringList(node, field: "require_approval").map { .tools(Set($0.map(\.value))) }
    }
    if let mapping = node.mapping { return readApprovalMapping(mapping, node: node, reader: &reader) }
    guard let word = reader.string(node, field: "require_approval") else { return nil }
    switch word {
    case "never", "false": return .never
    case "always", "true": return .always
    case "unless_read_only": return .unlessReadOnly
    default:
      reader.report(
        "'require_approval' must be one of \(approvalWords.joined(separator: ", ")), a list of tool names, or a "
          + "mapping of tool names to always/never, but is '\(word)'",
        at: node)
      return nil
    }
  }

  /// `{tool: always|never, ...}` or `{always: {tool_names: [...]}, never: {tool_names: [...]}}`.
  private static func readApprovalMapping(
    _ mapping: Node.Mapping, node: Node, reader: inout YAMLFieldReader
  ) -> MCPApprovalPolicy? {
    let isToolLists = mapping.contains { key, value in
      ["always", "never"].contains(key.scalar?.string ?? "") && value.mapping?["tool_names"] != nil
    }
    var always: [String: Node] = [:]
    var never: [String: Node] = [:]
    let issuesBefore = reader.issues.count
    for (keyNode, value) in mapping {
      let key = keyNode.scalar?.string ?? ""
      if isToolLists {
        guard key == "always" || key == "never", let lists = value.mapping, lists.count == 1,
          let names = lists["tool_names"]
        else {
          reader.report(
            "'require_approval' with tool lists takes only 'always: {tool_names: [...]}' and "
              + "'never: {tool_names: [...]}', but has '\(key)'", at: keyNode)
          continue
        }
        for item in reader.stringList(names, field: "require_approval.\(key).tool_names") ?? [] {
          if key == "always" { always[item.value] = item.node } else { never[item.value] = item.node }
        }
      } else {
        switch reader.string(value, field: "require_approval.\(key)") {
        case "always": always[key] = keyNode
        case "never": never[key] = keyNode
        case let word?:
          reader.report("'require_approval.\(key)' must be always or never, but is '\(word)'", at: value)
        case nil: break
        }
      }
    }
    for name in Set(always.keys).intersection(never.keys).sorted() {
      reader.report("'require_approval' names tool '\(name)' under both always and never; keep one", at: never[name])
    }
    return reader.issues.count == issuesBefore ? .tools(Set(always.keys)) : nil
  }

  /// Reports names in agents' `mcp:` lists (in the `agents` node) that are not in `servers`; type errors in
  /// those lists were reported when the agents were read.
  static func checkMCPReferences(in agentsNode: Node, servers: [MCPServerDefinition], reader: inout YAMLFieldReader) {
    let known = servers.map(\.name)
    for item in agentsNode.sequence ?? [] {
      guard let agent = item["id"]?.scalar?.string, let list = item["mcp"] else { continue }
      for node in list.sequence.map { Array($0) } ?? [list] {
        guard let name = node.scalar?.string, !YAMLFieldReader.isNull(node), !known.contains(name) else { continue }
        let hint = known.isEmpty ? "the file defines no 'mcp_servers'" : "MCP servers: \(known.joined(separator: ", "))"
        reader.report(
          "agent '\(agent)' uses unknown MCP server '\(name)'\(Suggestions.didYouMean(name, in: known)); \(hint)", at: node)
      }
    }
  }
}
