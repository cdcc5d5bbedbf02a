using System.Text.Json;

namespace PolyStream.Simulator.Server;

/// <summary>A client's subscribe or update message on either channel.</summary>
internal sealed record Subscription
{
    public string? Type { get; init; }

    public string? Operation { get; init; }

    public List<string> AssetIds { get; init; } = [];

    public List<string> Markets { get; init; } = [];

    public bool? InitialDump { get; init; }

    public bool? CustomFeatureEnabled { get; init; }

    public Credentials? Auth { get; init; }

    /// <summary>Reads a subscription; <see langword="null"/> when the JSON is not an object carrying <c>type</c>, <c>operation</c> or <c>auth</c>.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static Subscription? Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var result = new Subscription
        {
            Type = String(root, "type"),
            Operation = String(root, "operation"),
            AssetIds = Strings(root, "assets_ids"),
            Markets = Strings(root, "markets"),
            InitialDump = Bool(root, "initial_dump"),
            CustomFeatureEnabled = Bool(root, "custom_feature_enabled"),
            Auth = root.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.Object
                ? new Credentials(String(auth, "apiKey"), String(auth, "secret"), String(auth, "passphrase"))
                : null,
        };
        if (result.Operation is not null and not "subscribe" and not "unsubscribe")
        {
            return null;
        }

        return result.Type is null && result.Operation is null && result.Auth is null ? null : result;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static List<string> Strings(JsonElement element, string name)
    {
        var list = new List<string>();
        if (element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } text)
                {
                    list.Add(text);
                }
            }
        }

        return list;
    }

    /// <summary>The L2 credentials of a user-channel subscription.</summary>
    internal sealed record Credentials(string? ApiKey, string? Secret, string? Passphrase)
    {
        public override string ToString() => $"Credentials {{ ApiKey = {ApiKey} }}";
    }
}
