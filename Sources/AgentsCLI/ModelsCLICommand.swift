import AgentsCommandLine
import ArgumentParser

/// `agents models`: installed models, details, loaded models and pulls.
struct ModelsCLICommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "models",
    abstract: "List, inspect, pull and delete models.",
    subcommands: [List.self, Pull.self, Show.self, Running.self, Remove.self],
    defaultSubcommand: List.self)

  /// `agents models [list] [--json]`.
  struct List: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List installed models with size, family, parameters, quantisation and capabilities.")

    @OptionGroup var output: JSONArrayOutput

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      await ModelsCommand(services: context.services).list(json: output.json)
    }
  }

  /// `agents models pull NAME`.
  struct Pull: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "pull",
      abstract: "Download a model (Ctrl-C cancels).", discussion: "Example: agents models pull llama3.2")

    @Argument(help: ArgumentHelp("The model, e.g. llama3.2 or qwen3:8b.", valueName: "name"))
    var name: String

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      let command = ModelsCommand(services: context.services)
      let name = self.name
      return await context.interrupts.cancellingOnInterrupt { await command.pull(name) }
    }
  }

  /// `agents models show NAME`.
  struct Show: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show a model's details and capabilities.")

    @Argument(help: ArgumentHelp("The model.", valueName: "name"))
    var name: String

    @OptionGroup var output: JSONObjectOutput

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      await ModelsCommand(services: context.services).show(name, json: output.json)
    }
  }

  /// `agents models ps`.
  struct Running: AgentsSubcommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List the models loaded in memory.")

    @OptionGroup var output: JSONArrayOutput

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      await ModelsCommand(services: context.services).running(json: output.json)
    }
  }

  /// `agents models rm NAME…`.
  struct Remove: AgentsSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "rm", abstract: "Delete installed models (every name must be installed; nothing is deleted otherwise).")

    @Argument(help: ArgumentHelp("The models, e.g. llama3.2.", valueName: "name"))
    var names: [String]

    @OptionGroup var global: GlobalOptionGroup

    func execute(_ context: CommandContext) async throws(AppError) -> Int32 {
      await ModelsCommand(services: context.services).remove(names)
    }
  }
}
