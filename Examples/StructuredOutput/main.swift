// Structured output: the agent's final answer is decoded into a `@Schema` struct instead of free text.
//
// The runner asks the server for `json_schema` output. Local servers differ: when one rejects that format the
// runner falls back to `json_object` with the schema in the instructions, then to the instructions alone, and
// if a small model's reply still does not decode it gets a corrective turn. All of it happens on its own.
//
// `ollama pull llama3.2`, then `swift run StructuredOutput "a quick mushroom risotto"`.
import Agents
import Foundation

/// A recipe the model writes.
@Schema struct Recipe {
  /// The dish's name.
  var title: String
  @Guide("Preparation and cooking time in minutes", .range(1...600))
  var minutes: Int
  @Guide("Ingredients with quantities", .count(1...20))
  var ingredients: [String]
  /// The steps, in order.
  var steps: [String]
  var difficulty: Difficulty
}

/// How hard a recipe is.
@Schema enum Difficulty: String { case easy, medium, hard }

let chef = Agent(
  name: "Chef",
  instructions: "You write short, practical recipes.",
  model: "llama3.2",
  outputType: Recipe.self)

// Two corrective turns instead of one: small models sometimes need a second nudge.
let runner = Runner(configuration: .init(correctiveTurns: 2))
let dish = CommandLine.arguments.dropFirst().joined(separator: " ")

do {
  let result = try await runner.run(chef, input: "A recipe for \(dish.isEmpty ? "pancakes" : dish).")
  let recipe = try result.finalOutput(as: Recipe.self)
  print("\(recipe.title) — \(recipe.minutes) min, \(recipe.difficulty.rawValue)")
  print(recipe.ingredients.map { "• \($0)" }.joined(separator: "\n"))
  for (number, step) in recipe.steps.enumerated() { print("\(number + 1). \(step)") }
} catch {
  print("error: \(error)")
  exit(1)
}
