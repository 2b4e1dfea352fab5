// Benchmark commands for the wire layer, run in release mode:
//
//   swift run -c release WireBenchmarks            # list the benchmarks
//   swift run -c release WireBenchmarks sse        # SSE parsing throughput
//
// Each benchmark is a `WireBenchmark` registered in `WireBenchmarks.all`; add new ones there.

import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let exitCode = await WireBenchmarks.main(arguments)
exit(exitCode)
