import OpenAICompatible
print("bench")
