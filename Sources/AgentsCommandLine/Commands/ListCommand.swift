/// `agents list`: every agent with its model, tools and handoffs.
package struct ListCommand: Sendable {
  /// The shared services.
  package var services: AppServices

  /// Creates the command.
  package init(services: AppServices) { self.services = services }

  /// The agents as JSON: an array of `{id, name, description, model, tools, handoffs, source}`.
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
        ])
      })
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
