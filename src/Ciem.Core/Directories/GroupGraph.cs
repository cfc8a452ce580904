using System.Collections.Immutable;

namespace Ciem.Core.Directories;

/// <summary>
/// Transitive group membership of one directory. <see cref="GroupsOf"/> answers, for a user, group or service
/// principal, every group it is in directly or through nested groups, each with the shortest path that puts it
/// there. Cycles (A ⊂ B ⊂ A, which Entra forbids but exports can still show) are safe: each group is visited once.
/// </summary>
public sealed class GroupGraph
{
    private readonly Dictionary<string, List<DirectoryGroup>> _parents = new(StringComparer.Ordinal);

    public GroupGraph(IEnumerable<DirectoryGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        foreach (var g in groups)
        {
            foreach (var m in g.Members)
            {
                if (!_parents.TryGetValue(m.Id, out var list)) { _parents[m.Id] = list = []; }
                if (!list.Contains(g)) { list.Add(g); }
            }
        }
    }

    /// <summary>
    /// Every group <paramref name="memberId"/> belongs to, breadth first, with its path: the groups from the one the
    /// member is directly in to the group itself (a direct membership has a path of one group).
    /// </summary>
    public ImmutableArray<GroupMembership> GroupsOf(string memberId)
    {
        ArgumentNullException.ThrowIfNull(memberId);
        var result = ImmutableArray.CreateBuilder<GroupMembership>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { memberId };
        var queue = new Queue<(string Id, ImmutableArray<DirectoryGroup> Path)>();
        queue.Enqueue((memberId, []));
        while (queue.Count > 0)
        {
            var (id, path) = queue.Dequeue();
            if (!_parents.TryGetValue(id, out var parents)) { continue; }
            foreach (var parent in parents.OrderBy(p => p.DisplayName, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal))
            {
                if (!visited.Add(parent.Id)) { continue; }
                var next = path.Add(parent);
                result.Add(new GroupMembership(parent, next));
                queue.Enqueue((parent.Id, next));
            }
        }
        return result.ToImmutable();
    }
}

/// <summary>A group a member is in, and the chain of groups (direct group first) that puts it there.</summary>
public sealed record GroupMembership(DirectoryGroup Group, ImmutableArray<DirectoryGroup> Path)
{
    public bool IsDirect => Path.Length == 1;
}
