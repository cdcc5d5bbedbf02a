using System.CommandLine;
using PolyStream.Auth;
using PolyStream.Protocol;
using PolyStream.Rest;

namespace PolyStream.Cli;

/// <summary>Options several verbs share, with defaults from the environment so scripts and the daemon can set them once.</summary>
internal static class CommonOptions
{
    /// <summary>The CLOB REST host; default <c>POLYSTREAM_CLOB_HOST</c>, else production.</summary>
    public const string ClobHostVariable = "POLYSTREAM_CLOB_HOST";

    /// <summary>The Gamma host; default <c>POLYSTREAM_GAMMA_HOST</c>, else production.</summary>
    public const string GammaHostVariable = "POLYSTREAM_GAMMA_HOST";

    /// <summary>The wallet key <c>auth init</c> reads instead of prompting.</summary>
    public const string PrivateKeyVariable = "POLYSTREAM_PRIVATE_KEY";

    /// <summary>Allows plain http/ws to a host other than this machine; every verb sees it.</summary>
    public static Option<bool> Insecure { get; } = new("--insecure")
    {
        Description = "Allow plain http/ws to a host other than this machine (refused by default).",
        Recursive = true,
    };

    public static Option<Uri> ClobHost() => new("--host")
    {
        Description = $"CLOB REST host (env {ClobHostVariable}; default {ClobClientOptions.ProductionHost}).",
        DefaultValueFactory = _ => FromEnvironment(ClobHostVariable) ?? ClobClientOptions.ProductionHost,
        CustomParser = ParseHost,
    };

    /// <summary>The Gamma host; with a loopback <paramref name="clobHost"/> (the simulator) and no environment default, <c>&lt;host&gt;/gamma/</c>.</summary>
    public static Option<Uri> GammaHost(Option<Uri>? clobHost = null) => new("--gamma-host")
    {
        Description = $"Gamma host (env {GammaHostVariable}; default {GammaClientOptions.ProductionHost}, or HOST/gamma/ when --host is this machine, as the simulator serves it).",
        DefaultValueFactory = r => FromEnvironment(GammaHostVariable)
            ?? (clobHost is not null && r.GetValue(clobHost) is { IsLoopback: true } host ? new Uri(host, "gamma/") : GammaClientOptions.ProductionHost),
        CustomParser = ParseHost,
    };

    /// <summary><c>--asset ID</c>, repeatable: token ids to watch.</summary>
    public static Option<string[]> Assets() => TokenIds(new("--asset") { Description = "Token ids (repeatable).", AllowMultipleArgumentsPerToken = true });

    /// <summary>
    /// Refuses any value of <paramref name="option"/> that is not a token id. Its values run until the next option, so a
    /// mistyped option after it (<c>--asset 123 --jsno</c>) would otherwise be taken as a token and subscribed.
    /// </summary>
    public static Option<string[]> TokenIds(Option<string[]> option)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string[]>()?.FirstOrDefault(id => !MarketIds.IsTokenId(id)) is { } wrong)
            {
                r.AddError($"{option.Name} takes token ids (1 to {MarketIds.MaxTokenIdDigits} digits), not '{TerminalText.Clean(wrong)}'.");
            }
        });
        return option;
    }

    /// <summary>
    /// <c>--market SLUG</c>, repeatable: market slugs, both tokens each, looked up on Gamma. Its values run until the
    /// next option too, so one that starts with a dash (no slug does) is a mistyped option, refused like a bad token id.
    /// </summary>
    public static Option<string[]> Markets()
    {
        var option = new Option<string[]>("--market") { Description = "Market slugs, both tokens each (repeatable; looked up on Gamma).", AllowMultipleArgumentsPerToken = true };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string[]>()?.FirstOrDefault(slug => slug.StartsWith('-')) is { } wrong)
            {
                r.AddError($"--market takes market slugs, not '{TerminalText.Clean(wrong)}': a mistyped option? See --help.");
            }
        });
        return option;
    }

    /// <summary>Requires at least one of <paramref name="assets"/>, <paramref name="markets"/> or <paramref name="all"/> on <paramref name="command"/>, unless <paramref name="source"/> names somewhere else to read from.</summary>
    public static void RequireSomethingToWatch(Command command, Option<string[]> assets, Option<string[]> markets, Option<bool> all, Option<string?>? source = null) =>
        command.Validators.Add(r =>
        {
            if ((source is null || r.GetValue(source) is null) && !r.GetValue(all) && (r.GetValue(assets)?.Length ?? 0) + (r.GetValue(markets)?.Length ?? 0) == 0)
            {
                r.AddError(source is null ? "Name at least one --asset or --market, or follow every market with --all." : $"Name at least one --asset or --market, follow every market with --all, or read a scale-out with {source.Name} URL.");
            }
        });

    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = $"Folder for credentials and data (env {DataPaths.HomeVariable}; default: XDG config and data folders).",
    };

    private static Uri? FromEnvironment(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text && Uri.TryCreate(WithSlash(text), UriKind.Absolute, out var uri) ? uri : null;

    private static Uri ParseHost(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Uri.TryCreate(WithSlash(text), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        result.AddError($"'{text}' is not an http(s) URL such as http://127.0.0.1:8081.");
        return ClobClientOptions.ProductionHost;
    }

    // Relative paths resolve against the host only when its path ends with a slash.
    private static string WithSlash(string text) => text.EndsWith('/') ? text : text + "/";
}
