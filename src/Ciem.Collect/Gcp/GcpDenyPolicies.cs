using System.Collections.Concurrent;
using System.Collections.Immutable;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Inventory;

namespace Ciem.Collect.Gcp;

/// <summary>
/// The deny policies (IAM v2) attached to the organization, its folders and projects: `GET
/// /v2/policies/{attachment point}/denypolicies` lists them without their rules (as documented), so each is then read
/// whole with `GET /v2/{name}` — the shape `gcloud iam policies get` prints and <c>GcpDenyPolicyReader</c> reads.
/// </summary>
internal static class GcpDenyPolicies
{
    /// <summary>Every policy's page, in attachment-point order, and the attachment points that could not be read (with why).</summary>
    public static async Task<(List<RestPage> Pages, Dictionary<string, string> Failed)> ReadAsync(RestJsonClient iam,
        ImmutableArray<GcpResource> resources, int parallelism, CancellationToken cancellationToken)
    {
        var points = resources.Where(r => r.Kind is GcpResourceKind.Organization or GcpResourceKind.Folder or GcpResourceKind.Project)
            .Select(r => r.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var pages = new ConcurrentDictionary<string, List<RestPage>>(StringComparer.Ordinal);
        var failed = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(parallelism);
        await Task.WhenAll(points.Select(async point =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // The attachment point is its full resource name without the leading `//`, URL-encoded (`/` as `%2F`).
                var parent = $"policies/{Uri.EscapeDataString(point[2..])}/denypolicies";
                var listed = await iam.TokenPagesAsync($"v2/{parent}", cancellationToken).ConfigureAwait(false);
                var names = RestJsonClient.Items(listed, "policies").Select(p => JsonAnswer.Str(p, "name")).OfType<string>().ToList();
                var whole = new List<RestPage>();
                foreach (var name in names)
                {
                    if (!name.StartsWith(parent + "/", StringComparison.OrdinalIgnoreCase) || name.Contains("..", StringComparison.Ordinal))
                    {
                        throw new CollectException(DiagnosticCodes.CollectCallFailed,
                            $"iam listed a deny policy `{name}` that is not under `{parent}`");
                    }
                    whole.Add(await iam.GetAsync($"v2/{name}", cancellationToken).ConfigureAwait(false));
                }
                pages[point] = whole;
            }
            catch (CollectException ex) when (ex.Code != DiagnosticCodes.CollectCredentials)
            {
                failed[point] = ex.Message;
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        return ([.. points.Where(pages.ContainsKey).SelectMany(p => pages[p])],
            new Dictionary<string, string>(failed, StringComparer.Ordinal));
    }
}
