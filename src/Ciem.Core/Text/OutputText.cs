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
        foreach (var c in ControlFilter.Apply(value, keepLineBreaks: false))
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
    /// One of our own messages that quotes values in backticks (a finding, a reason, a note), for a table cell or a
    /// line: control characters become spaces, `&amp;` `&lt;` `&gt;` entities (no HTML, no `&lt;!--` that hides the rest of
    /// the comment) and `|` escaped (no cell or row of its own). Backticks stay, so the quoted values read as code.
    /// </summary>
    public static string Message(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in ControlFilter.Apply(value, keepLineBreaks: false))
        {
            sb.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '|' => "\\|", _ => c.ToString() });
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
        var text = ControlFilter.Apply(value, keepLineBreaks: false);
        if (inTable) { text = text.Replace("|", "\\|", StringComparison.Ordinal); }
        var longest = 0;
        for (int i = 0, run = 0; i < text.Length; i++)
        {
            run = text[i] == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        var fence = new string('`', longest + 1);
        if (text.Length == 0) { return fence + " " + fence; }
        // A space on each side when the value begins or ends with a backtick (CommonMark strips one such space).
        var pad = text.StartsWith('`') || text.EndsWith('`') ? " " : "";
        return fence + pad + text + pad + fence;
    }
}

/// <summary>A value in a git commit message: one line, no control characters (a newline would forge a trailer or a line).</summary>
public static class CommitText
{
    public static string Line(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ControlFilter.Apply(value, keepLineBreaks: false);
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
        return ControlFilter.Apply(value, keepLineBreaks: false);
    }

    /// <summary>Whole lines of output: line feeds and tabs stay; a carriage return stays only before a line feed.</summary>
    public static string Output(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ControlFilter.Apply(text, keepLineBreaks: true);
    }
}

/// <summary>
/// The characters of a text as shown, fed one at a time (a stream may split an escape sequence across writes):
/// ANSI/VT escape sequences are skipped whole — CSI (`ESC [` or C1 CSI, up to its final byte) and strings (OSC, DCS,
/// APC, PM, SOS, up to BEL or ST, and never past a line feed, so an unterminated one cannot swallow the lines after
/// it) — and every other C0, DEL and C1 character and the bidirectional overrides are dropped. Line feeds and tabs are
/// kept, or become spaces; a carriage return is kept only right before a line feed.
/// </summary>
public sealed class ControlFilter(bool keepLineBreaks)
{
    private enum State { Text, Escape, Csi, String, StringEscape }

    private State _state;
    private bool _pendingCr;

    /// <summary>The longest escape sequence skipped; what follows a longer one is text again.</summary>
    private const int MaxSequence = 256;

    private int _length;

    /// <summary>C0, DEL, C1, and the bidirectional embeddings, overrides and isolates.</summary>
    public static bool IsHidden(char c) =>
        c < ' ' || c is >= '\u007f' and <= '\u009f' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069';

    /// <summary>Whether <paramref name="text"/> holds anything this filter would change.</summary>
    public bool WouldChange(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (IsHidden(c) && !(keepLineBreaks && c is '\n' or '\t' or '\r')) { return true; }
        }
        return keepLineBreaks && text.Contains('\r', StringComparison.Ordinal);
    }

    /// <summary>The filtered text of one whole value.</summary>
    public static string Apply(string text, bool keepLineBreaks)
    {
        ArgumentNullException.ThrowIfNull(text);
        var filter = new ControlFilter(keepLineBreaks);
        if (!filter.WouldChange(text)) { return text; }
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) { filter.Append(c, sb); }
        return sb.ToString();
    }

    /// <summary>Feeds one character; what is shown of it (nothing, itself, a space, or a held-back `\r`) goes to <paramref name="output"/>.</summary>
    public void Append(char c, StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_state != State.Text)
        {
            if (c == '\n' || ++_length > MaxSequence) { _state = State.Text; }
            else
            {
                _state = (_state, c) switch
                {
                    (State.Escape, '[') => State.Csi,
                    (State.Escape, ']' or 'P' or '_' or '^' or 'X') => State.String,
                    (State.Escape, _) => State.Text,
                    (State.Csi, >= ' ' and <= '?') => State.Csi,
                    (State.Csi, _) => State.Text,
                    (State.String, '\u0007' or '\u009c') => State.Text,
                    (State.String, '\u001b') => State.StringEscape,
                    (State.String, _) => State.String,
                    (State.StringEscape, '\\') => State.Text,
                    _ => State.String,
                };
                return;
            }
        }
        if (_pendingCr)
        {
            _pendingCr = false;
            if (c == '\n' && keepLineBreaks) { output.Append('\r'); }
            else if (!keepLineBreaks && c != '\n') { output.Append(' '); }
        }
        switch (c)
        {
            case '\u001b': Begin(State.Escape); return;
            case '\u009b': Begin(State.Csi); return;
            case '\u0090' or '\u009d' or '\u009e' or '\u009f' or '\u0098': Begin(State.String); return;
            case '\r': _pendingCr = true; return;
            case '\n' or '\t': output.Append(keepLineBreaks ? c : ' '); return;
            default:
                if (!IsHidden(c)) { output.Append(c); }
                return;
        }
    }

    private void Begin(State state)
    {
        _state = state;
        _length = 0;
    }
}
