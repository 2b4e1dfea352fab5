// Sessions: a multi-turn conversation. The runner loads the session's history before each run and saves
// the run's new items after it, so each turn only sends the new message.
//
// `ollama pull llama3.2`, then `swift run Sessions`.
import Agents
import Foundation

let agent = Agent(
  name: "Assistant",
  instructions: "You are a friendly assistant. Keep answers to one or two sentences.",
  model: "llama3.2")

// `InMemorySession` lives as long as the process. For history that survives restarts, the `AgentsStore` module
// has a SQLite session: `SQLiteSession(sessionID: "demo", database: try AgentsDatabase.openDefault())`.
let session = InMemorySession(sessionID: "demo")
let turns = [
  "Hi! My name is Ada and I live in Lisbon.",
  "What's a typical dish from my city?",
  "Remind me: what's my name?",
]

do {
  for message in turns {
    let result = try await Runner().run(agent, input: message, session: session)
    print("you: \(message)")
    print("assistant: \(result.finalOutput)\n")
  }
  print("The session holds \(await session.items().count) items.")

  // Without a session, pass the previous run's history as the next input instead.
  let first = try await Runner().run(agent, input: "Pick a number between 1 and 10.")
  let second = try await Runner().run(agent, input: first.history + [.user("Double it.")])
  print("\(first.finalOutput) → \(second.finalOutput)")
} catch {
  print("error: \(error)")
  exit(1)
}
