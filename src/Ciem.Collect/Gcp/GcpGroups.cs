using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Collect.Gcp;

/// <summary>
/// The members of every Google group an allow policy names, from Cloud Identity: `GET /v1/groups:lookup?groupKey.id=`
/// gives the group's resource name, `GET /v1/groups/{id}/memberships?view=FULL` (every page) its direct members with
/// their type; a member group is read in turn (nested groups stay groups, resolved downstream with their path). The
/// result is the group-memberships file <c>GcpGroupReader</c> reads (`[{"group", "members": ["user:…"]}]`). All or
/// nothing: a group missing its members would read as one nobody is in.
/// </summary>
internal sealed class GcpGroups(RestJsonClient identity)
{
    /// <summary>Groups read at most: a guard against a membership graph that never ends.</summary>
    private const int MaxGroups = 10_000;

    public int Calls => identity.Calls;

    /// <exception cref="CollectException">a call that still fails after the retries.</exception>
    public async Task<RestPage> ReadAsync(GcpInventory inventory, CancellationToken cancellationToken)
    {
        var queue = new Queue<string>(inventory.Policies.SelectMany(p => p.Bindings).SelectMany(b => b.Members)
            .Where(m => m.StartsWith("group:", StringComparison.Ordinal)).Select(m => m["group:".Length..].ToLowerInvariant())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var seen = new HashSet<string>(queue, StringComparer.Ordinal);
        var file = new JsonArray();
        while (queue.Count > 0 && seen.Count <= MaxGroups)
        {
            var email = queue.Dequeue();
            var lookup = await identity.GetAsync($"v1/groups:lookup?groupKey.id={Uri.EscapeDataString(email)}", cancellationToken)
                .ConfigureAwait(false);
            string? name;
            using (var json = JsonDocument.Parse(lookup.Body)) { name = JsonAnswer.Str(json.RootElement, "name"); }
            if (name is null || !name.StartsWith("groups/", StringComparison.Ordinal) || name.Count(c => c == '/') != 1)
            {
                throw new CollectException(DiagnosticCodes.CollectCallFailed, $"cloud identity named no group for `{email}`");
            }
            var members = new JsonArray();
            var pages = await identity.TokenPagesAsync($"v1/{name}/memberships?view=FULL&pageSize=500", cancellationToken)
                .ConfigureAwait(false);
            foreach (var membership in RestJsonClient.Items(pages, "memberships"))
            {
                var id = membership.TryGetProperty("preferredMemberKey", out var key)
                    ? JsonAnswer.Str(key, "id")?.ToLowerInvariant()
                    : null;
                var prefix = JsonAnswer.Str(membership, "type") switch
                {
                    "USER" => "user:",
                    "SERVICE_ACCOUNT" => "serviceAccount:",
                    "GROUP" => "group:",
                    _ => null, // shared drives and other entities hold no GCP permission
                };
                if (id is null || prefix is null) { continue; }
                members.Add($"{prefix}{id}");
                if (prefix == "group:" && seen.Add(id)) { queue.Enqueue(id); }
            }
            file.Add(new JsonObject { ["group"] = $"group:{email}", ["members"] = members });
        }
        return new RestPage($"cloudidentity-api://{identity.Root.Authority}/v1/groups/memberships",
            JsonSerializer.SerializeToUtf8Bytes(file));
    }
}
