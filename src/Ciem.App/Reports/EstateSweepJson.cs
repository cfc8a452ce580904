using System.Text.Json;
using System.Text.Json.Serialization;
using Ciem.Core.Model;
using Ciem.Core.Paths;
using Ciem.Core.Risk;
using Ciem.Core.Sweep;

namespace Ciem.App.Reports;

/// <summary>
/// `ciem sweep --format json` over every provider: the stable `ciem.sweep/2` shape (docs/sweep.md). Combined totals,
/// slices by provider, kind, environment and kind × environment, one row per identity of every provider with its
/// environment and where it was read, every proposal, failure and exclusion in one list, and per-provider detail: the
/// AWS sweep as its `ciem.sweep/1` document, the Azure and GCP sweeps with their roles and evidence.
/// </summary>
public static class EstateSweepJson
{
    /// <summary>Identifies the shape; bumped only on a breaking change.</summary>
    public const string Schema = "ciem.sweep/2";

    /// <summary>
    /// Writes the document through <see cref="StreamedJson"/>: the summary and slices first, then the rows of every list
    /// one at a time, flushed to <paramref name="output"/> after each, so the output holds no copy of the estate; with
    /// an <paramref name="envelope"/> (`ciem.sweep/2`), its version and time come first, after the schema.
    /// </summary>
    public static void Write(TextWriter output, EstateSweepResult result, JsonEnvelope? envelope = null, SweepSpool? spool = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        using (var stream = new TextWriterStream(output)) { Write(stream, result, envelope, spool); }
        output.WriteLine();
    }

