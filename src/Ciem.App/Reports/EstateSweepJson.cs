using System.Text.Json;
using System.Text.Json.Serialization;
using Ciem.Core.Model;
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
    /// Writes the document as it is serialised (in 16 KiB pieces), never as one string of the whole estate; with an
    /// <paramref name="envelope"/> (`ciem.sweep/2`), its version and time come first, after the schema.
    /// </summary>
    public static void Write(TextWriter output, EstateSweepResult result, JsonEnvelope? envelope = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var document = ToDocument(result);
        if (envelope is not null) { document = document with { Schema = envelope.Schema, Version = envelope.Version, GeneratedAt = envelope.GeneratedAt }; }
        using (var stream = new TextWriterStream(output)) { JsonSerializer.Serialize(stream, document, ReportJson.Options); }
        output.WriteLine();
    }

    /// <summary>
    /// `--format jsonl`: one JSON object per line — `{"type":"summary",…}` first, then one `identity` line per identity of
    /// every provider, one `proposal`, `failure` or `excluded` line each — so a consumer reads the estate a line at a time.
    /// </summary>
    public static void WriteLines(TextWriter output, EstateSweepResult result, JsonEnvelope? envelope = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (envelope is not null) { output.Write(envelope.HeaderLine() + "\n"); }
        var doc = ToDocument(result);
        var compact = new JsonSerializerOptions(ReportJson.Options) { WriteIndented = false };
        void Line(string type, object value)
        {
            var node = JsonSerializer.SerializeToNode(value, compact)!.AsObject();
            var line = new System.Text.Json.Nodes.JsonObject { ["type"] = type };
            foreach (var (key, child) in node.ToList())
            {
                node.Remove(key);
                line[key] = child;
            }
            output.Write(line.ToJsonString(compact));
            output.Write('\n');
        }
        Line("summary", new { schema = Schema + "-lines", doc.AsOf, doc.WindowStart, doc.WindowDays, doc.LookbackDays, doc.Providers, doc.Summary });
        foreach (var i in doc.Identities) { Line("identity", i); }
        foreach (var p in doc.Proposals) { Line("proposal", p); }
        foreach (var f in doc.Failures) { Line("failure", f); }
        foreach (var e in doc.Excluded) { Line("excluded", e); }
    }

    /// <summary>A write-only stream that decodes UTF-8 into a <see cref="TextWriter"/> (pieces may split a character).</summary>
    private sealed class TextWriterStream(TextWriter output) : Stream
    {
        private readonly System.Text.Decoder _decoder = System.Text.Encoding.UTF8.GetDecoder();
        private char[] _chars = new char[4096];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var needed = _decoder.GetCharCount(buffer, flush: false);
            if (needed > _chars.Length) { _chars = new char[needed]; }
            var written = _decoder.GetChars(buffer, _chars, flush: false);
            output.Write(_chars, 0, written);
        }

        public override void Flush() => output.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
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
        var t = result.Total;
        var humans = result.Rows.Count(r => r.KindGroup == "human");
        var clouds = new[] { result.Azure, result.Gcp }.OfType<CloudSweepResult>().ToList();
        var proposals = new List<ProposalRow>();
        var failures = new List<FailureRow>();
        var excluded = new List<FailureRow>();
        if (result.Aws is { } aws)
        {
            proposals.AddRange(aws.Proposals.Select(p => new ProposalRow("aws", p.Identity.Id, p.PermissionSet?.Name ?? p.Identity.Name, p.GrantedBefore, p.GrantedAfter, p.ReductionPercent,
                AwsSummary(p))));
            failures.AddRange(aws.Failures.Select(f => new FailureRow("aws", f.Identity.Id, f.Identity.Name, f.Reason)));
            excluded.AddRange(aws.Excluded.Select(e => new FailureRow("aws", e.Identity.Id, e.Identity.Name, e.Reason)));
        }
        foreach (var c in clouds)
        {
            proposals.AddRange(c.Proposals.Select(p => new ProposalRow(c.Provider, p.Identity.Id, p.Identity.Name, p.GrantedBefore, p.GrantedAfter, p.ReductionPercent, p.Summary)));
            failures.AddRange(c.Failures.Select(f => new FailureRow(c.Provider, f.Identity.Id, f.Identity.Name, string.Join("; ", f.Reasons))));
            excluded.AddRange(c.Excluded.Select(e => new FailureRow(c.Provider, e.Identity.Id, e.Identity.Name, e.Reason)));
        }
        return new Document(
            Schema, result.AsOf, result.Window.StartInstant, result.WindowDays, result.LookbackDays, result.ProviderNames,
            new Totals(t.Identities, humans, t.ServiceIdentities, t.Identities - humans - t.ServiceIdentities, t.Administrators, t.UnusedAdministrators, t.Inactive,
                t.Granted, t.Used, t.GrantedAfter, t.ProjectedReductionPercent, result.ProposalCount, result.FailureCount, excluded.Count),
            [.. result.Providers.Select(ToSlice)],
            [.. result.Kinds.Select(ToSlice)],
            [.. result.Environments.Select(ToSlice)],
            [.. result.Matrix.Select(c => new Cell(c.Kind, c.Environment, ToSlice(c.Slice)))],
            [.. result.Rows.Select(r => new IdentityRow(r.Provider, r.Id, r.Name, IdentityKindNames.Of(r.Kind), r.KindGroup, r.Environment.Name, r.Environment.SourceName,
                r.Environment.Evidence, r.IsAdministrator, r.UnusedAdministrator, r.Inactive, r.Granted, r.Used, r.GrantedAfter))],
            proposals, failures, excluded,
            result.Aws is null ? null : SweepJson.ToDocument(result.Aws),
            result.Azure is null ? null : ToCloud(result.Azure),
            result.Gcp is null ? null : ToCloud(result.Gcp))
        {
            ResourceExposures = [.. result.ResourceExposures.Select(e => new Exposure(e.Resource, e.Service, e.Factor, e.Points, e.Detail, e.Indeterminate))],
        };
    }

    private static Slice ToSlice(SweepSlice s) => new(s.Name, s.Identities, s.ServiceIdentities, s.Administrators, s.UnusedAdministrators, s.Inactive, s.Granted, s.Used, s.GrantedAfter, s.ProjectedReductionPercent);

    private static Cloud ToCloud(CloudSweepResult c) => new(
        [.. c.Identities.Select(i => new CloudIdentity(i.Gap.Identity.Id, i.Gap.Identity.Name, IdentityKindNames.Of(i.Gap.Identity.Kind), i.Environment.Name, i.Environment.SourceName,
            i.Environment.Evidence, i.Gap.IsAdministrator, i.Gap.AdminActionUsed, i.Gap.Inactive, i.Gap.Granted, i.Gap.Used, i.Gap.Unused, i.Gap.Unknown, i.Gap.UsedNotGranted,
            Math.Round(i.Gap.UnusedShare, 4), i.Gap.Calls, i.Gap.LastActivity, i.GrantedAfter))],
        [.. c.Proposals.Select(p => new CloudProposalDocument(p.Identity.Id, p.Identity.Name, p.Environment.Name, p.GrantedBefore, p.GrantedAfter, p.ReductionPercent, p.Summary,
            p.Azure?.Scope ?? p.Gcp!.Resource, p.Azure?.Role.RoleName ?? p.Gcp!.Role, p.DocumentExtension, Parse(p.Document), p.Terraform,
            p.Azure is { } a
                ? [.. a.Evidence.Select(e => new CloudEvidence(e.Operation, e.Plane.ToString().ToLowerInvariant(), e.Count, e.Resources))]
                : [.. p.Gcp!.Evidence.Select(e => new CloudEvidence(e.Permission, null, e.Count, e.Resources))]))],
        [.. c.Failures.Select(f => new CloudFailure(f.Identity.Id, f.Identity.Name, f.Reasons))],
        [.. c.Excluded.Select(e => new FailureRow(c.Provider, e.Identity.Id, e.Identity.Name, e.Reason))]);

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
    }

    public sealed record Exposure(string Resource, string Service, string Factor, int Points, string Detail, bool Indeterminate);

    public sealed record Totals(
        int Identities, int Humans, int ServiceIdentities, int OtherRoles, int Administrators, int UnusedAdministrators, int Inactive,
        long Granted, long Used, long GrantedAfter, double ProjectedReductionPercent, int Proposals, int Failures, int Excluded);

    public sealed record Slice(string Name, int Identities, int ServiceIdentities, int Administrators, int UnusedAdministrators, int Inactive, long Granted, long Used, long GrantedAfter, double ProjectedReductionPercent);

    public sealed record Cell(string Kind, string Environment, Slice Counts);

    public sealed record IdentityRow(
        string Provider, string Id, string Name, string Kind, string KindGroup, string Environment, string EnvironmentSource, string EnvironmentEvidence,
        bool Administrator, bool UnusedAdministrator, bool Inactive, long Granted, long Used, long GrantedAfter);

    public sealed record ProposalRow(string Provider, string Identity, string Name, int GrantedBefore, int GrantedAfter, double ReductionPercent, string Summary);

    public sealed record FailureRow(string Provider, string Identity, string Name, string Reason);

    public sealed record Cloud(IReadOnlyList<CloudIdentity> Identities, IReadOnlyList<CloudProposalDocument> Proposals, IReadOnlyList<CloudFailure> Failures, IReadOnlyList<FailureRow> Excluded);

    public sealed record CloudIdentity(
        string Id, string Name, string Kind, string Environment, string EnvironmentSource, string EnvironmentEvidence, bool Administrator, bool AdminActionUsed,
        bool Inactive, int Granted, int Used, int Unused, int Unknown, int UsedNotGranted, double UnusedShare, long Calls, DateTimeOffset? LastActivity, long GrantedAfter);

    public sealed record CloudProposalDocument(
        string Identity, string Name, string Environment, int GrantedBefore, int GrantedAfter, double ReductionPercent, string Summary,
        string Scope, string Role, string DocumentKind, JsonElement Document, string Terraform, IReadOnlyList<CloudEvidence> Evidence);

    public sealed record CloudEvidence(string Permission, string? Plane, long Count, IReadOnlyList<string> Resources);

    public sealed record CloudFailure(string Identity, string Name, IReadOnlyList<string> Reasons);
}
