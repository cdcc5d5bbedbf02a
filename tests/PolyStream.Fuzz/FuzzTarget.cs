namespace PolyStream.Fuzz;

/// <summary>One input surface: its seed corpus, a fresh consumer of inputs, and the only exceptions bad input may raise.</summary>
/// <param name="Name">The name given to <c>--target</c>.</param>
/// <param name="Surface">What the target feeds, for the report.</param>
/// <param name="Corpus">Builds the seed corpus from the corpus folder.</param>
/// <param name="Create">A fresh consumer; it may keep state across inputs, as the real reader does.</param>
/// <param name="Allowed">The documented failure types; anything else is a finding.</param>
internal sealed record FuzzTarget(string Name, string Surface, Func<string, List<byte[]>> Corpus, Func<Action<byte[]>> Create, IReadOnlyList<Type> Allowed);
