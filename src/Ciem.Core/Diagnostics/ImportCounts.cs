namespace Ciem.Core.Diagnostics;

/// <summary>
/// What a reader did with the records it saw: <see cref="Imported"/> kept, <see cref="Skipped"/> dropped as
/// redundant (an identical duplicate, a file that failed as a whole), <see cref="Quarantined"/> bad and kept aside.
/// </summary>
public readonly record struct ImportCounts(int Imported, int Skipped, int Quarantined)
{
    public int Total => Imported + Skipped + Quarantined;

    public static ImportCounts operator +(ImportCounts a, ImportCounts b) =>
        new(a.Imported + b.Imported, a.Skipped + b.Skipped, a.Quarantined + b.Quarantined);

    public ImportCounts Add(ImportCounts other) => this + other;

    public override string ToString() => $"{Imported} imported, {Skipped} skipped, {Quarantined} quarantined";
}
