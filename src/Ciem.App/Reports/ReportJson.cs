using System.Text.Json;

namespace Ciem.App.Reports;

/// <summary>The JSON every output of ours is written with: camelCase, indented, ISO 8601 dates.</summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The same, one document per line (JSON Lines).</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };
}
