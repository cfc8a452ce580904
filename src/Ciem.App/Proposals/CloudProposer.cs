using System.Collections.Immutable;
using Ciem.App.Identities;
using Ciem.App.Usage;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Azure.LeastPrivilege;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.LeastPrivilege;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
using Ciem.Storage;

namespace Ciem.App.Proposals;

/// <summary>
/// What `ciem propose --provider azure|gcp PRINCIPAL` asks for: the principal (any form the resolvers accept), the
/// window ending on the day of <see cref="AsOf"/>, its lookback (seasonal use), the exceptions always kept when
/// granted, and whether granted permissions the logs cannot show used are left out.
/// </summary>
public sealed record CloudProposeRequest(Provider Provider, string Query, DateTimeOffset AsOf, int WindowDays)
{
    public int LookbackDays { get; init; } = 400;

    public IReadOnlyCollection<string> Keep { get; init; } = [];

    public bool DropUnknown { get; init; }
}

/// <summary>
/// One principal's proposal: the document (`role.json` or `binding.json`) and Terraform, the grant counts, what was
/// removed and kept (and why), the confidence; <see cref="Failures"/> say why nothing may be emitted.
/// </summary>
public sealed record CloudProposeResult(
    Provider Provider,
    string Principal,
    string Name,
    string Scope,
    string Document,
    string Terraform,
    string Extension,
    int GrantedBefore,
    int GrantedAfter,
    string Summary,
    ImmutableArray<string> Removed,
    ImmutableArray<string> Failures,
    ProposalConfidence? Confidence,
    ImmutableArray<(string Permission, KeepReason Reason, long Count)> Kept)
{
    /// <summary>Whether the proposal passed its replay and may be written.</summary>
    public bool Emitted => Failures.IsEmpty;
}

/// <summary>A proposal, or why there is none: no inventory (<see cref="Missing"/>) or no such principal (<see cref="Unknown"/>).</summary>
public sealed record CloudProposeOutcome(CloudProposeResult? Result, string? Missing, string? Unknown);

/// <summary>
/// A verified least-privilege role for one Azure or GCP principal from the usage of the window (as `ciem gap
/// --provider` reads it), with the seasonal operations of the lookback, the exceptions and, unless dropped, the granted
/// permissions the logs cannot show used, each marked, and a confidence with its reason.
/// </summary>
public static class CloudProposer
{
    public static CloudProposeOutcome Propose(CiemSession session, CloudProposeRequest request)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        var (provider, query, when) = (request.Provider, request.Query, request.AsOf);
        var window = UsageWindow.Of(when, request.WindowDays, request.LookbackDays);
        // What the window's logs record (unknown permissions) and the days with usage; the lookback is read per principal below.
        var store = session.Store;
        var evidence = CloudUsage.Evidence(store, provider, UsageWindow.Of(when, request.WindowDays), []);
        var keep = request.Keep;
        if (provider == Provider.Azure)
        {
            var loaded = session.Azure;
            if (loaded.Value is not { } inventory) { return new(null, loaded.Error, null); }
            var estate = inventory.ToEstate();
            // The same resolver as every other command: a principal whose access comes through a group is found too.
            var resolved = IdentityResolver.ForAzure(estate, session.People.Directories).Resolve(query);
            if (resolved.Found is not { } found) { return new(null, null, resolved.Problem(provider, query)); }
            var identity = AzureEffectiveAccess.IdentityOf(found.Id, found.Type, estate);
            static AzureObservedOperation Observed(UsageTotal u) => new(u.Action, u.Resource, u.Count,
                AzureOperationCatalog.Default.TryGetOperation(u.Action, AzurePlane.Control, out _) || !AzureOperationCatalog.Default.TryGetOperation(u.Action, AzurePlane.Data, out _)
                    ? AzurePlane.Control : AzurePlane.Data);
            var used = CloudUsage.OfIdentity(store, provider, window.Start, window.EndExclusive, identity).Select(Observed);
            var options = new AzureProposalOptions
            {
                Lookback = [.. CloudUsage.OfIdentity(store, provider, window.LookbackStart, window.Start, identity).Select(Observed)],
                KeepOperations = [.. keep],
                Recording = evidence.AzureRecording,
                DropUnknown = request.DropUnknown,
                WindowDays = request.WindowDays,
                ObservedDays = evidence.ObservedDays,
            };
            var result = AzureRoleProposer.Propose(estate, found.Id, used, when, null, options);
            var p = result.Proposal;
            return new(new CloudProposeResult(provider, found.Id, identity.Name, p?.Scope ?? "",
                p?.RoleDefinitionJson ?? "", p?.Terraform ?? "", p is null ? "" : "role.json", p?.GrantedBefore ?? 0, p?.GrantedAfter ?? 0,
                p is null ? "" : $"custom role `{p.Role.RoleName}` at `{p.Scope}`", p?.Removed ?? [], [.. result.Failures], p?.Confidence,
                p is null ? [] : [.. p.Evidence.Select(e => (e.Operation, e.Reason, e.Count))]), null, null);
        }
        var gcp = session.Gcp;
        if (gcp.Value is not { } gcpInventory) { return new(null, gcp.Error, null); }
        var policies = GcpPolicySet.Create(gcpInventory);
        // A bare email is a user (or a service account): the forms every command accepts, most specific first.
        // The resolver gap and effective use: a member, its bare email or its name resolve to the member the logs name.
        var members = GcpEffectiveAccess.ComputeAll(policies).Select(a => (a.Identity.Id, a.Identity.Name));
        var resolvedMember = IdentityResolver.ForGcp(members).Resolve(query);
        if (resolvedMember.Found is not { } known) { return new(null, null, resolvedMember.Problem(provider.Name, query)); }
        var member = known.Id;
        var principal = GcpEffectiveAccess.Compute(policies, member).Identity;
        var gcpUsed = CloudUsage.OfIdentity(store, provider, window.Start, window.EndExclusive, principal).Select(u => new GcpObservedPermission(u.Action, u.Resource, u.Count));
        var gcpOptions = new GcpProposalOptions
        {
            Lookback = [.. CloudUsage.OfIdentity(store, provider, window.LookbackStart, window.Start, principal).Select(u => new GcpObservedPermission(u.Action, u.Resource, u.Count))],
            KeepPermissions = [.. keep],
            Recording = evidence.GcpRecording,
            DropUnknown = request.DropUnknown,
            WindowDays = request.WindowDays,
            ObservedDays = evidence.ObservedDays,
        };
        var gcpResult = GcpRoleProposer.Propose(policies, member, gcpUsed, when, gcpOptions);
        var g = gcpResult.Proposal;
        return new(new CloudProposeResult(provider, member, principal.Name, g?.Resource ?? "",
            g?.Json ?? "", g?.Terraform ?? "", g is null ? "" : g.IsPredefined ? "binding.json" : "role.json", g?.GrantedBefore ?? 0, g?.GrantedAfter ?? 0,
            g is null ? "" : $"{g.Note}; `{g.Role}` on `{g.Resource}`", g?.Removed ?? [], [.. gcpResult.Failures], g?.Confidence,
            g is null ? [] : [.. g.Evidence.Select(e => (e.Permission, e.Reason, e.Count))]), null, null);
    }
}
