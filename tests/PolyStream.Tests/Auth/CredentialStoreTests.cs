using PolyStream.Auth;
using PolyStream.Rest;

namespace PolyStream.Tests.Auth;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialStoreTests : IDisposable
{
    private const string Secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=";
    private const string Passphrase = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
    private const string PrivateKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private readonly string _root = Directory.CreateTempSubdirectory("polystream-creds-").FullName;

    private static StoredCredentials Sample(string? privateKey = null) => new()
    {
        Address = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
        Api = new ApiCredentials("5d1f0c4e-1111-2222-3333-444455556666", Secret, Passphrase),
        Host = "http://127.0.0.1:8081/",
        PrivateKey = privateKey,
    };

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Save_NewFile_IsOwnerOnlyAndRoundTrips()
    {
        var store = new CredentialStore(DataPaths.Under(Path.Combine(_root, "cfg")));

        store.Save(Sample());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(store.FilePath)!));
        Assert.Equal(Sample(), store.Load());
        Assert.Equal([store.FilePath], Directory.GetFiles(Path.GetDirectoryName(store.FilePath)!));
    }

    [Fact]
    public void Save_LeftoverTemporaryFileOpenToAll_SavedFileIsStillOwnerOnly()
    {
        var store = new CredentialStore(DataPaths.Under(_root));
        File.WriteAllText(store.FilePath + ".tmp", "left by a crash, or planted");
        File.SetUnixFileMode(store.FilePath + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);

        store.Save(Sample());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
    }

    [Fact]
    public void Save_ExistingFolder_KeepsItsMode()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        var shared = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(folder, shared);

        new CredentialStore(DataPaths.Under(folder)).Save(Sample());

        Assert.Equal(shared, File.GetUnixFileMode(folder));
    }

    [Fact]
    public void Load_FileReadableByOthers_IsRefusedWithTheFix()
    {
        var store = new CredentialStore(DataPaths.Under(_root));
        store.Save(Sample());
        File.SetUnixFileMode(store.FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<CredentialFileException>(store.Load);

        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Missing_SaysToRunAuthInit()
    {
        var error = Assert.Throws<CredentialFileException>(new CredentialStore(DataPaths.Under(_root)).Load);

        Assert.Contains("polystream auth init", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Malformed_NeverQuotesTheFile()
    {
        var store = new CredentialStore(DataPaths.Under(_root));
        store.Save(Sample());
        File.WriteAllText(store.FilePath, $"{{\"address\":\"0x1\",\"api\":{{\"secret\":\"{Secret}\",");

        var error = Assert.Throws<CredentialFileException>(store.Load);

        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_StoredWithPrivateKey_ShowsNoSecret()
    {
        var text = Sample(PrivateKey).ToString();

        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, text, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateKey[2..], text, StringComparison.Ordinal);
        Assert.Contains("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FromStored_StoredKey_SignsWithIt()
    {
        var store = new CredentialStore(DataPaths.Under(_root));
        store.Save(Sample(PrivateKey));

        using var client = ClobClient.FromStored(store.Load());

        Assert.Equal("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", client.Credentials!.Signer!.Address);
        Assert.Equal(Sample().Api, client.Credentials.Api);
    }
}
