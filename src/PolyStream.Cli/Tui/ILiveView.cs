using Spectre.Console.Rendering;

namespace PolyStream.Cli.Tui;

/// <summary>A screen <see cref="LiveScreen"/> draws at its steady rate and passes the keys to.</summary>
internal interface ILiveView
{
    /// <summary>Whether the screen stands still (the last frame drawn stays) until unpaused.</summary>
    public bool Paused { get; set; }

    /// <summary>The frame, sized to the terminal.</summary>
    public IRenderable Render(TimeSpan uptime, double eventsPerSecond);

    /// <summary>Applies a key; <see langword="false"/> when it quits.</summary>
    public bool HandleKey(ConsoleKeyInfo key);
}
