using System.Collections.Immutable;

namespace Ciem.Core.Aws.Usage;

/// <summary>
/// The tab-separated curated tables embedded in Core (<c>cloudtrail-action-overrides.tsv</c>,
/// <c>cloudtrail-coverage-rules.tsv</c>): `#` comments, one header line, then rows of a fixed number of fields whose
/// last is a non-empty reason. They are our own artefacts, so a bad row throws, naming the file and line.
/// </summary>
internal static class CuratedTable
{
    public static ImmutableArray<T> Load<T>(string resourceName, Func<TextReader, ImmutableArray<T>> parse)
    {
        using var stream = typeof(CuratedTable).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded resource `{resourceName}` is missing from Ciem.Core");
        using var reader = new StreamReader(stream);
        return parse(reader);
    }

    /// <summary>Parses each data row with <paramref name="row"/>, which returns null for a row it rejects.</summary>
    public static ImmutableArray<T> Parse<T>(TextReader reader, string file, string header, string expected, Func<string[], T?> row) where T : class
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = ImmutableArray.CreateBuilder<T>();
        var columns = header.Split('\t').Length;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#' || line == header) { continue; }
            var fields = line.Split('\t');
            var parsed = fields.Length == columns && fields[^1].Length > 0 ? row(fields) : null;
            rows.Add(parsed ?? throw new InvalidDataException($"{file} line {lineNumber}: expected `{expected}`"));
        }
        return rows.ToImmutable();
    }
}
