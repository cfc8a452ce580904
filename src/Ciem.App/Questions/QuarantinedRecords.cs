using Ciem.Core.Diagnostics;
using static Ciem.App.Reports.ReportFormat;

namespace Ciem.App.Questions;

/// <summary>
/// What an estate leaves out: the records the imports of its current snapshots quarantined. A question answered from
/// such an estate says so, since a principal or a policy among them cannot appear in the answer (a path through a role
/// whose trust policy was not JSON, for instance, is not found rather than reported).
/// </summary>
public static class QuarantinedRecords
{
    /// <summary>One warning per import of <paramref name="provider"/>'s current snapshots that quarantined records.</summary>
    public static IEnumerable<QuestionWarning> Warnings(CiemSession session, string provider)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.StoreExists) { return []; }
        // Every snapshot an import writes carries that import's counts: one warning per import, naming the scopes it wrote.
        return session.Store.ListSnapshots()
            .Where(s => s.IsCurrent && s.Provider == provider && s.Counts.Quarantined > 0)
            .GroupBy(s => (s.ImportedAt, Files: Files(s.SourceFiles), s.Counts.Quarantined))
            .OrderBy(g => g.Key.ImportedAt)
            .Select(g => new QuestionWarning(DiagnosticCodes.ImportQuarantinedNotInEstate,
                $"{N(g.Key.Quarantined)} record(s) quarantined by the import of {g.Key.Files} ({Stamp(g.Key.ImportedAt)} UTC) are "
                + $"not in the estate of {string.Join(", ", g.Select(s => $"`{s.Scope}`").Distinct())}: what they hold is not in "
                + "this answer (the import named each record; fix the export and import it again)"));
    }

    /// <summary>The import's files, the first three named.</summary>
    private static string Files(IReadOnlyList<string> files) =>
        string.Join(", ", files.Take(3).Select(f => $"`{f}`")) + (files.Count > 3 ? $" and {N(files.Count - 3)} more file(s)" : "");
}
