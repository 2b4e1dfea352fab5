@_exported import Agents
@_exported import AgentTools
@_exported import OllamaAPI
@_exported import AgentsStore
@_exported import AgentsMCP
