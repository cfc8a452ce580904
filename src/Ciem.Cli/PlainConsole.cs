using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ciem.Cli;

/// <summary>
/// The console when stdout is not a terminal (a pipe, a file, `--output`): tables are written without box drawing,
/// as aligned columns a script can cut, and everything else as the inner console writes it.
/// </summary>
internal sealed class PlainConsole(IAnsiConsole inner) : IAnsiConsole
{
    public Profile Profile => inner.Profile;

    public IAnsiConsoleCursor Cursor => inner.Cursor;

    public IAnsiConsoleInput Input => inner.Input;

    public IExclusivityMode ExclusivityMode => inner.ExclusivityMode;

    public RenderPipeline Pipeline => inner.Pipeline;

    public void Clear(bool home) => inner.Clear(home);

    public void WriteAnsi(Action<AnsiWriter> action) => inner.WriteAnsi(action);

    public void Write(IRenderable renderable)
    {
        if (renderable is Table table) { table.Border(TableBorder.None); }
        inner.Write(renderable);
    }
}

/// <summary>`--quiet`: only the lines that report an error reach stderr.</summary>
internal sealed class ErrorsOnlyWriter(TextWriter inner) : TextWriter
{
    private readonly System.Text.StringBuilder _line = new();

    public override System.Text.Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            var line = _line.ToString();
            _line.Clear();
            if (line.StartsWith("error", StringComparison.Ordinal)) { inner.WriteLine(line); }
            return;
        }
        _line.Append(value);
    }

    public override void Flush()
    {
        if (_line.Length > 0 && _line.ToString().StartsWith("error", StringComparison.Ordinal)) { inner.Write(_line.ToString()); }
        _line.Clear();
        inner.Flush();
    }
}