    /// <summary>
    /// The document to <paramref name="output"/> (UTF-8), written and flushed an identity at a time; a streamed sweep's
    /// AWS rows (<see cref="SweepResult.Streamed"/>) are read back from the <paramref name="spool"/> it filled, so the
    /// bytes are those of the same sweep kept whole.
    /// </summary>
    public static void Write(Stream output, EstateSweepResult result, JsonEnvelope? envelope = null, SweepSpool? spool = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        Check(result, spool);
        using var json = new StreamedJson(output);
        var w = json.Writer;
        w.WriteStartObject();
        if (envelope is null) { w.WriteString("schema", Schema); }
        else { envelope.WriteProperties(w); }
        json.Property("asOf", result.AsOf);
        json.Property("windowStart", result.Window.StartInstant);
        json.Property("windowDays", result.WindowDays);
        json.Property("lookbackDays", result.LookbackDays);
        json.Property("providers", result.ProviderNames);
        json.Property("summary", ToTotals(result));
        json.Array("byProvider", result.Providers.Select(ToSlice));
        json.Array("byKind", result.Kinds.Select(ToSlice));
        json.Array("byEnvironment", result.Environments.Select(ToSlice));
        json.Array("matrix", result.Matrix.Select(c => new Cell(c.Kind, c.Environment, ToSlice(c.Slice))));
        json.Array("identities", IdentityRows(result));
        json.Array("proposals", spool is null ? ProposalRows(result) : SpooledProposalRows(result, spool));
        json.Array("failures", FailureRows(result));
        json.Array("excluded", ExcludedRows(result));
        w.WritePropertyName("aws");
        if (result.Aws is null) { w.WriteNullValue(); }
        else { SweepJson.WriteObject(json, result.Aws, spool); }
        WriteCloud(json, "azure", result.Azure);
        WriteCloud(json, "gcp", result.Gcp);
        json.Array("resourceExposures", Exposures(result));
        w.WritePropertyName("risk");
        if (result.Risk is null) { w.WriteNullValue(); }
        else
        {
            w.WriteStartObject();
            json.Property("categories", RiskCategories(result, result.Risk));
            json.Array("identities", RiskRows(result.Risk));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        json.Flush();
    }

    private static void WriteCloud(StreamedJson json, string name, CloudSweepResult? cloud)
    {
        json.Writer.WritePropertyName(name);
        if (cloud is null)
        {
            json.Writer.WriteNullValue();
            return;
        }
        json.Writer.WriteStartObject();
        json.Array("identities", CloudIdentities(cloud));
        json.Array("proposals", CloudProposals(cloud));
        json.Array("failures", CloudFailures(cloud));
        json.Array("excluded", CloudExcluded(cloud));
        json.Writer.WriteEndObject();
    }

    /// <summary>
    /// `--format jsonl`: one JSON object per line — `{"type":"summary",…}` first, then one `identity` line per identity of
    /// every provider, one `proposal`, `failure` or `excluded` line each — so a consumer reads the estate a line at a
    /// time; each line is written and flushed as it is made.
    /// </summary>
    public static void WriteLines(TextWriter output, EstateSweepResult result, JsonEnvelope? envelope = null, SweepSpool? spool = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        Check(result, spool);
        if (envelope is not null) { output.Write(envelope.HeaderLine() + "\n"); }
        using var stream = new TextWriterStream(output);
        using var lines = new StreamedJson(stream, ReportJson.Compact);
        lines.Line("summary", new
        {
            schema = Schema + "-lines", result.AsOf, WindowStart = result.Window.StartInstant, result.WindowDays, result.LookbackDays,
            Providers = result.ProviderNames, Summary = ToTotals(result),
        });
        foreach (var i in IdentityRows(result)) { lines.Line("identity", i); }
        foreach (var p in spool is null ? ProposalRows(result) : SpooledProposalRows(result, spool)) { lines.Line("proposal", p); }
        foreach (var f in FailureRows(result)) { lines.Line("failure", f); }
        foreach (var e in ExcludedRows(result)) { lines.Line("excluded", e); }
        foreach (var r in result.Risk is null ? [] : RiskRows(result.Risk)) { lines.Line("risk", r); }
    }

    private static void Check(EstateSweepResult result, SweepSpool? spool)
    {
        if (result.Aws is { Streamed: true } && spool is null)
        {
            throw new ArgumentException("a streamed sweep is written from the spool it filled", nameof(spool));
        }
    }

    public static string Serialize(EstateSweepResult result) => JsonSerializer.Serialize(ToDocument(result), ReportJson.Options);

    /// <summary>What an AWS proposal changes, its verification state, the guardrails it keeps and the sensitive actions it flags.</summary>
    public static string AwsSummary(Core.Aws.LeastPrivilege.PolicyProposal p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var what = p.PermissionSet is { } set
            ? $"permission set `{set.Name}` inline policy (usage of {set.Roles.Length} role(s) in {set.Accounts.Length} account(s))"
            : $"{p.Policies.Length} IAM policy(ies) replacing {p.OriginalPolicies.Length}";
        var kept = p.Guardrails.IsEmpty ? "" : $"; kept guardrails: {string.Join(", ", p.Guardrails.Select(g => g.ShortName))}";
        var flagged = p.Flagged.IsEmpty ? "" : $"; sensitive kept as unknown: {string.Join(", ", p.Flagged.Select(f => f.Action))}";
        return $"{what}; verification {p.Verification.StateName}{kept}{flagged}";
    }

    public static Document ToDocument(EstateSweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Check(result, null);
        return new Document(
            Schema, result.AsOf, result.Window.StartInstant, result.WindowDays, result.LookbackDays, result.ProviderNames, ToTotals(result),
            [.. result.Providers.Select(ToSlice)],
            [.. result.Kinds.Select(ToSlice)],
            [.. result.Environments.Select(ToSlice)],
            [.. result.Matrix.Select(c => new Cell(c.Kind, c.Environment, ToSlice(c.Slice)))],
            [.. IdentityRows(result)], [.. ProposalRows(result)], [.. FailureRows(result)], [.. ExcludedRows(result)],
            result.Aws is null ? null : SweepJson.ToDocument(result.Aws),
            result.Azure is null ? null : ToCloud(result.Azure),
            result.Gcp is null ? null : ToCloud(result.Gcp))
        {
            ResourceExposures = [.. Exposures(result)],
            Risk = result.Risk is null ? null : new RiskDocument(RiskCategories(result, result.Risk), [.. RiskRows(result.Risk)]),
        };
    }

    private static Totals ToTotals(EstateSweepResult result)
    {
        var t = result.Total;
        var humans = result.Rows.Count(r => r.KindGroup == "human");
        var excluded = (result.Aws?.Excluded.Length ?? 0) + Clouds(result).Sum(c => c.Excluded.Length);
        return new Totals(t.Identities, humans, t.ServiceIdentities, t.Identities - humans - t.ServiceIdentities, t.Administrators,
            t.UnusedAdministrators, t.Inactive, t.Granted, t.Used, t.GrantedAfter, t.ProjectedReductionPercent, result.ProposalCount,
            result.FailureCount, excluded)
        {
            CanBecomeAdministrators = t.CanBecomeAdministrators,
            PrivilegeAdministrators = t.PrivilegeAdministrators,
        };
    }

    private static IEnumerable<CloudSweepResult> Clouds(EstateSweepResult result) =>
        new[] { result.Azure, result.Gcp }.OfType<CloudSweepResult>();

    private static IEnumerable<IdentityRow> IdentityRows(EstateSweepResult result) => result.Rows.Select(r => new IdentityRow(
        r.Provider, r.Id, r.Name, IdentityKindNames.Of(r.Kind), r.KindGroup, r.Environment.Name, r.Environment.SourceName,
        r.Environment.Evidence, r.IsAdministrator, r.UnusedAdministrator, r.Inactive, r.Granted, r.Used, r.GrantedAfter)
    {
        AdminCategory = PathJson.CategoryName(r.Category),
        PrivilegeAdministrator = r.PrivilegeAdministrator,
    });

    private static IEnumerable<ProposalRow> ProposalRows(EstateSweepResult result) =>
        (result.Aws?.Proposals.Select(ToRow) ?? []).Concat(CloudProposalRows(result));

    /// <summary>The proposal rows with the AWS ones read back from the spool, the others serialised as they come.</summary>
    private static IEnumerable<ProposalRow> SpooledProposalRows(EstateSweepResult result, SweepSpool spool) =>
        (result.Aws is null ? [] : spool.Read<ProposalRow>(SweepSpool.ProposalRows, result.Aws.Proposals.Select(p => p.Identity.Id)))
            .Concat(CloudProposalRows(result));

    /// <summary>The estate's row of an AWS proposal.</summary>
    internal static ProposalRow ToRow(Core.Aws.LeastPrivilege.PolicyProposal p) => new(
        "aws", p.Identity.Id, p.PermissionSet?.Name ?? p.Identity.Name, p.GrantedBefore, p.GrantedAfter, p.ReductionPercent, AwsSummary(p));

    private static IEnumerable<ProposalRow> CloudProposalRows(EstateSweepResult result) =>
        Clouds(result).SelectMany(c => c.Proposals.Select(p => new ProposalRow(
            c.Provider, p.Identity.Id, p.Identity.Name, p.GrantedBefore, p.GrantedAfter, p.ReductionPercent, p.Summary)));

    private static IEnumerable<FailureRow> FailureRows(EstateSweepResult result)
    {
        var aws = result.Aws?.Failures.Select(f => new FailureRow("aws", f.Identity.Id, f.Identity.Name, f.Reason)) ?? [];
        return aws.Concat(Clouds(result).SelectMany(c => c.Failures.Select(f => new FailureRow(
            c.Provider, f.Identity.Id, f.Identity.Name, string.Join("; ", f.Reasons)))));
    }

    private static IEnumerable<FailureRow> ExcludedRows(EstateSweepResult result)
    {
        var aws = result.Aws?.Excluded.Select(e => new FailureRow("aws", e.Identity.Id, e.Identity.Name, e.Reason)) ?? [];
        return aws.Concat(Clouds(result).SelectMany(CloudExcluded));
    }

    private static IEnumerable<Exposure> Exposures(EstateSweepResult result) =>
        result.ResourceExposures.Select(e => new Exposure(e.Resource, e.Service, e.Factor, e.Points, e.Detail, e.Indeterminate));

    /// <summary>Per provider swept (and `all`): administrators, those who can become one, those who can make others one.</summary>
    private static IReadOnlyList<RiskCategoryCounts> RiskCategories(EstateSweepResult result, RiskView risk) =>
        [.. result.ProviderNames.Select(p => (string?)p).Append(null)
            .Select(p => new RiskCategoryCounts(p ?? "all", risk.Count(p, AdminCategory.Administrator),
                risk.Count(p, AdminCategory.CanBecomeAdministrator), risk.PrivilegeAdministrators(p),
                risk.Identities.Count(r => r.GrantsNeedActivation && (p is null || r.Provider == p))))];

    /// <summary>The risk rows: every factor with its points, the category and the shortest path to an administrator.</summary>
    public static IEnumerable<RiskIdentity> RiskRows(RiskView risk)
    {
        ArgumentNullException.ThrowIfNull(risk);
        return risk.Identities.Select(r => new RiskIdentity(
            r.Provider, r.Id, r.Name, r.Kind, r.Scope, PathJson.CategoryName(r.Category), r.IsPrivilegeAdministrator, r.GrantsAt,
            r.GrantsNeedActivation, r.Score, [.. r.Factors.Select(f => new RiskFactorRow(f.Id, f.Points, f.Detail))],
            r.PathToAdministrator is { } p ? new RiskPathDocument(p.Goal, p.Hops, PathJson.CertaintyName(p.Certainty),
                [.. p.Steps.Select(s => new RiskStepDocument(s.From, s.To, s.Technique, PathJson.CertaintyName(s.Certainty)))]) : null));
    }

    private static Slice ToSlice(SweepSlice s) => new(s.Name, s.Identities, s.ServiceIdentities, s.Administrators, s.UnusedAdministrators,
        s.Inactive, s.Granted, s.Used, s.GrantedAfter, s.ProjectedReductionPercent)
    {
        CanBecomeAdministrators = s.CanBecomeAdministrators,
        PrivilegeAdministrators = s.PrivilegeAdministrators,
    };

    private static Cloud ToCloud(CloudSweepResult c) =>
        new([.. CloudIdentities(c)], [.. CloudProposals(c)], [.. CloudFailures(c)], [.. CloudExcluded(c)]);

    private static IEnumerable<CloudIdentity> CloudIdentities(CloudSweepResult c) => c.Identities.Select(i => new CloudIdentity(
        i.Gap.Identity.Id, i.Gap.Identity.Name, IdentityKindNames.Of(i.Gap.Identity.Kind), i.Environment.Name, i.Environment.SourceName,
        i.Environment.Evidence, i.Gap.IsAdministrator, i.Gap.AdminActionUsed, i.Gap.Inactive, i.Gap.Granted, i.Gap.Used, i.Gap.Unused,
        i.Gap.Unknown, i.Gap.UsedNotGranted, Math.Round(i.Gap.UnusedShare, 4), i.Gap.Calls, i.Gap.LastActivity, i.GrantedAfter)
    {
        AdminCategory = PathJson.CategoryName(i.Gap.Category),
        PrivilegeAdministrator = i.Gap.PrivilegeAdministrator,
    });

    private static IEnumerable<CloudProposalDocument> CloudProposals(CloudSweepResult c) =>
        c.Proposals.Select(p => new CloudProposalDocument(
        p.Identity.Id, p.Identity.Name, p.Environment.Name, p.GrantedBefore, p.GrantedAfter, p.ReductionPercent, p.Summary,
        p.Azure?.Scope ?? p.Gcp!.Resource, p.Azure?.Role.RoleName ?? p.Gcp!.Role, p.DocumentExtension, Parse(p.Document),
        p.Terraform, p.Azure is { } a
            ? [.. a.Evidence.Select(e => new CloudEvidence(e.Operation, e.Plane.ToString().ToLowerInvariant(), e.Count, e.Resources))]
            : [.. p.Gcp!.Evidence.Select(e => new CloudEvidence(e.Permission, null, e.Count, e.Resources))]));

    private static IEnumerable<CloudFailure> CloudFailures(CloudSweepResult c) =>
        c.Failures.Select(f => new CloudFailure(f.Identity.Id, f.Identity.Name, f.Reasons));

    private static IEnumerable<FailureRow> CloudExcluded(CloudSweepResult c) =>
        c.Excluded.Select(e => new FailureRow(c.Provider, e.Identity.Id, e.Identity.Name, e.Reason));

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public sealed record Document(
        [property: JsonPropertyOrder(-3)] string Schema, DateTimeOffset AsOf, DateTimeOffset WindowStart, int WindowDays, int LookbackDays, IReadOnlyList<string> Providers,
        Totals Summary, IReadOnlyList<Slice> ByProvider, IReadOnlyList<Slice> ByKind, IReadOnlyList<Slice> ByEnvironment, IReadOnlyList<Cell> Matrix,
        IReadOnlyList<IdentityRow> Identities, IReadOnlyList<ProposalRow> Proposals, IReadOnlyList<FailureRow> Failures, IReadOnlyList<FailureRow> Excluded,
        SweepJson.Document? Aws, Cloud? Azure, Cloud? Gcp)
    {
        /// <summary>The envelope's version of the tool (docs/schemas), right after the schema; absent when not enveloped.</summary>
        [JsonPropertyOrder(-2)]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Version { get; init; }

        /// <summary>The envelope's time of writing.</summary>
        [JsonPropertyOrder(-1)]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public DateTimeOffset? GeneratedAt { get; init; }

        /// <summary>AWS resources whose own policies let anyone or an outside account in, with the risk factor's points.</summary>
        public IReadOnlyList<Exposure> ResourceExposures { get; init; } = [];

        /// <summary>The risk view (administrator categories, paths and risk factors of every provider); null when not built.</summary>
        public RiskDocument? Risk { get; init; }
    }

    /// <summary>The risk view: category counts per provider, then the identities with a risk factor, highest score first.</summary>
    public sealed record RiskDocument(IReadOnlyList<RiskCategoryCounts> Categories, IReadOnlyList<RiskIdentity> Identities);

    public sealed record RiskCategoryCounts(string Provider, int Administrators, int CanBecomeAdministrator, int PrivilegeAdministrators,
        int GrantsNeedActivation);

    public sealed record RiskIdentity(
        string Provider, string Id, string Name, string Kind, string Scope, string AdminCategory, bool PrivilegeAdministrator,
        IReadOnlyList<string> GrantsAdministratorAt, bool GrantsNeedActivation, int Score, IReadOnlyList<RiskFactorRow> Factors,
        RiskPathDocument? PathToAdministrator);

    public sealed record RiskFactorRow(string Factor, int Points, string Detail);

    public sealed record RiskPathDocument(string Goal, int Hops, string Certainty, IReadOnlyList<RiskStepDocument> Steps);

    public sealed record RiskStepDocument(string From, string To, string Technique, string Certainty);

    public sealed record Exposure(string Resource, string Service, string Factor, int Points, string Detail, bool Indeterminate);

    public sealed record Totals(
        int Identities, int Humans, int ServiceIdentities, int OtherRoles, int Administrators, int UnusedAdministrators, int Inactive,
        long Granted, long Used, long GrantedAfter, double ProjectedReductionPercent, int Proposals, int Failures, int Excluded)
    {
        /// <summary>No administrator, but can become one through a path (decided on the attack graphs).</summary>
        public int CanBecomeAdministrators { get; init; }

        /// <summary>Can make other principals administrators (administrators included).</summary>
        public int PrivilegeAdministrators { get; init; }
    }

    public sealed record Slice(string Name, int Identities, int ServiceIdentities, int Administrators, int UnusedAdministrators, int Inactive,
        long Granted, long Used, long GrantedAfter, double ProjectedReductionPercent)
    {
        public int CanBecomeAdministrators { get; init; }

        public int PrivilegeAdministrators { get; init; }
    }

    public sealed record Cell(string Kind, string Environment, Slice Counts);

    public sealed record IdentityRow(
        string Provider, string Id, string Name, string Kind, string KindGroup, string Environment, string EnvironmentSource, string EnvironmentEvidence,
        bool Administrator, bool UnusedAdministrator, bool Inactive, long Granted, long Used, long GrantedAfter)
    {
        /// <summary>`administrator`, `can-become-administrator`, `privilege-administrator` or `none`, decided on the attack graphs.</summary>
        public string AdminCategory { get; init; } = "none";

        public bool PrivilegeAdministrator { get; init; }
    }

    public sealed record ProposalRow(string Provider, string Identity, string Name, int GrantedBefore, int GrantedAfter, double ReductionPercent, string Summary);

    public sealed record FailureRow(string Provider, string Identity, string Name, string Reason);

    public sealed record Cloud(IReadOnlyList<CloudIdentity> Identities, IReadOnlyList<CloudProposalDocument> Proposals, IReadOnlyList<CloudFailure> Failures, IReadOnlyList<FailureRow> Excluded);

    public sealed record CloudIdentity(
        string Id, string Name, string Kind, string Environment, string EnvironmentSource, string EnvironmentEvidence, bool Administrator, bool AdminActionUsed,
        bool Inactive, int Granted, int Used, int Unused, int Unknown, int UsedNotGranted, double UnusedShare, long Calls,
        DateTimeOffset? LastActivity, long GrantedAfter)
    {
        public string AdminCategory { get; init; } = "none";

        public bool PrivilegeAdministrator { get; init; }
    }

    public sealed record CloudProposalDocument(
        string Identity, string Name, string Environment, int GrantedBefore, int GrantedAfter, double ReductionPercent, string Summary,
        string Scope, string Role, string DocumentKind, JsonElement Document, string Terraform, IReadOnlyList<CloudEvidence> Evidence);

    public sealed record CloudEvidence(string Permission, string? Plane, long Count, IReadOnlyList<string> Resources);

    public sealed record CloudFailure(string Identity, string Name, IReadOnlyList<string> Reasons);
}
