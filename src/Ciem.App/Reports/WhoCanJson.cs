using Ciem.App.Questions;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Model;
using Ciem.Core.Paths;

namespace Ciem.App.Reports;

/// <summary>
/// The `--format json` documents of `ciem who-can`: `who-can` (AWS), `who-can-azure`, `who-can-gcp` and, with `--transitive`,
/// `who-can-transitive` (AWS attack paths, or the multi-cloud graph for Azure and GCP); one row per identity with what allows it.
/// </summary>
public static class WhoCanJson
{
    /// <summary>The document's name and body for the answer as asked (<paramref name="transitive"/>: `--transitive`).</summary>
    public static (string Name, object Body) Of(WhoCanAnswer answer, bool transitive)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return transitive && answer.Provider is Provider.AzureName or Provider.GcpName ? ("who-can-transitive", CloudTransitive(answer))
            : transitive ? ("who-can-transitive", AwsTransitive(answer))
            : answer.Provider == Provider.AzureName ? ("who-can-azure", Azure(answer))
            : answer.Provider == Provider.GcpName ? ("who-can-gcp", Gcp(answer))
            : ("who-can", Aws(answer));
    }

    private static object Aws(WhoCanAnswer answer) => answer.Aws.Select(h => new
    {
        identity = h.Who.Identity.Id,
        kind = IdentityKindNames.Of(h.Who.Identity.Kind),
        decision = h.Result.Decision.ToString(),
        conditional = h.Result.IsConditional,
        allowedWhen = h.Result.IsConditional ? h.Result.Conditions.Select(c => c.Describe()).ToArray() : [],
        statements = h.Result.Statements.Select(s => new { policy = s.Policy, layer = SimulationWriter.LayerName(s.Layer),
            statement = s.Statement, sid = s.Sid }),
    });

    private static object AwsTransitive(WhoCanAnswer answer) => answer.AwsPaths.Select(h => new
    {
        identity = h.Who.Identity.Id,
        kind = IdentityKindNames.Of(h.Who.Identity.Kind),
        direct = h.Direct.Decision.ToString(),
        hops = AttackPaths.CountedHops(h.Path),
        certainty = PathJson.CertaintyName(h.Path.Certainty),
        path = PathJson.Aws(h.Path),
    });

    private static object CloudTransitive(WhoCanAnswer answer) => answer.CloudPaths.Select(h => new
    {
        provider = h.Identity.Provider,
        identity = h.Identity.Id,
        name = h.Identity.Name,
        direct = h.Path.Steps.IsEmpty,
        viaAdministrator = h.ViaAdministrator,
        hops = h.Path.Hops,
        certainty = PathJson.CertaintyName(h.Certainty),
        path = PathJson.Cloud(h.Path),
    });

    private static object Azure(WhoCanAnswer answer) => answer.Azure.Select(h => new
    {
        provider = Provider.AzureName,
        identity = h.Principal.Id,
        name = h.Principal.Name,
        kind = h.Principal.Type,
        decision = h.Result.Decision.ToString(),
        deciding = h.Result.Deciding.Select(CloudExplanations.Json),
    });

    private static object Gcp(WhoCanAnswer answer) => answer.Gcp.Select(h => new
    {
        provider = Provider.GcpName,
        identity = h.Member,
        decision = h.Result.Decision.ToString(),
        isPublic = h.Result.IsPublic,
        bindings = h.Result.Bindings.Select(CloudExplanations.Json),
    });
}
