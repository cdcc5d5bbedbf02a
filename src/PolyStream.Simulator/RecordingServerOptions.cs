using System.Globalization;
using System.Text;
using PolyStream.Protocol;
namespace PolyStream.Simulator;

/// <summary>Where a <see cref="RecordingServer"/> listens and what it replays.</summary>
public sealed record RecordingServerOptions
{
    /// <summary>The recording (folder or segment) to serve.</summary>
    public required string Recording { get; init; }

    /// <summary>The address to bind. Default 127.0.0.1; any other than loopback needs <see cref="AllowRemote"/> and <see cref="AccessToken"/>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one. Default 0.</summary>
    public int Port { get; init; }

    /// <summary>Pace relative to the recording (1 = original); <see cref="double.PositiveInfinity"/> sends as fast as the socket takes. Default 1.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Whether <see cref="Host"/> may be reachable from other machines. Default <see langword="false"/>: such a host is refused.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>A bearer token every request must carry, at least 16 characters; required off loopback. Default none.</summary>
    public string? AccessToken { get; init; }

    // The token is a secret: records print every property, so it is masked here.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Recording = {Recording}, Host = {Host}, Port = {Port}, Speed = {Speed}, AllowRemote = {AllowRemote}, AccessToken = {Redaction.Secret(AccessToken)}");
        return true;
    }
}
