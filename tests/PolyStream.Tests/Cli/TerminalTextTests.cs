using PolyStream.Cli;
using PolyStream.Cli.Commands;
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

    [Fact]
    public void StreamText_VenueStringWithAnEscapeSequence_NeverReachesTheTerminal()
    {
        var line = StreamCommand.Text(new MarketCreated { Market = "0xm", Slug = "rain\u001b[2J", Question = "\u001b]0;pwned\u0007Will it rain?" });

        Assert.DoesNotContain('\u001b', line);
        Assert.DoesNotContain('\u0007', line);
        Assert.Contains("Will it rain?", line, StringComparison.Ordinal);
    }
}
