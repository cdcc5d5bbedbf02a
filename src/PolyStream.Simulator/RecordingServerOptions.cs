
namespace PolyStream.Simulator;

/// <summary>Where a <see cref="RecordingServer"/> listens and what it replays.</summary>
public sealed record RecordingServerOptions
{
    /// <summary>The recording (folder or segment) to serve.</summary>
    public required string Recording { get; init; }

    /// <summary>The address to bind. Default 127.0.0.1.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one. Default 0.</summary>
    public int Port { get; init; }

    /// <summary>Pace relative to the recording (1 = original); <see cref="double.PositiveInfinity"/> sends as fast as the socket takes. Default 1.</summary>
    public double Speed { get; init; } = 1;
}
