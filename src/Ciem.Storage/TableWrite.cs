using System.Collections.Immutable;

namespace Ciem.Storage;

/// <summary>How a merged column combines the stored value with the incoming one.</summary>
internal enum MergeFold
{
    Sum,
    Min,
    Max,
}

/// <summary>
/// Many rows for one table, as each backend writes them fastest (SQLite: one prepared statement; PostgreSQL: binary
/// COPY). Plain rows are inserted; <see cref="IgnoreConflicts"/> drops a row that meets a unique key already stored;
/// <see cref="Keys"/> merges a row into the stored one with the same keys, column by column (<see cref="Merges"/>).
/// </summary>
internal sealed record TableWrite(string Table, ImmutableArray<string> Columns)
{
    public bool IgnoreConflicts { get; init; }

    public ImmutableArray<string> Keys { get; init; } = [];

    public ImmutableArray<(string Column, MergeFold Fold)> Merges { get; init; } = [];

    public static TableWrite Insert(string table, params string[] columns) => new(table, [.. columns]);

    public TableWrite OrIgnore() => this with { IgnoreConflicts = true };

    public TableWrite MergeOn(string[] keys, params (string Column, MergeFold Fold)[] merges) =>
        this with { Keys = [.. keys], Merges = [.. merges] };

    /// <summary>The <c>ON CONFLICT</c> clause (empty for plain inserts), with the backend's two-value min and max.</summary>
    public string ConflictClause(string least, string greatest)
    {
        if (IgnoreConflicts) { return " ON CONFLICT DO NOTHING"; }
        if (Keys.IsEmpty) { return ""; }
        var sets = Merges.Select(m => m.Fold switch
        {
            MergeFold.Sum => $"{m.Column} = {Table}.{m.Column} + excluded.{m.Column}",
            MergeFold.Min => $"{m.Column} = {least}({Table}.{m.Column}, excluded.{m.Column})",
            _ => $"{m.Column} = {greatest}({Table}.{m.Column}, excluded.{m.Column})",
        });
        return $" ON CONFLICT ({string.Join(", ", Keys)}) DO UPDATE SET {string.Join(", ", sets)}";
    }
}

/// <summary>Writes the rows of one <see cref="TableWrite"/>; every row is written once the writer is disposed.</summary>
internal interface IRowWriter : IDisposable
{
    /// <summary>One row, values in the order of the columns.</summary>
    void Add(params object?[] values);
}
