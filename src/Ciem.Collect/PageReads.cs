using Ciem.Core.Diagnostics;
using Ciem.Import;

namespace Ciem.Collect;

/// <summary>The file import's readers run over a collection's pages, their counts, diagnostics and sources added up.</summary>
internal sealed class PageReads
{
    public List<Diagnostic> Diagnostics { get; } = [];

    public List<string> Sources { get; } = [];

    public ImportCounts Counts { get; set; }

    /// <summary>One page through one reader, located at the call that gave it.</summary>
    public T Read<T>(RestPage page, Func<Stream, string, ImportResult<T>> reader)
    {
        using var stream = new MemoryStream(page.Body, writable: false);
        var result = reader(stream, page.Source);
        Counts += result.Counts;
        Diagnostics.AddRange(result.Diagnostics);
        Sources.Add(page.Source);
        return result.Value;
    }
}
