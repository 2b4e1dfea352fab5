import AgentsApp
print("agents")
