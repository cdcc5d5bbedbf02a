
namespace PolyStream.ToolTests.TestSupport;

/// <summary>
/// Runs the official TypeScript client's scripts from the copy of tests/ts-client beside the test binaries,
/// where npm installs its pinned packages once per build output (the source tree is never written).
/// </summary>
internal static class NodeHarness
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task> s_install = new(InstallAsync);

    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "ts-client");

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        await s_install.Value;
        return await ExecAsync("node", args);
    }

    private static async Task InstallAsync()
    {
        RequiredTool.Ensure("node");
        RequiredTool.Ensure("npm");
        if (Directory.Exists(Path.Combine(Folder, "node_modules", "@polymarket", "clob-client")))
        {
            return;
        }

        var (code, output, error) = await ExecAsync("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund");
        if (code != 0)
        {
            throw new InvalidOperationException($"npm ci failed in {Folder} (exit {code}); Node.js 18+ and npm are needed (eng/install-test-deps.sh installs them).\n{output}\n{error}");
        }
    }

    private static Task<(int ExitCode, string Output, string Error)> ExecAsync(string program, params string[] args) =>
        ChildProcess.RunAsync(program, args, s_limit, Folder);
}
