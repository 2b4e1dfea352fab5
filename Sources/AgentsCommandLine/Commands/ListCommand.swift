/// `agents list`: every agent with its model, tools and handoffs.
package struct ListCommand: Sendable {
  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  /// The agents as JSON: an array of `{id, name, description, model, tools, handoffs, source, instructions,
  /// temperature, max_tokens, tool_choice, tool_definitions}` (`max_tokens` and `tool_choice` `null` when unset;
  /// each tool's name, description and JSON schema), enough to rebuild an agent elsewhere
  /// (scripts/benchmarks/python_agents.py runs the same agents on the Python Agents SDK).
  package func json() -> JSONValue {
    let factory = services.factory()
    return .array(
      factory.catalog.definitions.map { definition in
        .object([
          "id": .string(definition.id),
          "name": .string(definition.name),
          "description": .string(definition.summary),
          "model": .string(factory.modelForAgent(definition)),
          "tools": .array(definition.tools.map(JSONValue.string)),
          "handoffs": .array(definition.handoffs.map(JSONValue.string)),
          "source": .string(BuiltInAgents.ids.contains(definition.id) ? "built-in" : "config"),
          "instructions": .string(definition.instructions),
          "temperature": .double(definition.temperature ?? AgentFactory.defaultTemperature),
          "max_tokens": definition.maxTokens.map(JSONValue.int) ?? .null,
          "tool_choice": definition.toolChoice.map { JSONValue.string(Self.name(of: $0)) } ?? .null,
          "tool_definitions": .array(
            factory.tools.tools(named: definition.tools).map { tool in
              .object([
                "name": .string(tool.definition.name), "description": .string(tool.definition.description),
                "parameters": tool.definition.parameters.value,
              ])
            }),
        ])
      })
  }

  /// A tool choice as the OpenAI API writes it: `auto`, `required`, `none`, or the tool's name.
  static func name(of choice: ToolChoice) -> String {
    switch choice {
    case .auto: "auto"
    case .required: "required"
    case .disabled: "none"
    case .function(let name): name
    }
  }

  /// Prints the table (or the JSON) and returns the exit status.
  package func run(json asJSON: Bool) -> Int32 {
    let console = services.console
    if asJSON {
      console.print(json().jsonString)
      return 0
    }
    let factory = services.factory()
    var table = TextTable(headers: ["ID", "NAME", "MODEL", "TOOLS", "HANDOFFS"])
    for definition in factory.catalog.definitions {
      table.add([
        definition.id, definition.name, factory.modelForAgent(definition),
        definition.tools.isEmpty ? "-" : definition.tools.joined(separator: ","),
        definition.handoffs.isEmpty ? "-" : definition.handoffs.joined(separator: ","),
      ])
    }
    for line in table.render(style: console.style) { console.print(line) }
    return 0
  }
}
