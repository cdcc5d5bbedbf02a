using PolyStream.Cli;

using var signals = new StopSignals(Console.Error);
var output = Console.Out;
if (Console.IsOutputRedirected)
{
    // Also the console's writer: the daemon's logger writes through Console.Out, and a closed pipe must stop it too.
    output = new PipeOutput(signals.StopQuietly);
    Console.SetOut(output);
}

return await PolyStreamCli.RunAsync(args, new System.CommandLine.InvocationConfiguration { Output = output }, signals.Token).ConfigureAwait(false);
