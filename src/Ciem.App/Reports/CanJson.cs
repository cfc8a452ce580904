using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.App.Questions;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Model;

namespace Ciem.App.Reports;

/// <summary>
/// The `--format json` documents of `ciem can`: `ciem.can/1` (AWS: the `ciem aws simulate` result of the request, with the
/// context keys the answer depends on and the resource account assumed), `ciem.can-azure/1` and `ciem.can-gcp/1`.
/// </summary>
public static class CanJson
{
    public static JsonObject Aws(AwsCanAnswer a)
    {
        ArgumentNullException.ThrowIfNull(a);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) { SimulationWriter.Write(w, a.Who.Identity.Id, a.Result, []); }
        var node = JsonNode.Parse(ms.ToArray())?.AsObject() ?? new JsonObject();
        node["missingContextKeys"] = new JsonArray([.. a.MissingContextKeys.Select(k => (JsonNode?)k)]);
        node["assumedResourceAccount"] = a.AssumedResourceAccount;
        return node;
    }

    public static object Azure(AzureCanAnswer a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new
        {
            provider = Provider.AzureName,
            identity = a.Principal.Id,
            name = a.Principal.Name,
            action = a.Operation,
            resource = a.Scope,
            decision = a.Result.Decision.ToString(),
            deciding = a.Result.Deciding.Select(CloudExplanations.Json),
            diagnostics = a.Result.Diagnostics.Select(d => d.ToString()),
        };
    }

    public static object Gcp(GcpCanAnswer a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new
        {
            provider = Provider.GcpName,
            identity = a.Member,
            action = a.Permission,
            resource = a.Resource,
            decision = a.Result.Decision.ToString(),
            isPublic = a.Result.IsPublic,
            bindings = a.Result.Bindings.Select(CloudExplanations.Json),
            denyRules = a.Result.DenyRules.Select(CloudExplanations.Json),
            diagnostics = a.Result.Diagnostics.Select(d => d.ToString()),
        };
    }
}
