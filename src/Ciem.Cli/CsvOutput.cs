using Ciem.App.Reports;

namespace Ciem.Cli;

/// <summary>`--format csv` for every list: the command's JSON list as <see cref="CsvTable"/> writes it.</summary>
public static class CsvOutput
{
    /// <summary>
    /// The CSV of a command's JSON list: <paramref name="run"/> writes its JSON (`--format json`) to a buffer, turned into CSV
    /// by <see cref="CsvTable.FromJson"/>. A command opts in by offering `CommonOptions.FormatWithCsv()` and calling this with its
    /// JSON path: one CSV, same rows as JSON.
    /// </summary>
    public static int ViaJson(CliHost host, Func<CliHost, int> run, string? property = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(run);
        var buffer = new StringWriter();
        var code = run(host.WithOutput(buffer));
        if (code is not (ExitCodes.Ok or ExitCodes.Findings)) { return code; }
        CsvTable.FromJson(host.Out, buffer.ToString(), property);
        return code;
    }
}
