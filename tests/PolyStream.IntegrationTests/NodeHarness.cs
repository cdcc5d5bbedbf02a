
namespace PolyStream.IntegrationTests;

/// <summary>Runs the official TypeScript client's scripts in tests/ts-client, installing its pinned packages once per run.</summary>
internal static class NodeHarness
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task> s_install = new(InstallAsync);

    public static string Folder { get; } = Path.Combine(TestDependencies.RepositoryRoot, "tests", "ts-client");

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        await s_install.Value;
        return await ExecAsync("node", args);
    }

    private static async Task InstallAsync()
    {
        await TestDependencies.EnsureAsync();
        if (Directory.Exists(Path.Combine(Folder, "node_modules", "@polymarket", "clob-client")))
        {
            return;
        }

        var (code, output, error) = await ExecAsync("npm", "ci", "--no-audit", "--no-fund");
        if (code != 0)
        {
            throw new InvalidOperationException($"npm ci failed in {Folder} (exit {code}); Node.js 18+ and npm are needed (Debian: apt-get install nodejs npm).\n{output}\n{error}");
        }
    }

    private static Task<(int ExitCode, string Output, string Error)> ExecAsync(string program, params string[] args) =>
        ChildProcess.RunAsync(program, args, s_limit, Folder);
}
