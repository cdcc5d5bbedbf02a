
namespace PolyStream.IntegrationTests;

/// <summary>
/// Makes sure the tools some tests drive (tmux, Node.js, nats-server) are present, running the project's own
/// eng/install-test-deps.sh once when one is missing, so `dotnet test` works on a fresh machine.
/// </summary>
internal static class TestDependencies
{
    private static readonly Lazy<Task> s_installed = new(InstallAsync);

    public static string RepositoryRoot { get; } = FindRoot();

    public static Task EnsureAsync() => s_installed.Value;

    private static async Task InstallAsync()
    {
        if (OnPath("tmux") && OnPath("node") && OnPath("npm") && OnPath("nats-server"))
        {
            return;
        }

        var (code, output, error) = await ChildProcess.RunAsync("bash", [Path.Combine(RepositoryRoot, "eng", "install-test-deps.sh")], TimeSpan.FromMinutes(10));
        if (code != 0)
        {
            throw new InvalidOperationException($"eng/install-test-deps.sh failed ({code}): {output}{error}");
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PolyStream.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("PolyStream.slnx not found above the test binaries.");
    }
}
