using System.Text.Json;
using PolyStream.Rest;

namespace PolyStream.Auth;

/// <summary>
/// Reads and writes <see cref="StoredCredentials"/> in <see cref="DataPaths.CredentialsFile"/>.
/// The file is created owner-only (0600, folder 0700) and written atomically; on read, a file that
/// others can read is refused, because its secrets may already have leaked.
/// </summary>
public sealed class CredentialStore
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

    /// <summary>Writes the credentials atomically into an owner-only file.</summary>
    public void Save(StoredCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        Directory.CreateDirectory(_paths.ConfigDirectory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_paths.ConfigDirectory, OwnerOnlyDirectory);
        }

        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, credentials, AuthJsonContext.Default.StoredCredentials);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>Creates a client that signs with the stored credentials (the stored private key too, if any).</summary>
    /// <param name="options">Client options; the host defaults to the one the key was issued by.</param>
    /// <param name="httpClient">An HTTP client to use, or <see langword="null"/>.</param>
    /// <exception cref="CredentialFileException">No usable credentials are stored.</exception>
    internal ClobClient CreateAuthenticatedClient(ClobClientOptions? options = null, HttpClient? httpClient = null) =>
        CreateClient(Load(), options, httpClient);

    /// <summary>Creates a client that signs with credentials already loaded (the private key too, if any).</summary>
    /// <param name="stored">The credentials, as <see cref="Load"/> returned them.</param>
    /// <param name="options">Client options; the host defaults to the one the key was issued by.</param>
    /// <param name="httpClient">An HTTP client to use, or <see langword="null"/>.</param>
    internal static ClobClient CreateClient(StoredCredentials stored, ClobClientOptions? options = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        options ??= stored.Host is { } host ? new ClobClientOptions { Host = new Uri(host) } : new ClobClientOptions();
        var credentials = new ClobCredentials
        {
            Address = stored.Address,
            Api = stored.Api,
            Signer = stored.PrivateKey is null ? null : Secp256k1Key.FromHex(stored.PrivateKey),
        };
        return new ClobClient(options, credentials, httpClient);
    }
}
