using System.Text.Json;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Core.Sweep;

namespace Ciem.App.Reports;

/// <summary>
/// `ciem sweep --format json`: a stable, documented shape (docs/sweep.md) decoupled from the Core records, so that
/// refactoring Core does not break the consumers of this output. camelCase, dates ISO 8601, policies as JSON objects.
/// </summary>
public static class SweepJson
{
    /// <summary>Identifies the shape; bumped only on a breaking change.</summary>
    public const string Schema = "ciem.sweep/1";

    /// <summary>The document to <paramref name="output"/> (UTF-8), written and flushed an identity at a time.</summary>
    public static void Write(Stream output, SweepResult result)
    {
        using var json = new StreamedJson(output);
        WriteObject(json, result);
        json.Flush();
    }

    public static void Write(TextWriter output, SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(JsonSerializer.Serialize(ToDocument(result), ReportJson.Options));
        output.WriteLine();
    }

    public static string Serialize(SweepResult result) => JsonSerializer.Serialize(ToDocument(result), ReportJson.Options);

    public static Document ToDocument(SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Streamed) { throw new ArgumentException("a streamed sweep holds no details: write it from its spool", nameof(result)); }
        return new Document(
            Schema, result.AsOf, result.Summary.WindowStart, result.WindowDays, result.LookbackDays, ToTotals(result), ToCoverage(result),
            [.. Slices(result)], [.. IdentityRows(result)], [.. result.Proposals.Select(ToProposal)], [.. Failures(result)], [.. Exclusions(result)]);
    }

    /// <summary>
    /// The same document as the value <paramref name="json"/> writes next (the `aws` part of `ciem.sweep/2`), its lists
    /// written and flushed a row at a time; a streamed result's identities, proposals and failures are read back from
    /// its <paramref name="spool"/>.
    /// </summary>
    public static void WriteObject(StreamedJson json, SweepResult result, SweepSpool? spool = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Streamed && spool is null) { throw new ArgumentException("a streamed sweep is written from its spool", nameof(spool)); }
        json.Writer.WriteStartObject();
        json.Writer.WriteString("schema", Schema);
        json.Property("asOf", result.AsOf);
        json.Property("windowStart", result.Summary.WindowStart);
        json.Property("windowDays", result.WindowDays);
        json.Property("lookbackDays", result.LookbackDays);
        json.Property("summary", ToTotals(result));
        json.Property("coverage", ToCoverage(result));
        json.Array("slices", Slices(result));
        if (result.Streamed)
        {
            json.Array("identities", spool!.Read<IdentityRow>(SweepSpool.AwsIdentities, result.Gaps.Select(g => g.Identity.Id)));
            json.Array("proposals", spool.Read<Proposal>(SweepSpool.AwsProposals, result.Proposals.Select(p => p.Identity.Id)));
            json.Array("failures", spool.Read<Failure>(SweepSpool.AwsFailures, result.Failures.Select(f => f.Identity.Id)));
        }
        else
        {
            json.Array("identities", IdentityRows(result));
            json.Array("proposals", result.Proposals.Select(ToProposal));
            json.Array("failures", Failures(result));
        }
        json.Array("excluded", Exclusions(result));
        json.Writer.WriteEndObject();
    }

    private static Totals ToTotals(SweepResult result)
    {
        var s = result.Summary;
        return new Totals(s.Identities, s.Humans, s.ServiceIdentities, s.Administrators, s.UnusedAdministrators, s.Inactive,
            s.GrantedTotal, s.UsedTotal, s.UnknownTotal, result.GrantedAfter, result.ProjectedReductionPercent, result.Proposals.Length,
            result.Failures.Length)
        {
            CanBecomeAdministrators = result.Slices.FirstOrDefault(x => x.Name == "all")?.CanBecomeAdministrators ?? 0,
            PrivilegeAdministrators = result.Slices.FirstOrDefault(x => x.Name == "all")?.PrivilegeAdministrators ?? 0,
        };
    }

    private static Coverage ToCoverage(SweepResult result)
    {
        var c = result.Coverage;
        return new Coverage(c.FirstDay, c.LastDay, c.DaysWithEvents, c.Events, c.IdentitiesSeen, c.DeniedAttempts, c.UnmappedEvents);
    }

    private static IEnumerable<Slice> Slices(SweepResult result) => result.Slices.Select(x => new Slice(
        x.Name, x.Identities, x.ServiceIdentities, x.Administrators, x.UnusedAdministrators, x.Inactive, x.Granted, x.Used, x.GrantedAfter,
        x.ProjectedReductionPercent)
    {
        CanBecomeAdministrators = x.CanBecomeAdministrators,
        PrivilegeAdministrators = x.PrivilegeAdministrators,
    });

    private static IEnumerable<IdentityRow> IdentityRows(SweepResult result) => result.Gaps.Select(ToRow);

    /// <summary>The row of one identity's gap.</summary>
    internal static IdentityRow ToRow(IdentityGap g) => new(
        g.Identity.Id, g.Identity.Name, IdentityKindNames.Of(g.Identity.Kind), g.Identity.Scope, g.IsAdministrator, g.AdminActionUsed, g.Inactive,
        g.Granted, g.Used, g.Unused, g.Unknown, Math.Round(g.UnusedShare, 4), g.LastActivity, g.UsedServices, g.UnusedServices,
        g.UsedOutsideGrants)
    {
        AdminCategory = PathJson.CategoryName(g.Category),
        PrivilegeAdministrator = g.PrivilegeAdministrator,
    };

    private static IEnumerable<Failure> Failures(SweepResult result) => result.Failures.Select(ToFailure);

    internal static Failure ToFailure(ProposalFailure f) =>
        new(f.Identity.Id, f.Identity.Name, f.Identity.Scope, f.Reason, [.. f.Regressions.Select(ToObserved)]);

    private static IEnumerable<Exclusion> Exclusions(SweepResult result) =>
        result.Excluded.Select(e => new Exclusion(e.Identity.Id, e.Identity.Name, e.Identity.Scope, e.Reason));

    internal static Proposal ToProposal(PolicyProposal p) => new(
        p.Identity.Id, p.Identity.Name, p.Identity.Scope, p.GrantedBefore, p.GrantedAfter, p.ReductionPercent, Math.Round(p.Confidence, 4),
        new Verification(p.Verification.Passed, p.Verification.StateName, p.Verification.Replayed, p.Verification.StillAllowed, p.Verification.NotReplayable,
            [.. p.Verification.Regressions.Select(ToObserved)], p.Verification.Exceeding),
        p.OriginalPolicies,
        [.. p.Policies.Select(x => new Policy(x.Name, x.Size, ParseDocument(x.Json)))],
        [.. p.Evidence.Select(e => new Evidence(e.Action, SweepHtmlReport.ReasonName(e.Reason), e.Count, e.LastUsed, e.Resources))],
        p.RemovedActions,
        p.Notes,
        [.. p.Guardrails.Select(g => new Guardrail(g.Policy, GuardrailKindName(g.Kind), g.Statements, g.Document))],
        [.. p.Flagged.Select(f => new Flagged(f.Action, f.Reason, f.Resources))],
        p.PermissionSet is { } set ? new PermissionSetRef(set.Name, set.Arn, set.Accounts, set.Roles, set.Principals) : null,
        p.RemovesPaths);

    /// <summary>`restricting-policy`, `deny-statements`, `permissions-boundary`.</summary>
    public static string GuardrailKindName(GuardrailKind kind) => kind switch
    {
        GuardrailKind.RestrictingPolicy => "restricting-policy",
        GuardrailKind.DenyStatements => "deny-statements",
        _ => "permissions-boundary",
    };

    private static Observed ToObserved(ObservedAction o) => new(o.Action, o.Resource, o.Count, o.LastSeen);

    private static JsonElement ParseDocument(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Kept as a JSON string rather than lost: the report must not drop a proposal because of its rendering.
            using var doc = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(json));
            return doc.RootElement.Clone();
        }
    }

    public sealed record Document(
        string Schema, DateTimeOffset AsOf, DateTimeOffset WindowStart, int WindowDays, int LookbackDays,
        Totals Summary, Coverage Coverage, IReadOnlyList<Slice> Slices, IReadOnlyList<IdentityRow> Identities,
        IReadOnlyList<Proposal> Proposals, IReadOnlyList<Failure> Failures, IReadOnlyList<Exclusion> Excluded);

    public sealed record Totals(
        int Identities, int Humans, int ServiceIdentities, int Administrators, int UnusedAdministrators, int Inactive,
        long Granted, long Used, long Unknown, long GrantedAfter, double ProjectedReductionPercent, int Proposals, int Failures)
    {
        /// <summary>No administrator, but can become one through a path (decided on the attack graph).</summary>
        public int CanBecomeAdministrators { get; init; }

        /// <summary>Can make other principals administrators (administrators included).</summary>
        public int PrivilegeAdministrators { get; init; }
    }

    public sealed record Coverage(DateOnly? FirstDay, DateOnly? LastDay, int DaysWithEvents, long Events, int IdentitiesSeen, long DeniedAttempts, long UnmappedEvents);

    public sealed record Slice(string Name, int Identities, int ServiceIdentities, int Administrators, int UnusedAdministrators, int Inactive,
        long Granted, long Used, long GrantedAfter, double ProjectedReductionPercent)
    {
        public int CanBecomeAdministrators { get; init; }

        public int PrivilegeAdministrators { get; init; }
    }

    public sealed record IdentityRow(
        string Id, string Name, string Kind, string Account, bool Administrator, bool AdminActionUsed, bool Inactive,
        int Granted, int Used, int Unused, int Unknown, double UnusedShare, DateTimeOffset? LastActivity,
        IReadOnlyList<string> UsedServices, IReadOnlyList<string> UnusedServices, IReadOnlyList<string> UsedOutsideGrants)
    {
        /// <summary>`administrator`, `can-become-administrator`, `privilege-administrator` or `none`, decided on the attack graph.</summary>
        public string AdminCategory { get; init; } = "none";

        public bool PrivilegeAdministrator { get; init; }
    }

    public sealed record Proposal(
        string Identity, string Name, string Account, int GrantedBefore, int GrantedAfter, double ReductionPercent, double Confidence,
        Verification Verification, IReadOnlyList<string> OriginalPolicies, IReadOnlyList<Policy> Policies, IReadOnlyList<Evidence> Evidence,
        IReadOnlyList<string> RemovedActions, IReadOnlyList<string> Notes, IReadOnlyList<Guardrail> KeptGuardrails,
        IReadOnlyList<Flagged> SensitiveKept, PermissionSetRef? PermissionSet, IReadOnlyList<string> RemovesPaths);

    /// <summary><see cref="State"/>: `passed`, `failed` or `unverified` (no replayable call); <see cref="Passed"/> only for `passed`.</summary>
    public sealed record Verification(bool Passed, string State, int Replayed, int StillAllowed, int NotReplayable, IReadOnlyList<Observed> Regressions, IReadOnlyList<string> Exceeding);

    public sealed record Guardrail(string Policy, string Kind, int Statements, string? Document);

    public sealed record Flagged(string Action, string Reason, IReadOnlyList<string> Resources);

    public sealed record PermissionSetRef(string Name, string? Arn, IReadOnlyList<string> Accounts, IReadOnlyList<string> Roles, int Principals);

    public sealed record Exclusion(string Identity, string Name, string Account, string Reason);

    public sealed record Policy(string Name, int Size, JsonElement Document);

    public sealed record Evidence(string Action, string Reason, long Count, DateTimeOffset? LastUsed, IReadOnlyList<string> Resources);

    public sealed record Observed(string Action, string Resource, long Count, DateTimeOffset LastSeen);

    public sealed record Failure(string Identity, string Name, string Account, string Reason, IReadOnlyList<Observed> Regressions);
}
