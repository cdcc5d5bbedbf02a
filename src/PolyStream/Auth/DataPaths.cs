
namespace PolyStream.Auth;

/// <summary>
/// Where PolyStream keeps configuration (credentials) and data (recordings, checkpoints). XDG
/// folders on Linux and macOS, the roaming profile on Windows, or one folder given by
/// <c>--data-dir</c> or the <c>POLYSTREAM_HOME</c> environment variable.
/// </summary>
public sealed record DataPaths
{
    /// <summary>The environment variable that moves both folders under one directory.</summary>
    public const string HomeVariable = "POLYSTREAM_HOME";

    private const string AppFolder = "polystream";

    /// <summary>The folder for configuration and credentials.</summary>
    public required string ConfigDirectory { get; init; }

    /// <summary>The folder for recordings, checkpoints and other data.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The credentials file, readable by its owner only.</summary>
    public string CredentialsFile => Path.Combine(ConfigDirectory, "credentials.json");

    /// <summary>Both folders under one directory (what <c>--data-dir</c> does).</summary>
    public static DataPaths Under(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        return new DataPaths { ConfigDirectory = full, DataDirectory = full };
    }

    /// <summary>Resolves the folders: <paramref name="overrideDirectory"/>, else <c>POLYSTREAM_HOME</c>, else the platform's defaults.</summary>
    /// <param name="overrideDirectory">A directory from the command line, or <see langword="null"/>.</param>
    /// <param name="environment">Reads an environment variable; defaults to the process environment (tests pass their own).</param>
    public static DataPaths Resolve(string? overrideDirectory = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(overrideDirectory))
        {
            return Under(overrideDirectory);
        }

        if (environment(HomeVariable) is { Length: > 0 } home)
        {
            return Under(home);
        }

        if (OperatingSystem.IsWindows())
        {
            var appData = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "PolyStream");
            return new DataPaths { ConfigDirectory = appData, DataDirectory = appData };
        }

        var userHome = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var config = environment("XDG_CONFIG_HOME") is { Length: > 0 } c ? c : Path.Combine(userHome, ".config");
        var data = environment("XDG_DATA_HOME") is { Length: > 0 } d ? d : Path.Combine(userHome, ".local", "share");
        return new DataPaths { ConfigDirectory = Path.Combine(config, AppFolder), DataDirectory = Path.Combine(data, AppFolder) };
    }
}
