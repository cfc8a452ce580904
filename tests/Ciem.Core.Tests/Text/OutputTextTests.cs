using System.Text;
using Ciem.Core.Text;
using Xunit;

namespace Ciem.Core.Tests.Text;

/// <summary>
/// Hostile names in every output format (#13.4): a carriage return, `&lt;!--`, backticks, `ESC[2J` and Spectre markup
/// must neither hide what follows nor reach the reader's terminal.
/// </summary>
public sealed class OutputTextTests
{
    private const string Esc = "\u001b";

    [Theory]
    [InlineData("etl", "`etl`")]
    [InlineData("a`b", "``a`b``")]
    [InlineData("`x", "`` `x ``")]
    [InlineData("a``b`", "``` a``b` ```")]
    [InlineData("role\r\n| pass |", "`role | pass |`")]
    [InlineData("<!-- hide", "`<!-- hide`")]
    [InlineData("x\u001b[2Jy", "`xy`")]
    [InlineData("", "` `")]
    public void Code_HostileValue_OneSpanOnOneLine(string value, string expected) => Assert.Equal(expected, MarkdownText.Code(value));

    [Fact]
    public void Code_InTable_PipeEscaped()
    {
        // A pipe would split the cell (GitHub removes the backslash again inside the code span)
        Assert.Equal("`a\\|b`", MarkdownText.Code("a|b", inTable: true));
        Assert.Equal("`a|b`", MarkdownText.Code("a|b"));
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("x\r<!-- all passed -->", "x &lt;\\!\\-\\- all passed \\-\\-&gt;")]
    [InlineData("`code` *b* [l](u) | c", "\\`code\\` \\*b\\* \\[l\\]\\(u\\) \\| c")]
    [InlineData("a\nb\tc", "a b c")]
    [InlineData("[red]x[/]", "\\[red\\]x\\[/\\]")]
    [InlineData("<details>&amp;", "&lt;details&gt;&amp;amp;")]
    public void Text_HostileValue_NoMarkupNoHtmlOneLine(string value, string expected) => Assert.Equal(expected, MarkdownText.Text(value));

    [Theory]
    [InlineData("grants `iam:*` to `etl`", "grants `iam:*` to `etl`")]
    [InlineData("grants `x\r\n<!--` | hidden", "grants `x &lt;!--` \\| hidden")]
    [InlineData("a > b & c", "a &gt; b &amp; c")]
    public void Message_OurMessageWithHostileValue_CodeKeptHtmlAndRowsNeutralised(string value, string expected) =>
        Assert.Equal(expected, MarkdownText.Message(value));

    [Theory]
    [InlineData("etl", "etl")]
    [InlineData("etl\nSigned-off-by: attacker", "etl Signed-off-by: attacker")]
    [InlineData("a\r\nb", "a b")]
    [InlineData("x" + Esc + "[31mred" + Esc + "[0m", "xred")]
    [InlineData("a\u202eb", "ab")]
    public void CommitLine_HostileValue_OneLineNoControls(string value, string expected) => Assert.Equal(expected, CommitText.Line(value));

    [Theory]
    [InlineData("etl", "etl")]
    [InlineData("x" + Esc + "[2Jy", "xy")]
    [InlineData("x" + Esc + "[38;5;196mred", "xred")]
    [InlineData("\u009b2Jx", "x")]
    [InlineData("t" + Esc + "]0;owned\u0007itle", "title")]
    [InlineData("t" + Esc + "]8;;http://evil" + Esc + "\\link", "tlink")]
    [InlineData("passed\rFAILED", "passed FAILED")]
    [InlineData("a\u0000b\u0007c\u007fd\u0085e", "abcde")]
    [InlineData("[red]x[/]", "[red]x[/]")]
    [InlineData("r\u202etxt.exe", "rtxt.exe")]
    [InlineData("x" + Esc, "x")]
    public void TerminalValue_HostileValue_NoSequenceNoControl(string value, string expected) => Assert.Equal(expected, TerminalText.Value(value));

    [Theory]
    [InlineData("line 1\nline 2\n", "line 1\nline 2\n")]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n")]
    [InlineData("finding: x\rpassed\n", "finding: xpassed\n")]
    [InlineData("a" + Esc + "]0;no end\nnext line\n", "a\nnext line\n")]
    [InlineData("col\tcol\n", "col\tcol\n")]
    public void TerminalOutput_Lines_LineBreaksKeptSequencesGone(string text, string expected) => Assert.Equal(expected, TerminalText.Output(text));

    [Fact]
    public void ControlFilter_SequenceSplitAcrossWrites_StillRemoved()
    {
        // Given a stream that receives ESC and the rest of `ESC[2J` in separate writes
        var filter = new ControlFilter(keepLineBreaks: true);
        var shown = new StringBuilder();

        // When both parts are fed
        foreach (var c in "a" + Esc) { filter.Append(c, shown); }
        foreach (var c in "[2Jb\n") { filter.Append(c, shown); }

        // Then only the text is shown
        Assert.Equal("ab\n", shown.ToString());
    }

    [Fact]
    public void ControlFilter_OverlongSequence_TextAfterItShown()
    {
        // An unterminated string sequence stops after 256 characters: what follows is not swallowed
        var text = Esc + "]" + new string('x', 300) + "visible";
        Assert.EndsWith("visible", TerminalText.Value(text), StringComparison.Ordinal);
    }
}
