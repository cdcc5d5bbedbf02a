
namespace PolyStream.Tests.TestSupport;

/// <summary>One request a <see cref="FakeVenue"/> was sent: method, path, query, body and headers.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, string? Body, Dictionary<string, string> Headers);
