using System.ComponentModel;
using System.Globalization;
using PolyStream.Universe;

namespace PolyStream.Cli.Daemon;

/// <summary>
/// Key <c>PolyStream:Universe</c>: follow every active market, <c>"all"</c>, or those passing a filter object whose
/// every set criterion must hold (docs/daemon.md). <c>Assets</c> and <c>Markets</c> add fixed tokens on top.
/// </summary>
[TypeConverter(typeof(AllConverter))]
internal sealed class UniverseSettings
{
    /// <summary>Text the slug or question contains (case-insensitive); none when empty.</summary>
    public string? Text { get; set; }

    /// <summary>A Gamma tag slug or label the market carries; none when empty.</summary>
    public string? Tag { get; set; }

    /// <summary>Only neg-risk markets (true) or only the others (false); either when unset.</summary>
    public bool? NegRisk { get; set; }

    /// <summary>The least volume Gamma gives; unset follows markets without one too.</summary>
    public decimal? MinVolume { get; set; }

    /// <summary>The least liquidity Gamma gives; unset follows markets without one too.</summary>
    public decimal? MinLiquidity { get; set; }

    /// <summary>The library's filter.</summary>
    public UniverseFilter ToFilter() => new()
    {
        Text = string.IsNullOrWhiteSpace(Text) ? null : Text,
        Tag = string.IsNullOrWhiteSpace(Tag) ? null : Tag,
        NegRisk = NegRisk,
        MinVolume = MinVolume,
        MinLiquidity = MinLiquidity,
    };

    /// <summary>The first value that cannot be used, as one sentence; <see langword="null"/> when all can.</summary>
    public string? Problem() => (MinVolume, MinLiquidity) switch
    {
        ( < 0, _) => $"PolyStream:Universe:MinVolume must be 0 or more, not {MinVolume}.",
        (_, < 0) => $"PolyStream:Universe:MinLiquidity must be 0 or more, not {MinLiquidity}.",
        _ => null,
    };

    /// <summary>Whether <paramref name="word"/> is <c>all</c> (any case, spaces around it allowed).</summary>
    public static bool IsAll(string word) => word.Trim().Equals("all", StringComparison.OrdinalIgnoreCase);

    /// <summary>Lets the configuration binder read <c>"Universe": "all"</c> as a filter without criteria.</summary>
    private sealed class AllConverter : TypeConverter
    {
        public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

        public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
            value is string word && IsAll(word) ? new UniverseSettings() : throw new FormatException("PolyStream:Universe must be \"all\" or a filter object.");
    }
}
