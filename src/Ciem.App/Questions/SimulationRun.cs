using System.Text;
using Ciem.Core.Aws.Evaluation;
using Ciem.Import.Simulation;

namespace Ciem.App.Questions;

/// <summary>
/// `ciem aws simulate --input FILE`: evaluates self-contained requests (one JSON object, a JSON array, or JSON Lines)
/// and writes one JSON result per line, a block at a time (one write per 64 KB rather than one per request).
/// </summary>
public static class SimulationRun
{
    /// <param name="header">the first line written (the envelope's header line), when <paramref name="output"/> is given.</param>
    /// <param name="output">where the JSON lines go; null when only <paramref name="each"/> is wanted (a table instead).</param>
    /// <param name="each">every request's outcome, in order, invalid ones with their diagnostics.</param>
    public static SimulationStats Run(string path, string name, ResourcePatternMode mode, string? header, TextWriter? output,
        Action<SimulationOutput> each)
    {
        ArgumentNullException.ThrowIfNull(each);
        var options = new SimulationReadOptions(new CompiledPolicyCache(), mode);
        var pending = new StringBuilder(1 << 17);
        var chars = new char[4096];
        if (output is not null && header is not null) { pending.Append(header).Append('\n'); }
        SimulationStats stats;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            stats = new SimulationPipeline(options).Run(stream, name, o =>
            {
                each(o);
                if (output is null) { return; }
                var length = Encoding.UTF8.GetCharCount(o.Json.Span);
                if (chars.Length < length) { chars = new char[length * 2]; }
                Encoding.UTF8.GetChars(o.Json.Span, chars);
                pending.Append(chars, 0, length).Append('\n');
                if (pending.Length >= 1 << 16)
                {
                    output.Write(pending);
                    pending.Clear();
                }
            });
        }
        output?.Write(pending);
        return stats;
    }
}
