using System.Collections.Immutable;
using Ciem.Core.Diagnostics;

namespace Ciem.Import;

/// <summary>A bad record kept aside: where it was, why, and its JSON text as found.</summary>
public sealed record QuarantinedRecord(SourceLocation Location, string Code, string Json);

/// <summary>What a reader returns: the value, every diagnostic, counts, the quarantined records and the files read.</summary>
public sealed record ImportResult<T>(
    T Value,
    DiagnosticBag Diagnostics,
    ImportCounts Counts,
    ImmutableArray<QuarantinedRecord> Quarantine,
    ImmutableArray<string> SourceFiles);
