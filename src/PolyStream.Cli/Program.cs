using PolyStream.Cli;

return await PolyStreamCli.RunAsync(args, new System.CommandLine.InvocationConfiguration()).ConfigureAwait(false);
