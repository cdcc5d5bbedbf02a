using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>A match on a tracked token (<c>last_trade_price</c>); the book change itself arrives as a separate delta.</summary>
public sealed record LastTradeReceived : BookStateEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.LastTrade;

    /// <summary>The market's condition id.</summary>
    public required string Market { get; init; }

    /// <summary>The trade price as sent.</summary>
    public ExactDecimal Price { get; init; }

    /// <summary>The traded size.</summary>
    public ExactDecimal Size { get; init; }

    /// <summary>The taker's side.</summary>
    public Side Side { get; init; }

    /// <summary>The fee rate in basis points as sent (may be empty).</summary>
    public string FeeRateBps { get; init; } = string.Empty;

    /// <summary>The settlement transaction hash, or empty when not known yet.</summary>
    public string TransactionHash { get; init; } = string.Empty;

    /// <summary>Unix milliseconds of the trade, as the venue stamped it.</summary>
    public long? Timestamp { get; init; }

    /// <summary>
    /// The hash of the book after the trade, computed from the live book when the engine was asked to
    /// (<see cref="Engine.BookEngineOptions.HashTrades"/>), with its hash version; empty otherwise, or when
    /// <see cref="BookStateEvent.Book"/> is a cleaned view (its contents are not the book's).
    /// </summary>
    public BookHash Hash { get; init; }
}
