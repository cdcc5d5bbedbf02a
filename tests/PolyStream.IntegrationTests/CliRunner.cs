using System.CommandLine;
using PolyStream.Cli;

namespace PolyStream.IntegrationTests;

/// <summary>Runs <c>polystream</c> in-process with captured output, as a script would see it.</summary>
internal static class CliRunner
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PolyStreamCli.RunAsync(args, new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
