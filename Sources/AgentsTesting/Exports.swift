@_exported import Agents
@_exported import FakeModelServer
