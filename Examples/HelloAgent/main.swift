// The smallest agent: instructions, a model, one question.
//
// Runs against Ollama on localhost (or `OLLAMA_HOST`, or any OpenAI-compatible server at `OPENAI_BASE_URL`).
// First: `ollama pull llama3.2`. Then: `swift run HelloAgent "Why is the sky blue?"`
import Agents
import Foundation

let question = CommandLine.arguments.dropFirst().joined(separator: " ")
let agent = Agent(
  name: "Assistant",
  instructions: "You are a helpful assistant. Answer in at most three sentences.",
  model: "llama3.2")

do {
  let result = try await Runner().run(agent, input: question.isEmpty ? "Say hello in five languages." : question)
  print(result.finalOutput)
  print("(\(result.turns) model call, \(result.usage.totalTokens) tokens, \(result.duration))")
} catch {
  // Server down, model not pulled…: the error says what happened and what to do, in one line.
  print("error: \(error)")
  exit(1)
}
