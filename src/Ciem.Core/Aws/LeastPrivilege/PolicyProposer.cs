using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Matching;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Aws.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;

namespace Ciem.Core.Aws.LeastPrivilege;

/// <summary>
/// Proposes a reduced identity policy that covers exactly the observed usage (docs/least-privilege.md):
/// only used actions (plus seasonal, configured and unrecordable ones), resources scoped to what was observed and
/// generalised to a parent wildcard only when many siblings were used and the original grant covers the wildcard,
/// the original grant's conditions kept, never anything beyond the original. Every proposal is verified by
/// replaying the observed events through <see cref="AwsAuthorizer"/> with the proposal in place of the identity's
/// policies (SCPs, boundary and resource policies unchanged).
/// </summary>
public sealed class PolicyProposer
{
    private readonly AwsActionCatalog _catalog;
    private readonly AwsEffectivePermissionCalculator _calculator;
    private readonly Func<AwsAction, bool> _recordedByAuditLog;

    /// <param name="catalog">the action catalog.</param>
    /// <param name="recordedByAuditLog">whether the audit log records calls of an action at all (management events).</param>
    public PolicyProposer(AwsActionCatalog catalog, Func<AwsAction, bool> recordedByAuditLog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(recordedByAuditLog);
        _catalog = catalog;
        _calculator = new AwsEffectivePermissionCalculator(catalog);
        _recordedByAuditLog = recordedByAuditLog;
    }

    public PolicyProposal Propose(ProposalInput input, ProposalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new ProposalOptions();
        var granted = input.Effective.Allowed;
        var notes = new List<string>();
        var account = input.Identity.Identity.Scope;
        bool Recorded(AwsAction a) => _recordedByAuditLog(a) || options.DataEvents.Records(account, a)
            || (options.DataEventsRecorded && CloudTrailCoverage.Default.IsRecorded(a) == CloudTrailRecording.DataEvent);

        // 1. Which actions to keep, and why.
        var window = Canonical(input.Window, granted, notes, "window");
        var lookback = Canonical(input.Lookback, granted, null, "lookback");
        var kept = new Dictionary<AwsAction, (KeepReason Reason, List<ObservedAction> Seen)>();
        foreach (var (action, seen) in window) { kept[action] = (KeepReason.Used, seen); }
        foreach (var (action, seen) in lookback)
        {
            // Seen in the lookback only: seasonal. (Seen in both: the lookback's resources are scoped in below.)
            if (!kept.ContainsKey(action)) { kept[action] = (KeepReason.Seasonal, seen); }
        }
        foreach (var name in options.KeepActions)
        {
            foreach (var action in _catalog.Expand(name))
            {
                if (granted.Contains(action) && !kept.ContainsKey(action)) { kept[action] = (KeepReason.Exception, []); }
            }
        }
        // Unknown actions (the logs cannot show them used) of the services the identity was seen using are kept,
        // scoped to the resources it touched in that service: their absence proves nothing.
        var touched = kept.Where(k => k.Value.Reason is KeepReason.Used or KeepReason.Seasonal)
            .SelectMany(k => k.Value.Seen.Select(o => (k.Key.Service, o)))
            .GroupBy(x => x.Service, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.o).ToList(), StringComparer.Ordinal);
        var unknown = new List<AwsAction>();
        foreach (var action in granted)
        {
            if (!kept.ContainsKey(action) && touched.ContainsKey(action.Service) && !Recorded(action)) { unknown.Add(action); }
        }
        foreach (var action in unknown) { kept[action] = (KeepReason.NotRecorded, []); }

