/// Every agent the command line knows: the built-ins followed by those from the configuration file.
@MemberwiseInit
public struct AgentCatalog: Sendable, Hashable {
  /// The agent chat and ask use when no `--agent` is given.
  public static let defaultAgentID = BuiltInAgents.triageID

  /// The definitions, built-ins first, in `agents list` order.
  public private(set) var definitions: [AgentDefinition]

  /// The built-in agents plus the agents of `configFile`, with the creative writer in `writingStyle`.
  public init(configFile: AgentsConfigFile? = nil, writingStyle: WritingStyle = .standard) {
    definitions = [
      BuiltInAgents.mathTutor(), BuiltInAgents.codingAssistant(),
      BuiltInAgents.creativeWriter(style: writingStyle), BuiltInAgents.triage(),
    ]
    definitions += configFile?.agents ?? []
  }

  /// The ids, in order.
  public var ids: [String] { definitions.map(\.id) }

  /// The definition for `id`.
  ///
  /// - Throws: ``AppError`` with code `usage`, naming the known ids and the closest match.
  public func definition(id: String) throws(AppError) -> AgentDefinition {
    let wanted = id.trimmingWhitespace().lowercased()
    if let definition = definitions.first(where: { $0.id == wanted }) { return definition }
    // Accept the display name too ("Math Tutor", "math-tutor").
    let flattened = wanted.filter { $0.isLetter || $0.isNumber }
    if let definition = definitions.first(where: { $0.name.lowercased().filter { $0.isLetter || $0.isNumber } == flattened }) {
      return definition
    }
    throw AppError(
      .usage, "unknown agent '\(id)'\(Suggestions.didYouMean(wanted, in: ids))",
      fix: "use one of: \(ids.joined(separator: ", ")) (see 'agents list')")
  }

  /// The definition whose display name is `name`, if any (to map a run's last agent back to an id).
  public func definition(named name: String) -> AgentDefinition? {
    definitions.first { $0.name == name }
  }
}
