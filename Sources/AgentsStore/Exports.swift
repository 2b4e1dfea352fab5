@_exported import Agents
