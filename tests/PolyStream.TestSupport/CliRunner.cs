using System.CommandLine;
using PolyStream.Cli;

namespace PolyStream.TestSupport;

/// <summary>Runs <c>polystream</c> in-process with captured output, as a script would see it; shared by every test project.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await PolyStreamCli.RunAsync(args, new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
