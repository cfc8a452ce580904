using Ciem.Cli.Commands;
using Ciem.Core.Diagnostics;

namespace Ciem.Cli.Tests;

public sealed class StoreAccessTests
{
    [Fact]
    public void WriteDiagnostics_OneCodeRepeated_HidesNoOtherCodeAndCountsWhatIsLeftOut()
    {
        // Given 12 warnings of one code (unknown actions of a managed policy), then an error and a warning of two other codes
        using var cli = new CliRunner();
        var error = new StringWriter();
        List<Diagnostic> diagnostics = [.. Enumerable.Range(0, 12).Select(i => Diagnostic.Warning("CIEM1031", $"unknown action {i}"))];
        diagnostics.Add(Diagnostic.Error("CIEM1003", "unknown statement element `Bogus`"));
        diagnostics.Add(Diagnostic.Warning("CIEM3005", "policy not in the inventory"));

        // When at most 5 are written
        StoreAccess.WriteDiagnostics(cli.Host(new StringWriter(), error), diagnostics, max: 5);

        // Then the first three of the noisy code, the error and the other warning are written in their order, and the rest counted
        Assert.Equal([
            "warning CIEM1031: unknown action 0", "warning CIEM1031: unknown action 1", "warning CIEM1031: unknown action 2",
            "error CIEM1003: unknown statement element `Bogus`", "warning CIEM3005: policy not in the inventory",
            "… and 9 more diagnostics (CIEM1031 ×9)"], error.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void WriteDiagnostics_AtMostMax_AllInTheirOrder()
    {
        // Given four diagnostics of one code, the limit / When written
        using var cli = new CliRunner();
        var error = new StringWriter();
        StoreAccess.WriteDiagnostics(cli.Host(new StringWriter(), error),
            [.. Enumerable.Range(0, 4).Select(i => Diagnostic.Warning("CIEM1031", $"unknown action {i}"))], max: 4);

        // Then every one is written, and nothing said left out
        Assert.Equal(4, error.ToString().TrimEnd('\n').Split('\n').Length);
        Assert.DoesNotContain("more diagnostics", error.ToString(), StringComparison.Ordinal);
    }
}
