
namespace PolyStream.Cli.Tui;

/// <summary>A token the screens show, with a human label such as <c>btc-up · Yes</c>.</summary>
/// <param name="AssetId">The token id.</param>
/// <param name="Label">What the screens call it.</param>
internal sealed record WatchedAsset(string AssetId, string Label);