        // 2. Resources and conditions per kept action, then statements grouped by identical scope.
        var scoped = new List<(AwsAction Action, ImmutableArray<string> Resources, bool NotResource, ImmutableArray<ConditionEntry> Conditions)>();
        var flagged = ImmutableArray.CreateBuilder<FlaggedAction>();
        var unscoped = new List<AwsAction>();
        foreach (var (action, (reason, seen)) in kept.OrderBy(k => k.Key.Id))
        {
            // The lookback's resources are kept too, so that a job that touched another resource last quarter keeps working.
            var scopeSeen = reason == KeepReason.Used && lookback.TryGetValue(action, out var earlier) ? [.. seen, .. earlier] : seen;
            var scopes = reason == KeepReason.NotRecorded
                ? ScopeUnknown(action, touched[action.Service], input.Effective.Grants, options)
                : Scope(action, scopeSeen, input.Effective.Grants, options, notes);
            if (scopes.Count == 0 && reason == KeepReason.NotRecorded) { unscoped.Add(action); continue; }
            foreach (var scope in scopes)
            {
                scoped.Add((action, scope.Resources, scope.NotResource, scope.Conditions));
            }
            if (reason == KeepReason.NotRecorded && SensitiveActions.ReasonFor(action.FullName) is { } why)
            {
                flagged.Add(new FlaggedAction(action.FullName, why, [.. scopes.SelectMany(x => x.Resources).Distinct(StringComparer.Ordinal)]));
            }
        }
        if (unscoped.Count > 0)
        {
            notes.Add($"{unscoped.Count} unknown action(s) (not recorded by the logs) left out: the identity touched no resource they apply to, and keeping them would mean `*`: {string.Join(", ", unscoped.Take(8).Select(a => a.FullName))}{(unscoped.Count > 8 ? ", …" : "")}");
            foreach (var a in unscoped) { kept.Remove(a); }
        }
        var statements = Group(scoped);
        var guardrails = Guardrails.Split(input.Estate, input.Identity);
        var policies = Render(input.Identity.Identity, statements, options.MaxPolicySize).AddRange(guardrails.DenyDocuments);

        // 3. and 4. Never more than before; every observed call replayed with the proposal and the guardrails in place.
        var (verification, after) = Check(input, policies, guardrails, window.Values.SelectMany(v => v).Concat(lookback.Values.SelectMany(v => v)));
        if (!verification.Exceeding.IsEmpty)
        {
            notes.Add($"the proposal would grant {verification.Exceeding.Length} action(s) the identity does not have: {string.Join(", ", verification.Exceeding.Take(5))}");
        }

