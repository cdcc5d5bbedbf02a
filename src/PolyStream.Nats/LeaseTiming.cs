
namespace PolyStream.Nats;

/// <summary>
/// The lease clock derived from <see cref="NatsScaleOutOptions.LeasePeriod"/>, sized so a dead node's slots
/// are free and taken within one period: a lease lives 70 % of it (the lease bucket's age limit), is renewed
/// three times in that life, and the survivors look for free slots every tenth of the period.
/// </summary>
/// <param name="Ttl">The lease bucket's age limit: an unrenewed lease is gone after it.</param>
/// <param name="RenewEvery">How often held leases and the node's presence are renewed.</param>
/// <param name="CheckEvery">How often a node looks at the slots and balances.</param>
internal readonly record struct LeaseTiming(TimeSpan Ttl, TimeSpan RenewEvery, TimeSpan CheckEvery)
{
    public static LeaseTiming For(TimeSpan leasePeriod) =>
        new(leasePeriod * 0.7, leasePeriod * 0.7 / 3, leasePeriod / 10);

    /// <summary>
    /// How long after its last renewal a node still acts on a lease: short of the expiry by one check, so a
    /// node cut off from NATS stops publishing before anyone else can hold the slot.
    /// </summary>
    public TimeSpan TrustedFor => Ttl - CheckEvery;
}
