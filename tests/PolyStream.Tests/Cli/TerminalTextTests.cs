using System.Buffers;
using System.Text;
using PolyStream.Cli;
using PolyStream.Cli.Output;
using PolyStream.Events;

namespace PolyStream.Tests.Cli;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b]0;pwned\u0007Will it rain?", "?]0;pwned?Will it rain?")]
    [InlineData("a\u009b2Jb", "a?2Jb")]
    [InlineData("line\r\nbreak\tand\u007f", "line??break?and?")]
    [InlineData("left\u202Eright", "left?right")]
    [InlineData("Élection 2028 · Oui", "Élection 2028 · Oui")]
    public void Clean_ControlAndBidiCharacters_BecomeQuestionMarks(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Clean(text));

    [Theory]
    [InlineData("Will it rain tomorrow?", 10, false, "Will it r…")]
    [InlineData("btc-updown-15m-1796211000 · Up", 12, true, "…211000 · Up")]
    [InlineData("short", 10, false, "short")]
    public void Fit_LongerThanTheWidth_CutWithAnEllipsis(string text, int width, bool keepEnd, string expected) =>
        Assert.Equal(expected, TerminalText.Fit(text, width, keepEnd));

    [Fact]
    public void StreamText_VenueStringWithAnEscapeSequence_NeverReachesTheTerminal()
    {
        var output = new ArrayBufferWriter<byte>();

        new EventTextFormat().Write(new MarketCreated { Market = "0xm", Slug = "rain\u001b[2J", Question = "\u001b]0;pwned\u0007Will it rain?" }, output);

        var line = Encoding.UTF8.GetString(output.WrittenSpan);

        Assert.DoesNotContain('\u001b', line);
        Assert.DoesNotContain('\u0007', line);
        Assert.Contains("Will it rain?", line, StringComparison.Ordinal);
    }

    [Fact]
    public void StreamText_TokenIdWithAnEscapeSequence_NeverReachesTheTerminal()
    {
        var output = new ArrayBufferWriter<byte>();

        new EventTextFormat().Write(new Lagged { AssetId = "1\u001b[2J", Count = 1 }, output);

        Assert.StartsWith("lagged               1?[2J ", Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
    }
}
