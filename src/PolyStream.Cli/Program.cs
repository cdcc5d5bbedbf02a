using PolyStream.Cli;

using var signals = new StopSignals(Console.Error);
var output = Console.IsOutputRedirected ? new PipeOutput(signals.StopQuietly) : Console.Out;
return await PolyStreamCli.RunAsync(args, new System.CommandLine.InvocationConfiguration { Output = output }, signals.Token).ConfigureAwait(false);
