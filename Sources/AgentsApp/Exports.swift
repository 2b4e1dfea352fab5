@_exported import Agents
@_exported import OllamaAPI
