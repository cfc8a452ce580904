using System.Text;

namespace Ciem.Core.Text;

/// <summary>
/// The one escaper per output format for values that came from an export, a log or a pull request (identity names,
/// ARNs, policy text). Names are attacker-controlled: a carriage return, `&lt;!--`, a backtick or `ESC[2J` in a role
/// name must not hide a finding, fake a "passed", or drive the reader's terminal. HCL has its own: <see cref="HclText"/>.
/// </summary>
public static class MarkdownText
{
    /// <summary>
    /// A value as GitHub-flavoured Markdown text (a paragraph, a list item or a table cell): every control character,
    /// line break included, becomes a space (one value stays on its line and in its cell); `&amp;`, `&lt;` and `&gt;`
    /// become entities (no HTML, no `&lt;!--` comment that hides what follows); CommonMark punctuation that can start
    /// markup, and `|`, get a backslash.
    /// </summary>
    public static string Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in OutputChars.Visible(value, keepLineBreaks: false))
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '-' or '!' or '~' or '|':
                    sb.Append('\\').Append(c);
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// A value as an inline code span: fenced by one backtick more than its longest run of backticks (so a backtick in
    /// the value cannot close it), control characters as spaces; in a table cell `|` is escaped, which GitHub removes
    /// again inside code. Nothing inside a code span is HTML, so `&lt;!--` shows as text.
    /// </summary>
    public static string Code(string value, bool inTable = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new string([.. OutputChars.Visible(value, keepLineBreaks: false)]);
        if (inTable) { text = text.Replace("|", "\\|", StringComparison.Ordinal); }
        var longest = 0;
        for (int i = 0, run = 0; i < text.Length; i++)
        {
            run = text[i] == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        var fence = new string('`', longest + 1);
        // A space on each side when the value begins or ends with a backtick (CommonMark strips one such space).
        var pad = text.StartsWith('`') || text.EndsWith('`') || text.Length == 0 ? " " : "";
        return fence + pad + text + pad + fence;
    }
}

/// <summary>A value in a git commit message: one line, no control characters (a newline would forge a trailer or a line).</summary>
public static class CommitText
{
    public static string Line(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new string([.. OutputChars.Visible(value, keepLineBreaks: false)]);
    }
}

/// <summary>
/// Text for a terminal: ANSI/VT escape sequences (CSI `ESC[…`, OSC `ESC]…BEL`, two-character `ESC x`) and every other
/// C0 and C1 control character removed, and the bidirectional overrides that reorder what is shown.
/// </summary>
public static class TerminalText
{
    /// <summary>One untrusted value: line breaks and tabs become spaces as well.</summary>
    public static string Value(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return NeedsCleaning(value, keepLineBreaks: false) ? new string([.. OutputChars.Visible(value, keepLineBreaks: false)]) : value;
    }

    /// <summary>Whole lines of output: line feeds and tabs stay; a carriage return stays only before a line feed.</summary>
    public static string Output(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return NeedsCleaning(text, keepLineBreaks: true) ? new string([.. OutputChars.Visible(text, keepLineBreaks: true)]) : text;
    }

    private static bool NeedsCleaning(string text, bool keepLineBreaks)
    {
        foreach (var c in text)
        {
            if (OutputChars.IsHidden(c) && !(keepLineBreaks && c is '\n' or '\t' or '\r')) { return true; }
        }
        return false;
    }
}

/// <summary>The characters every escaper drops or turns into spaces.</summary>
internal static class OutputChars
{
    /// <summary>C0, DEL, C1, and the bidirectional embeddings, overrides and isolates.</summary>
    public static bool IsHidden(char c) =>
        c < ' ' || c is >= '\u007f' and <= '\u009f' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069';

    /// <summary>
    /// The characters of <paramref name="text"/> as shown: escape sequences skipped whole, other hidden characters
    /// dropped, line breaks and tabs kept (<paramref name="keepLineBreaks"/>) or turned into one space each.
    /// </summary>
    public static IEnumerable<char> Visible(string text, bool keepLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\u001b' or '\u009b' or '\u009d')
            {
                i = SkipSequence(text, i) - 1;
                continue;
            }
            if (c is '\n' or '\t' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
            {
                if (keepLineBreaks) { yield return c; }
                else if (c != '\r') { yield return ' '; }
                continue;
            }
            if (c == '\r') { if (!keepLineBreaks) { yield return ' '; } continue; }
            if (IsHidden(c)) { continue; }
            yield return c;
        }
    }

    /// <summary>The index after the escape sequence starting at <paramref name="start"/> (ECMA-48 CSI and OSC forms).</summary>
    private static int SkipSequence(string text, int start)
    {
        var i = start + 1;
        var kind = text[start] == '\u001b' ? (i < text.Length ? text[i++] : '\0') : text[start] == '\u009b' ? '[' : ']';
        if (kind == '[')
        {
            // Parameter and intermediate bytes (0x20–0x3F), then one final byte (0x40–0x7E).
            while (i < text.Length && text[i] is >= ' ' and <= '?') { i++; }
            return i < text.Length && text[i] is >= '@' and <= '~' ? i + 1 : i;
        }
        if (kind is ']' or 'P' or '_' or '^' or 'X')
        {
            // A string up to BEL or ST (`ESC \`, or C1 ST); unterminated, it runs to the end.
            while (i < text.Length)
            {
                if (text[i] is '\u0007' or '\u009c') { return i + 1; }
                if (text[i] == '\u001b' && i + 1 < text.Length && text[i + 1] == '\\') { return i + 2; }
                i++;
            }
            return i;
        }
        // ESC followed by one character (ESC c resets the terminal); a lone ESC at the end is dropped.
        return i;
    }
}
