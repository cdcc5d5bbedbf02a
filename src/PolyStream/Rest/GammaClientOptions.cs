
namespace PolyStream.Rest;

/// <summary>Where <see cref="GammaClient"/> finds Gamma and how it pages.</summary>
public sealed record GammaClientOptions
{
    /// <summary>The production Gamma host.</summary>
    public static Uri ProductionHost { get; } = new("https://gamma-api.polymarket.com/");

    /// <summary>The Gamma host. Default <see cref="ProductionHost"/>.</summary>
    public Uri Host { get; init; } = ProductionHost;

    /// <summary>Markets per page when listing or searching. Default 500.</summary>
    public int PageSize { get; init; } = 500;

    // Internal with the CLOB client whose settings these are: the CLI and the tests set them; a library user gets the defaults.
    /// <summary>Timeouts, retries, rate limiting and the clock, shared with the CLOB client's settings.</summary>
    internal ClobClientOptions Transport { get; init; } = new();
}
