using System.Net;
using System.Net.Sockets;

namespace PolyStream.TestSupport;

/// <summary>Loopback plumbing shared by tests that start servers or need a port nothing listens on.</summary>
internal static class Loopback
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
