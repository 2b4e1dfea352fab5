@_exported import AgentsApp
