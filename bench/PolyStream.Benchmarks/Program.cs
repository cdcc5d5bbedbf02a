using BenchmarkDotNet.Running;

// A type of this assembly by name: the CLI it references (for the export benchmark) has a Program too.
BenchmarkSwitcher.FromAssembly(typeof(PolyStream.Benchmarks.ReplayBenchmarks).Assembly).Run(args);
