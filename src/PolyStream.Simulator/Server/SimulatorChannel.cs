
namespace PolyStream.Simulator.Server;

/// <summary>The WebSocket channel a connection is on.</summary>
public enum SimulatorChannel
{
    /// <summary><c>/ws/market</c>: public market data.</summary>
    Market,

    /// <summary><c>/ws/user</c>: the authenticated account's orders and trades.</summary>
    User,
}
