using Ciem.App.Iac;
using Spectre.Console;
using Xunit;

namespace Ciem.Cli.Tests;

/// <summary>
/// Hostile names through the CLI's real output paths (#13.4): stdout, stderr and the Spectre console strip escape
/// sequences and control characters, and `check --format markdown` keeps every finding visible.
/// </summary>
public sealed class InjectionTests : IDisposable
{
    private const string Hostile = "evil\u001b[2J\u001b]0;owned\u0007\rpassed [red]x[/] <!-- `tick`";

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Host_HostileValueOnEveryWritePath_NoEscapeOrControlReachesTheTerminal()
    {
        // Given a host writing to captured stdout and stderr
        using var output = new StringWriter();
        using var error = new StringWriter();
        var host = new CliHost(output, error, TimeProvider.System, _ => null);

        // When a hostile name is written through stdout, stderr, a markup line and a table
        host.Out.WriteLine($"identity {Hostile}");
        host.Error.Write("warning: ");
        host.Error.Write("\u001b");
        host.Error.WriteLine($"[31m{Hostile}");
        host.Console.MarkupLineInterpolated($"[bold]{Hostile}[/]");
        host.Console.Write(new Table().AddColumns("name").AddRow(Markup.Escape(Hostile)));

        // Then no escape, BEL or lone carriage return arrives, and the rest of the text is there, markup shown as text
        var all = output.ToString() + error.ToString();
        Assert.DoesNotContain('\u001b', all);
        Assert.DoesNotContain('\u0007', all);
        Assert.DoesNotContain('\r', all.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains("identity evilpassed [red]x[/] <!-- `tick`", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("warning: evilpassed [red]x[/]", error.ToString(), StringComparison.Ordinal);
        // (Spectre shows a lone carriage return as a line break: visible, it cannot overwrite what was printed)
        Assert.Equal(3, output.ToString().Split('\n').Count(l => l.Contains("passed [red]x[/] <!-- `tick`", StringComparison.Ordinal)));
    }
}
