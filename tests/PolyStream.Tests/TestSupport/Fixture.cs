using System.Text;
using System.Text.Json;

namespace PolyStream.Tests.TestSupport;

/// <summary>Reads the test data copied into Fixtures/ (see Fixtures/README.md), so a fresh clone needs no ../shared.</summary>
internal static class Fixture
{
    public static string PathOf(string relativePath) =>
        Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath);

    public static byte[] Bytes(string relativePath) => File.ReadAllBytes(PathOf(relativePath));

    public static byte[] Sample(string name) => Bytes($"vectors/samples/{name}");

    public static JsonDocument Json(string relativePath) => JsonDocument.Parse(Bytes(relativePath));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