        var evidence = kept.OrderBy(k => k.Key.FullName, StringComparer.Ordinal).Select(k => new ActionEvidence(
            k.Key.FullName,
            k.Value.Reason,
            k.Value.Seen.Sum(s => s.Count),
            k.Value.Seen.Count == 0 ? null : k.Value.Seen.Max(s => s.LastSeen),
            [.. k.Value.Seen.Select(s => s.Resource).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)])).ToImmutableArray();
        var removed = granted.Except(after.Allowed).Select(a => a.FullName).Order(StringComparer.Ordinal).ToImmutableArray();
        if (window.Count == 0) { notes.Add($"no activity in the last {input.WindowDays} days: consider removing the identity rather than keeping an empty policy"); }
        var confidence = Confidence(input, kept.Values.Count(v => v.Reason == KeepReason.NotRecorded), kept.Count, window.Values.Sum(v => v.Sum(o => o.Count)));
        if (verification.State == VerificationState.Unverified) { confidence = ProposalConfidence.Unverified(confidence); }
        return new PolicyProposal(
            input.Identity.Identity,
            statements,
            policies,
            evidence,
            removed,
            [.. guardrails.Replaced.Select(p => p.Name)],
            input.Effective.GrantedCount,
            after.GrantedCount,
            confidence,
            verification,
            [.. notes])
        {
            Guardrails = guardrails.Kept,
            Flagged = flagged.ToImmutable(),
        };
    }

    /// <summary>
    /// Verifies proposed documents for an identity as <see cref="Propose"/> does: they replace the identity's Allow
    /// grants (its guardrails stay in place), must grant nothing the identity does not have, and must still allow
    /// every observed call of the window and the lookback. Used for hand-written or edited proposals.
    /// </summary>
    public ProposalVerification Verify(ProposalInput input, IReadOnlyList<ProposedPolicy> proposed)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(proposed);
        var guardrails = Guardrails.Split(input.Estate, input.Identity);
        var observed = Canonical(input.Window, input.Effective.Allowed, null, "window").Values.SelectMany(v => v)
            .Concat(Canonical(input.Lookback, input.Effective.Allowed, null, "lookback").Values.SelectMany(v => v));
        var documents = proposed.Concat(guardrails.DenyDocuments.Where(d => !proposed.Any(p => p.Name == d.Name))).ToList();
        return Check(input, documents, guardrails, observed).Verification;
    }

    private (ProposalVerification Verification, AwsEffectivePermissions After) Check(
        ProposalInput input, IReadOnlyList<ProposedPolicy> documents, GuardrailSplit guardrails, IEnumerable<ObservedAction> observed)
    {
        var diags = new DiagnosticBag();
        var compiled = documents.Select(p => PolicyParser.Parse(p.Json, p.Name, PolicyKind.Identity).Document is { } doc
            ? CompiledPolicy.Compile(doc, diags)
            : CompiledPolicy.Compile(PolicyDocument.Unknown(p.Name, "the proposed document does not parse"), diags));
        var proposedContext = input.Identity with { IdentityPolicies = [.. compiled, .. guardrails.KeptAttached] };
        var after = _calculator.Compute(proposedContext);
        var exceeds = after.Allowed.Except(input.Effective.Allowed);
        var verification = Replay(input, proposedContext, observed) with
        {
            Exceeding = [.. exceeds.Select(a => a.FullName).Order(StringComparer.Ordinal)],
        };
        return (verification, after);
    }

    /// <summary>Observations keyed by catalog action; those outside the identity's grants were allowed by a resource policy.</summary>
    private Dictionary<AwsAction, List<ObservedAction>> Canonical(IEnumerable<ObservedAction> observed, ActionSet granted, List<string>? notes, string what)
    {
        var result = new Dictionary<AwsAction, List<ObservedAction>>();
        var outside = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var o in observed)
        {
            if (!_catalog.TryGetAction(o.Action, out var action))
            {
                outside.Add(o.Action);
                continue;
            }
            if (!granted.Contains(action))
            {
                outside.Add(action.FullName);
                continue;
            }
            if (!result.TryGetValue(action, out var list)) { result[action] = list = []; }
            list.Add(o);
        }
        if (notes is not null && outside.Count > 0)
        {
            notes.Add($"{outside.Count} action(s) observed in the {what} are not granted by the identity's own policies (allowed by a resource policy, or unknown to the catalog) and are not part of the proposal: {string.Join(", ", outside.Take(8))}{(outside.Count > 8 ? ", …" : "")}");
        }
        return result;
    }

    private readonly record struct ScopeChoice(ImmutableArray<string> Resources, bool NotResource, ImmutableArray<ConditionEntry> Conditions);

    /// <summary>The resource scopes to keep for one action, each with the conditions of the original grant covering it.</summary>
    private List<ScopeChoice> Scope(AwsAction action, List<ObservedAction> seen, ImmutableArray<AwsGrant> grants, ProposalOptions options, List<string> notes)
    {
        var covering = grants.Where(g => g.Actions.Contains(action)).OrderBy(g => g.Conditions.Length).ToList();
        var result = new List<ScopeChoice>();
        var concrete = seen.Select(s => s.Resource).Where(r => r != "*" && r.StartsWith("arn:", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (action.ResourceTypes.IsEmpty || concrete.Count == 0)
        {
            // Actions that take only `*`, or whose calls named no resource: the log cannot say which of the original
            // scopes was used, so every original scope of the action is kept (never more than the original).
            foreach (var g in covering.GroupBy(g => (string.Join("\n", g.Resources), g.NotResource, ConditionKey(g.Conditions))).Select(x => x.First()))
            {
                result.Add(new ScopeChoice(action.ResourceTypes.IsEmpty && !g.NotResource ? ["*"] : g.Resources, g.NotResource, g.Conditions));
            }
            return result;
        }
        var patterns = new List<string>();
        foreach (var group in concrete.GroupBy(Parent, StringComparer.Ordinal))
        {
            var members = group.ToList();
            var wildcard = group.Key + "/*";
            if (group.Key.Length > 0 && members.Count >= options.GeneraliseFrom && Covering(covering, wildcard) is not null)
            {
                patterns.Add(wildcard);
            }
            else
            {
                patterns.AddRange(members);
            }
        }
        foreach (var byGrant in patterns.GroupBy(p => Covering(covering, p)))
        {
            if (byGrant.Key is null)
            {
                notes.Add($"`{action.FullName}` on {string.Join(", ", byGrant.Take(3))} was allowed by a resource policy, not by the identity's own policies: not part of the proposal");
                continue;
            }
            result.Add(new ScopeChoice([.. byGrant.Order(StringComparer.Ordinal)], false, byGrant.Key.Conditions));
        }
        return result;
    }

    /// <summary>
    /// The scopes for an unknown action kept without evidence: the resources the identity touched in the same service
    /// that the action applies to (an object's bucket for bucket actions, a bucket's objects for object actions), each
    /// within an original grant; the original grant's own resources when none fits. Never widened to `*`.
    /// </summary>
    private List<ScopeChoice> ScopeUnknown(AwsAction action, List<ObservedAction> touched, ImmutableArray<AwsGrant> grants, ProposalOptions options)
    {
        if (action.ResourceTypes.IsEmpty) { return Scope(action, [], grants, options, []); }
        var fitted = new List<ObservedAction>();
        foreach (var o in touched.Where(o => o.Resource.StartsWith("arn:", StringComparison.Ordinal)))
        {
            foreach (var candidate in Related(o.Resource))
            {
                if (action.ResourceTypesFor(candidate).Any())
                {
                    fitted.Add(o with { Resource = candidate });
                    break;
                }
            }
        }
        var notes = new List<string>();
        var result = fitted.Count == 0 ? [] : Scope(action, fitted, grants, options with { GeneraliseFrom = int.MaxValue }, notes);
        if (result.Count > 0) { return result; }
        // No touched resource fits: the original grant's resources, unless that grant is `*` (or a NotResource),
        // which would keep the action everywhere: then it is left out and the caller notes it.
        var covering = grants.Where(g => g.Actions.Contains(action) && !g.NotResource && !g.Resources.Contains("*")).ToList();
        return [.. covering.GroupBy(g => (string.Join("\n", g.Resources), ConditionKey(g.Conditions))).Select(x => x.First())
            .Select(g => new ScopeChoice(g.Resources, false, g.Conditions))];
    }

    /// <summary>`arn:aws:s3:::b/k/x` → itself, `arn:aws:s3:::b`, `arn:aws:s3:::b/*`; ARNs without a path → itself, `ARN/*`.</summary>
    private static IEnumerable<string> Related(string arn)
    {
        yield return arn;
        var colon = NthIndexOf(arn, ':', 5);
        var slash = colon < 0 ? -1 : arn.IndexOf('/', colon + 1);
        var container = slash > 0 ? arn[..slash] : arn;
        if (container != arn) { yield return container; }
        yield return container + "/*";
    }

    /// <summary>The first original grant (fewest conditions first) whose resources cover a pattern, treating the pattern's wildcards literally.</summary>
    private static AwsGrant? Covering(List<AwsGrant> grants, string pattern)
    {
        foreach (var g in grants)
        {
            var hit = g.Resources.Any(r => ArnPattern.IsMatch(r, pattern));
            if (g.NotResource ? !hit : hit) { return g; }
        }
        return null;
    }

    /// <summary>`arn:aws:s3:::bucket/a/b` → `arn:aws:s3:::bucket/a`; ARNs without a path have no parent (empty).</summary>
    private static string Parent(string arn)
    {
        var colon = NthIndexOf(arn, ':', 5);
        var slash = arn.LastIndexOf('/');
        return colon >= 0 && slash > colon ? arn[..slash] : "";
    }

    /// <summary>`arn:aws:sqs:eu-west-1:…` → `eu-west-1`; null for `*` and global ARNs (S3, IAM).</summary>
    private static string? RegionOf(string resource)
    {
        if (!resource.StartsWith("arn:", StringComparison.Ordinal)) { return null; }
        var start = NthIndexOf(resource, ':', 3);
        var end = NthIndexOf(resource, ':', 4);
        return start > 0 && end > start + 1 ? resource[(start + 1)..end] : null;
    }

    private static int NthIndexOf(string s, char c, int n)
    {
        var index = -1;
        for (var i = 0; i < n; i++)
        {
            index = s.IndexOf(c, index + 1);
            if (index < 0) { return -1; }
        }
        return index;
    }

    private static string ConditionKey(ImmutableArray<ConditionEntry> conditions) =>
        string.Join("\n", conditions.Select(c => $"{c.Operator}|{c.Key}|{string.Join("|", c.Values)}"));

    private static ImmutableArray<ProposedStatement> Group(List<(AwsAction Action, ImmutableArray<string> Resources, bool NotResource, ImmutableArray<ConditionEntry> Conditions)> scoped)
    {
        var groups = scoped
            .GroupBy(s => (Resources: string.Join("\n", s.Resources), s.NotResource, Conditions: ConditionKey(s.Conditions)))
            .Select(g => (Actions: g.Select(x => x.Action).Distinct().OrderBy(a => a.FullName, StringComparer.Ordinal).ToList(), First: g.First()))
            .OrderBy(g => g.Actions[0].FullName, StringComparer.Ordinal)
            .ToList();
        var sids = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<ProposedStatement>(groups.Count);
        foreach (var (actions, first) in groups)
        {
            var services = actions.Select(a => a.Service).Distinct(StringComparer.Ordinal).ToList();
            var levels = actions.Select(a => a.AccessLevel).Distinct().Order().ToList();
            var stem = string.Concat(services.Take(3).Select(Pascal)) + (services.Count > 3 ? "More" : "")
                + (levels.Count == 1 ? levels[0].ToString() : "Mixed");
            sids[stem] = sids.TryGetValue(stem, out var n) ? n + 1 : 1;
            var sid = sids[stem] == 1 ? stem : stem + sids[stem].ToString(CultureInfo.InvariantCulture);
            result.Add(new ProposedStatement(sid, [.. actions.Select(a => a.FullName)], first.Resources, first.NotResource, first.Conditions));
        }
        return result.ToImmutable();
    }

    private static string Pascal(string service) =>
        string.Concat(service.Split(['-', '.'], StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    /// <summary>Writes the statements as IAM JSON documents, splitting across documents to stay under the size limit.</summary>
    private static ImmutableArray<ProposedPolicy> Render(Identity identity, ImmutableArray<ProposedStatement> statements, int maxSize)
    {
        var documents = new List<List<ProposedStatement>> { new() };
        foreach (var statement in statements.SelectMany(s => SplitStatement(s, maxSize)))
        {
            var current = documents[^1];
            if (current.Count > 0 && Size(Json([.. current, statement])) > maxSize) { documents.Add([statement]); }
            else { current.Add(statement); }
        }
        var name = $"{identity.Name}-least-privilege";
        return [.. documents.Select((d, i) =>
        {
            var json = Json(d);
            return new ProposedPolicy(documents.Count == 1 ? name : $"{name}-{i + 1}", json, Size(json));
        })];
    }

    private static IEnumerable<ProposedStatement> SplitStatement(ProposedStatement s, int maxSize)
    {
        if (Size(Json([s])) <= maxSize) { return [s]; }
        if (s.Actions.Length > 1)
        {
            var half = s.Actions.Length / 2;
            return SplitStatement(s with { Actions = s.Actions[..half], Sid = s.Sid + "A" }, maxSize)
                .Concat(SplitStatement(s with { Actions = s.Actions[half..], Sid = s.Sid + "B" }, maxSize));
        }
        if (s.Resources.Length > 1 && !s.NotResource)
        {
            var half = s.Resources.Length / 2;
            return SplitStatement(s with { Resources = s.Resources[..half], Sid = s.Sid + "A" }, maxSize)
                .Concat(SplitStatement(s with { Resources = s.Resources[half..], Sid = s.Sid + "B" }, maxSize));
        }
        return [s];
    }

    /// <summary>IAM counts policy size without white space.</summary>
    private static int Size(string json) => json.Count(c => !char.IsWhiteSpace(c));

    public static string Json(IReadOnlyList<ProposedStatement> statements)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("Version", "2012-10-17");
            w.WriteStartArray("Statement");
            foreach (var s in statements)
            {
                w.WriteStartObject();
                w.WriteString("Sid", s.Sid);
                w.WriteString("Effect", "Allow");
                WriteList(w, "Action", s.Actions);
                WriteList(w, s.NotResource ? "NotResource" : "Resource", s.Resources);
                WriteConditions(w, s.Conditions);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A `Condition` block (nothing when there are no conditions), grouped by operator.</summary>
    internal static void WriteConditions(Utf8JsonWriter w, ImmutableArray<ConditionEntry> conditions)
    {
        if (conditions.IsEmpty) { return; }
        w.WriteStartObject("Condition");
        foreach (var op in conditions.GroupBy(c => c.Operator, StringComparer.Ordinal))
        {
            w.WriteStartObject(op.Key);
            foreach (var c in op) { WriteList(w, c.Key, c.Values); }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>One value as a string, several as an array, as IAM writes them.</summary>
    internal static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 1)
        {
            w.WriteString(name, values[0]);
            return;
        }
        w.WriteStartArray(name);
        foreach (var v in values) { w.WriteStringValue(v); }
        w.WriteEndArray();
    }

    private static ProposalVerification Replay(ProposalInput input, AwsIdentityContext proposed, IEnumerable<ObservedAction> observed)
    {
        int replayed = 0, allowed = 0, notReplayable = 0;
        var regressions = ImmutableArray.CreateBuilder<ObservedAction>();
        foreach (var o in observed)
        {
            // What the log tells about the call: its region and time, and that API calls arrive over TLS.
            var keys = new List<KeyValuePair<string, ContextValue>>
            {
                new("aws:SecureTransport", ContextValue.Single("true")),
                new("aws:CurrentTime", ContextValue.Single(o.LastSeen.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))),
                new("aws:EpochTime", ContextValue.Single(o.LastSeen.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))),
            };
            // The stored rollup keeps no region; a regional resource's ARN names the region the call went to.
            if ((o.Region ?? RegionOf(o.Resource)) is { } region) { keys.Add(new("aws:RequestedRegion", ContextValue.Single(region))); }
            var context = RequestContext.Create(keys);
            var request = input.Estate.CreateRequest(input.Identity, o.Action, o.Resource, null, context);
            var before = AwsAuthorizer.Evaluate(request, input.Estate.PolicySetFor(input.Identity, request));
            if (before.Decision != Decision.Allow)
            {
                // The log says it was allowed but the engine cannot reproduce that without the request's full context.
                notReplayable++;
                continue;
            }
            replayed++;
            var after = AwsAuthorizer.Evaluate(request, input.Estate.PolicySetFor(proposed, request));
            if (after.Decision == Decision.Allow) { allowed++; }
            else { regressions.Add(o); }
        }
        return new ProposalVerification(replayed, allowed, notReplayable, regressions.ToImmutable());
    }

    /// <summary>
    /// 0–1: how much of the window the log covers, how much was observed (saturating around a few hundred calls), less
    /// a penalty for the share of kept actions the log cannot see.
    /// </summary>
    private static double Confidence(ProposalInput input, int notRecorded, int kept, long events) =>
        ProposalConfidence.ScoreOf(input.WindowDays, input.ObservedDays, events, notRecorded, kept);
}
