using System.CommandLine;
using PolyStream.Auth;
using PolyStream.Rest;

namespace PolyStream.Cli.Commands;

/// <summary><c>polystream auth init|show|check</c>: create, inspect and test stored API credentials.</summary>
internal static class AuthCommand
{
    public static Command Create()
    {
        var command = new Command(
            "auth",
            "Manage the API credentials used for the user channel and authenticated REST calls.\n\n"
            + "Examples:\n"
            + $"  {CommonOptions.PrivateKeyVariable}=0x… polystream auth init\n"
            + "  polystream auth show\n"
            + "  polystream auth check\n\n"
            + "Stored credentials are only ever sent to the host they were made at (auth init --host).");
        command.Subcommands.Add(CreateInit());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateCheck());
        return command;
    }

    private static Command CreateInit()
    {
        var host = CommonOptions.ClobHost();
        var dataDir = CommonOptions.DataDir();
        var nonce = WholeNumberOption.Create("--nonce", "Credential nonce; each nonce has its own key.", 0L, 0L, long.MaxValue);
        var chainId = WholeNumberOption.Create("--chain-id", "Chain the signature commits to: 137 (Polygon) or 80002 (Amoy).", ClobAuth.PolygonChainId, 1L, long.MaxValue);
        var storeKey = new Option<bool>("--store-private-key") { Description = "Also store the wallet key in the owner-only credentials file (off by default)." };
        var force = new Option<bool>("--force") { Description = "Replace credentials that are already stored." };
        var command = new Command(
            "init",
            "Create or derive API credentials with your wallet key and store them owner-only.\n"
            + $"The key comes from {CommonOptions.PrivateKeyVariable}, or a hidden prompt (or one line on standard input).")
        {
            host, dataDir, nonce, chainId, storeKey, force,
        };
        command.SetAction((result, cancellationToken) => InitAsync(
            result.GetRequiredValue(host),
            new CredentialStore(DataPaths.Resolve(result.GetValue(dataDir))),
            result.GetValue(nonce),
            result.GetValue(chainId),
            result.GetValue(storeKey),
            result.GetValue(force),
            result.GetValue(CommonOptions.Insecure),
            result.InvocationConfiguration,
            cancellationToken));
        return command;
    }

    private static Command CreateShow()
    {
        var dataDir = CommonOptions.DataDir();
        var command = new Command("show", "Show the stored credentials with every secret masked.") { dataDir };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var store = new CredentialStore(DataPaths.Resolve(result.GetValue(dataDir)));
            return WithStoredCredentials(result.InvocationConfiguration, () =>
            {
                var stored = store.Load();
                output.WriteLine($"file:        {store.FilePath} (owner-only)");
                output.WriteLine($"address:     {stored.Address}");
                output.WriteLine($"host:        {stored.Host ?? "(any)"}");
                output.WriteLine($"api key:     {ApiCredentials.Redact(stored.Api.ApiKey)}");
                output.WriteLine("secret:      ***");
                output.WriteLine("passphrase:  ***");
                output.WriteLine($"private key: {(stored.PrivateKey is null ? "not stored" : "stored (***)")}");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command CreateCheck()
    {
        var host = CommonOptions.ClobHost();
        var dataDir = CommonOptions.DataDir();
        var command = new Command("check", "Call an authenticated endpoint (GET /auth/api-keys) with the stored credentials.") { host, dataDir };
        command.SetAction(async (result, cancellationToken) =>
        {
            var configuration = result.InvocationConfiguration;
            var store = new CredentialStore(DataPaths.Resolve(result.GetValue(dataDir)));
            try
            {
                var stored = store.Load();
                var hostUri = result.GetResult(host) is { Implicit: false } || stored.Host is null
                    ? result.GetRequiredValue(host)
                    : new Uri(stored.Host);
                if (stored.Host is not null && !SameHost(hostUri, new Uri(stored.Host)))
                {
                    // The key was made for one host (perhaps a simulator); it is never sent to another.
                    await configuration.Error.WriteLineAsync($"polystream auth check: the stored credentials are for {stored.Host}; they are not sent to {hostUri}. Run 'polystream auth init --host {hostUri}' for that host.").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                using var client = ClobClient.FromStored(stored, new ClobClientOptions { Host = hostUri, AllowInsecureTransport = result.GetValue(CommonOptions.Insecure) });
                var keys = await client.GetApiKeysAsync(cancellationToken).ConfigureAwait(false);
                await configuration.Output.WriteLineAsync($"ok: {stored.Address} is authenticated at {hostUri} ({keys.Count} API key(s)).").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (CredentialFileException ex)
            {
                await configuration.Error.WriteLineAsync($"polystream auth check: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            catch (ClobApiException ex)
            {
                await configuration.Error.WriteLineAsync($"polystream auth check: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static async Task<int> InitAsync(
        Uri host,
        CredentialStore store,
        long nonce,
        long chainId,
        bool storePrivateKey,
        bool force,
        bool allowInsecure,
        InvocationConfiguration configuration,
        CancellationToken cancellationToken)
    {
        var error = configuration.Error;
        if (store.Exists && !force)
        {
            await error.WriteLineAsync($"polystream auth init: credentials already exist at {store.FilePath}. Use --force to replace them.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        Secp256k1Key key;
        var keyText = PrivateKeySource.Read(CommonOptions.PrivateKeyVariable, error);
        try
        {
            key = Secp256k1Key.FromHex(keyText);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync($"polystream auth init: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            using var client = new ClobClient(new ClobClientOptions { Host = host, ChainId = chainId, AllowInsecureTransport = allowInsecure }, new ClobCredentials { Signer = key });
            var api = await client.CreateOrDeriveApiKeyAsync(nonce, cancellationToken).ConfigureAwait(false);
            store.Save(new StoredCredentials
            {
                Address = key.Address,
                Api = api,
                Host = host.ToString(),
                PrivateKey = storePrivateKey ? PrivateKeySource.Normalize(keyText) : null,
            });
            await configuration.Output.WriteLineAsync($"API key {ApiCredentials.Redact(api.ApiKey)} for {key.Address} at {host} saved to {store.FilePath} (owner-only).").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (ClobApiException ex)
        {
            await error.WriteLineAsync($"polystream auth init: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static bool SameHost(Uri a, Uri b) => Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static int WithStoredCredentials(InvocationConfiguration configuration, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CredentialFileException ex)
        {
            configuration.Error.WriteLine($"polystream auth: {ex.Message}");
            return ExitCodes.Usage;
        }
    }
}
