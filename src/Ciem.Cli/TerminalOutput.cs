using System.Text;
using Ciem.Core.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ciem.Cli;

/// <summary>
/// stdout and stderr as the CLI writes them: every character goes through <see cref="ControlFilter"/>, so no value
/// printed — an identity name, an ARN from a log, a policy text — can carry an escape sequence or a control character
/// to the reader's terminal. Our own output holds none; JSON escapes them inside its strings.
/// </summary>
internal sealed class TerminalWriter(TextWriter inner) : TextWriter
{
    private readonly ControlFilter _filter = new(keepLineBreaks: true);
    private readonly StringBuilder _buffer = new();

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public TextWriter Inner => inner;

    public override void Write(char value)
    {
        _filter.Append(value, _buffer);
        Forward();
    }

    public override void Write(string? value)
    {
        if (value is null) { return; }
        foreach (var c in value) { _filter.Append(c, _buffer); }
        Forward();
    }

    public override void Write(char[] buffer, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        for (var i = index; i < index + count; i++) { _filter.Append(buffer[i], _buffer); }
        Forward();
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write(CoreNewLine);
    }

    public override void Flush() => inner.Flush();

    private void Forward()
    {
        if (_buffer.Length == 0) { return; }
        inner.Write(_buffer.ToString());
        _buffer.Clear();
    }
}

/// <summary>
/// The same filter for Spectre.Console: the text of every segment a table, a chart or a markup line renders is
/// cleaned, while Spectre's own styling (colours, which it emits as control codes of its own) is left alone.
/// </summary>
internal sealed class TerminalRenderHook : IRenderHook
{
    public IEnumerable<IRenderable> Process(RenderOptions options, IEnumerable<IRenderable> renderables) =>
        renderables.Select(r => (IRenderable)new Cleaned(r));

    private sealed class Cleaned(IRenderable inner) : IRenderable
    {
        public Measurement Measure(RenderOptions options, int maxWidth) => inner.Measure(options, maxWidth);

        public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) =>
            inner.Render(options, maxWidth).Select(s => s.IsControlCode || s.IsLineBreak || s.IsWhiteSpace
                ? s
                : new Segment(TerminalText.Output(s.Text), s.Style));
    }
}
