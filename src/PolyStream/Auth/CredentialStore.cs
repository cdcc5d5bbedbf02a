using System.Text.Json;

namespace PolyStream.Auth;

/// <summary>
/// Reads and writes <see cref="StoredCredentials"/> in <see cref="DataPaths.CredentialsFile"/>.
/// The file is created owner-only (0600, folder 0700) and written atomically; on read, a file that
/// others can read is refused, because its secrets may already have leaked.
/// </summary>
/// <remarks>
/// Internal with <see cref="StoredCredentials"/>: <c>polystream auth</c> writes the file, and a streamer reads it
/// by itself when <see cref="StreamerConfig.UserAuth"/> is not given; a library user never handles either.
/// </remarks>
internal sealed class CredentialStore
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;
    private const UnixFileMode OthersCanAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private readonly DataPaths _paths;

    /// <summary>Creates a store over the given folders.</summary>
    public CredentialStore(DataPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = paths;
    }

    /// <summary>The file this store reads and writes.</summary>
    public string FilePath => _paths.CredentialsFile;

    /// <summary>Whether a credentials file exists.</summary>
    public bool Exists => File.Exists(FilePath);

    /// <summary>Reads the credentials.</summary>
    /// <exception cref="CredentialFileException">The file is missing, readable by others, or malformed; the message says what to do.</exception>
    public StoredCredentials Load()
    {
        if (!Exists)
        {
            throw new CredentialFileException($"No credentials at {FilePath}. Run 'polystream auth init' first.");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(FilePath) & OthersCanAccess) != 0)
        {
            throw new CredentialFileException($"{FilePath} can be read by other users, so it is refused. Run 'chmod 600 {FilePath}' and consider rotating the key.");
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(FilePath), AuthJsonContext.Default.StoredCredentials)
                ?? throw new JsonException("empty file");
        }
        catch (JsonException ex)
        {
            // The parser's message may quote the file; never pass it on.
            throw new CredentialFileException($"{FilePath} is not a valid credentials file (JSON error at byte {ex.BytePositionInLine}). Run 'polystream auth init' to recreate it.");
        }
        catch (IOException ex)
        {
            throw new CredentialFileException($"{FilePath} could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Writes the credentials atomically into an owner-only file: a fresh temporary file (never one an
    /// attacker or a crash left behind, whose mode would be kept), synced, renamed over the old one, and the
    /// folder synced so the rename survives a crash. Only a folder this call creates is made owner-only:
    /// a folder given by the user (even <c>~</c>) keeps its mode.
    /// </summary>
    public void Save(StoredCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        CreateFolder(_paths.ConfigDirectory);
        var temporary = Path.Combine(_paths.ConfigDirectory, $".credentials-{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, credentials, AuthJsonContext.Default.StoredCredentials);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, FilePath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        SyncFolder(_paths.ConfigDirectory);
    }

    /// <summary>Creates the folder (and missing parents) owner-only; an existing folder is left as it is.</summary>
    private static void CreateFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(folder));
        if (parent is not null)
        {
            CreateFolder(parent);
        }

        Directory.CreateDirectory(folder, OwnerOnlyDirectory);
    }

    /// <summary>Flushes the folder's entries, so the rename is on disk before Save returns (POSIX only).</summary>
    private static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // NTFS journals the rename; Windows cannot open a folder for fsync.
        }

        // .NET refuses to open a folder as a file, so fsync(2) it directly. Best effort: the file itself is
        // already synced, and a file system that cannot sync a folder still has the credentials.
        var descriptor = PosixFolder.Open(folder, 0);
        if (descriptor >= 0)
        {
            _ = PosixFolder.Fsync(descriptor);
            _ = PosixFolder.Close(descriptor);
        }
    }
}
