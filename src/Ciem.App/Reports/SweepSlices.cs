using Ciem.Core.Sweep;

namespace Ciem.App.Reports;

/// <summary>
/// Sorts a sweep's slices into the two families the reports chart: by identity kind and by environment. A slice
/// named `kind:NAME` or named like a kind (`human`, `service`, `role`, `service-linked`, `sso`) is a kind slice;
/// `all` (or `estate`) is the whole estate and is in neither; every other slice (`env:prod`, `prod`) is an environment.
/// </summary>
public static class SweepSlices
{
    private static readonly HashSet<string> KindNames = new(["human", "service", "role", "service-linked", "sso", "humans", "services", "roles"], StringComparer.OrdinalIgnoreCase);

    public static (IReadOnlyList<SweepSlice> Kinds, IReadOnlyList<SweepSlice> Environments) Split(IEnumerable<SweepSlice> slices)
    {
        var kinds = new List<SweepSlice>();
        var environments = new List<SweepSlice>();
        foreach (var s in slices)
        {
            if (IsWholeEstate(s.Name)) { continue; }
            if (s.Name.StartsWith("kind:", StringComparison.OrdinalIgnoreCase) || KindNames.Contains(s.Name)) { kinds.Add(s); }
            else { environments.Add(s); }
        }
        return (kinds, environments);
    }

    public static bool IsWholeEstate(string name) => name.Equals("all", StringComparison.OrdinalIgnoreCase) || name.Equals("estate", StringComparison.OrdinalIgnoreCase);
}
