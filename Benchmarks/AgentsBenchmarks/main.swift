// Benchmark commands, run in release mode:
//
//   swift run -c release AgentsBenchmarks                 # list the benchmarks
//   swift run -c release AgentsBenchmarks agent-run       # agent runs vs the raw HTTP floor
//   scripts/benchmark                                     # everything, plus the Python SDK comparison
//
// Each benchmark is a `Benchmark` registered in `AgentsBenchmarks.all`; add new ones there.

#if canImport(Glibc)
  import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
let exitCode = await AgentsBenchmarks.main(arguments)
exit(exitCode)
