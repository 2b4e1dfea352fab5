// Handoffs: a triage agent reads the request and hands the conversation to the right specialist.
// The model sees each handoff as a tool named `transfer_to_<agent>`; the specialist then answers with the
// whole conversation in view.
//
// `ollama pull llama3.2`, then `swift run Handoffs`.
import Agents
import Foundation

let billing = Agent(
  name: "Billing",
  instructions: "You handle invoices, refunds and payment methods. Answer in two sentences.",
  handoffDescription: "Questions about invoices, refunds, charges and payment methods.",
  model: "llama3.2")

let support = Agent(
  name: "Technical support",
  instructions: "You fix technical problems step by step. Give at most three short steps.",
  handoffDescription: "Problems with the app: crashes, login failures, error messages.",
  model: "llama3.2")

let triage = Agent(
  name: "Triage",
  instructions: "Decide who should handle the customer's message and hand off to that agent. Never answer yourself.",
  model: "llama3.2",
  handoffs: [.to(billing), .to(support)])

let questions = [
  "I was charged twice for my subscription this month.",
  "The app closes as soon as I open the settings screen.",
]

do {
  for question in questions {
    let result = try await Runner().run(triage, input: question)
    print("> \(question)")
    print("[answered by \(result.lastAgent.name)] \(result.finalOutput)\n")
  }
} catch {
  print("error: \(error)")
  exit(1)
}
