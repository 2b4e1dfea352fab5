@_exported import OpenAICompatible
@_exported import WireCore
