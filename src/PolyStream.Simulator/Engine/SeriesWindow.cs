namespace PolyStream.Simulator.Engine;

/// <summary>One market's slot in a recurring series: the asset, the series name and the window it trades in.</summary>
/// <param name="Asset">The asset's index in <see cref="UniverseGenerator.SeriesAssets"/>.</param>
/// <param name="Series">The series name, e.g. <c>btc-updown-15m</c>.</param>
/// <param name="Start">When the window opens (the market lists).</param>
/// <param name="End">When the window closes (the market resolves and the next one lists).</param>
internal sealed record SeriesWindow(int Asset, string Series, DateTimeOffset Start, DateTimeOffset End);
