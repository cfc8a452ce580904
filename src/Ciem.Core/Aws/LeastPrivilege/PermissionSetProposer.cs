using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Directories;

namespace Ciem.Core.Aws.LeastPrivilege;

/// <summary>
/// The IAM Identity Center permission set a proposal changes: the `AWSReservedSSO_{Name}_…` roles it provisions
/// cannot be edited in IAM (AWS refuses attachments to them), so the proposal is one inline policy of the permission
/// set, replacing its managed and customer-managed policies in every account it is assigned to.
/// </summary>
/// <param name="Name">the permission set's name (from the roles' names).</param>
/// <param name="Arn">its ARN when the directory snapshot holds it.</param>
/// <param name="Roles">the provisioned roles whose usage is combined (one per account).</param>
/// <param name="Principals">users and groups assigned to it (from the directory's account assignments; 0 when unknown).</param>
/// <param name="ManagedPolicyArns">AWS-managed policies attached to it (replaced).</param>
/// <param name="CustomerManaged">customer-managed policy references (replaced unless they only restrict).</param>
/// <param name="HasInlinePolicy">whether it has an inline policy now (overwritten by the proposal).</param>
public sealed record PermissionSetTarget(
    string Name,
    string? Arn,
    ImmutableArray<string> Roles,
    int Principals,
    ImmutableArray<string> ManagedPolicyArns,
    ImmutableArray<CustomerManagedPolicyReference> CustomerManaged,
    bool HasInlinePolicy)
{
    /// <summary>The accounts the permission set is provisioned in (from the roles' ARNs).</summary>
    public ImmutableArray<string> Accounts =>
        [.. Roles.Select(r => r.Split(':') is { Length: > 4 } parts ? parts[4] : "").Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <summary>
/// Proposes a change to an Identity Center permission set from the usage of every role it provisions (every account,
/// every person assigned), and verifies it against each role's own calls in its own account (its SCPs in place).
/// </summary>
public static class PermissionSetProposer
{
    /// <summary>The size limit of a permission set's inline policy (IAM Identity Center quotas), in characters.</summary>
    public const int InlinePolicyLimit = 32_768;

    /// <param name="proposer">the proposer.</param>
    /// <param name="inputs">one input per provisioned role, each with that role's usage.</param>
    /// <param name="permissionSet">the directory's permission set, when imported.</param>
    /// <param name="assignments">the directory's account assignments (to count the people and groups).</param>
    /// <param name="options">proposal options.</param>
    public static PolicyProposal Propose(
        PolicyProposer proposer,
        IReadOnlyList<ProposalInput> inputs,
        PermissionSet? permissionSet,
        IReadOnlyList<AccountAssignment> assignments,
        ProposalOptions options)
    {
        ArgumentNullException.ThrowIfNull(proposer);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(assignments);
        ArgumentNullException.ThrowIfNull(options);
        if (inputs.Count == 0) { throw new ArgumentException("a permission set proposal needs at least one role", nameof(inputs)); }
        var ordered = inputs.OrderBy(i => i.Identity.Identity.Id, StringComparer.Ordinal).ToList();
        var first = ordered[0];
        var name = IdentityLinker.PermissionSetNameOf(first.Identity.Identity.Name) ?? first.Identity.Identity.Name;

        // One proposal from the combined usage of every role, scoped on the first role's grants (a permission set
        // provisions the same policies in every account).
        var combined = first with
        {
            Window = [.. ordered.SelectMany(i => i.Window)],
            Lookback = [.. ordered.SelectMany(i => i.Lookback)],
            ObservedDays = ordered.Max(i => i.ObservedDays),
        };
        var proposal = proposer.Propose(combined, options with { MaxPolicySize = InlinePolicyLimit });
        var inline = MergeDocuments(proposal.Policies);
        var size = inline.Count(c => !char.IsWhiteSpace(c));
        ImmutableArray<ProposedPolicy> policies = [new ProposedPolicy($"{name}-inline-policy", inline, size)];
        var notes = proposal.Notes.ToBuilder();
        if (size > InlinePolicyLimit)
        {
            notes.Add($"the proposed inline policy has {size:N0} characters, above the permission set limit of {InlinePolicyLimit:N0}: split the permission set or keep a managed policy");
        }

        // Verified per role: each role's calls replayed in its own account with the proposal in place.
        int replayed = 0, allowed = 0, notReplayable = 0;
        var regressions = ImmutableArray.CreateBuilder<ObservedAction>();
        var exceeding = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var input in ordered)
        {
            var v = proposer.Verify(input, policies);
            replayed += v.Replayed;
            allowed += v.StillAllowed;
            notReplayable += v.NotReplayable;
            regressions.AddRange(v.Regressions);
            exceeding.UnionWith(v.Exceeding);
        }
        var verification = new ProposalVerification(replayed, allowed, notReplayable, regressions.ToImmutable()) { Exceeding = [.. exceeding] };
        var principals = permissionSet is null ? 0
            : assignments.Where(a => a.PermissionSetArn == permissionSet.Arn).Select(a => (a.PrincipalType, a.PrincipalId)).Distinct().Count();
        var target = new PermissionSetTarget(
            name,
            permissionSet?.Arn,
            [.. ordered.Select(i => i.Identity.Identity.Id)],
            principals,
            permissionSet?.AwsManagedPolicyArns ?? [.. first.Identity.IdentityPolicies.Select(p => p.Name).Where(n => !n.Contains('#', StringComparison.Ordinal))],
            permissionSet?.CustomerManagedPolicies ?? [],
            permissionSet?.InlinePolicy is not null || first.Identity.IdentityPolicies.Any(p => p.Name.Contains('#', StringComparison.Ordinal)));
        var confidence = verification.State == VerificationState.Unverified ? Model.ProposalConfidence.Unverified(proposal.Confidence) : proposal.Confidence;
        return proposal with
        {
            Policies = policies,
            Verification = verification,
            Confidence = confidence,
            Notes = notes.ToImmutable(),
            PermissionSet = target,
        };
    }

    /// <summary>The statements of several documents in one (a permission set has a single inline policy).</summary>
    public static string MergeDocuments(IReadOnlyList<ProposedPolicy> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 1) { return documents[0].Json; }
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("Version", "2012-10-17");
            w.WriteStartArray("Statement");
            foreach (var d in documents)
            {
                using var doc = JsonDocument.Parse(d.Json);
                var statements = doc.RootElement.GetProperty("Statement");
                if (statements.ValueKind == JsonValueKind.Array) { foreach (var s in statements.EnumerateArray()) { s.WriteTo(w); } }
                else { statements.WriteTo(w); }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
