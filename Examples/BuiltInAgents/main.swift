// The built-in agents in one line each: AgentFactory's create… functions (the same agents `agents chat` offers).
//
// Runs against Ollama on localhost (or `OLLAMA_HOST`, or any OpenAI-compatible server at `OPENAI_BASE_URL`), on the
// model AGENTS_MODEL names (default llama3.2). `swift run BuiltInAgents "What is 17% of 2340?"`
import AgentsApp
import Foundation

let question = CommandLine.arguments.dropFirst().joined(separator: " ")
let model = ProcessInfo.processInfo.environment["AGENTS_MODEL"] ?? AgentFactory.defaultModel
// Also: createCodingAssistant(model:workspaceRoot:) (read-only file tools), createCreativeWriter(model:style:), and
// createTriageAgent(model:workspaceRoot:), which hands off to the three.
let tutor = AgentFactory.createMathTutor(model: model)

do {
  let result = try await Runner().run(tutor, input: question.isEmpty ? "What is 17% of 2340?" : question)
  print(result.finalOutput)
  print("(\(result.turns) model calls, \(result.usage.totalTokens) tokens)")
} catch {
  print("error: \(error)")
  exit(1)
}
