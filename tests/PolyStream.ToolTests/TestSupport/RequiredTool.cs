
namespace PolyStream.ToolTests.TestSupport;

/// <summary>The programs from outside .NET these tests drive; a missing one fails the test at once, in one line that says how to get it.</summary>
internal static class RequiredTool
{
    /// <summary>Fails the calling test unless <paramref name="program"/> is an executable file in a folder on PATH.</summary>
    public static void Ensure(string program)
    {
        if (!OnPath(program))
        {
            Assert.Fail($"{program} not found on PATH: run eng/test.sh (it installs the test tools) or eng/install-test-deps.sh");
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));
}
