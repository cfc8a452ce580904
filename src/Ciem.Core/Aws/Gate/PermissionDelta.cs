using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Aws.Gate;

/// <summary>The effective permissions of one principal before and after a change, and what changed.</summary>
public sealed record PermissionDelta(
    PrincipalChange Change,
    AwsEffectivePermissions Before,
    AwsEffectivePermissions After,
    ActionSet Added,
    ActionSet Removed,
    bool InInventory,
    ImmutableDictionary<string, SourceLocation> PolicyLocations,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool BecameAdministrator => After.IsAdministrator && !Before.IsAdministrator;

    /// <summary>Where a policy named in a grant's provenance comes from in the change, when it does.</summary>
    public SourceLocation? LocationOf(string policyName) => PolicyLocations.TryGetValue(policyName, out var l) ? l : null;
}

/// <summary>
/// Computes <see cref="PermissionDelta"/>s with <see cref="AwsEffectivePermissionCalculator"/> on synthetic identity
/// contexts built from each side of a change. When an <see cref="AwsEstate"/> holds the principal, the policies the
/// change does not touch, its permissions boundary and its SCP chain are applied on both sides.
/// </summary>
public sealed class PermissionDeltaCalculator
{
    private const string UnknownAccount = "000000000000";
    private readonly AwsEffectivePermissionCalculator _calculator;
    private readonly AwsEstate? _estate;

    public PermissionDeltaCalculator(AwsActionCatalog catalog, AwsEstate? estate = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _calculator = new AwsEffectivePermissionCalculator(catalog);
        _estate = estate;
    }

    public AwsActionCatalog Catalog => _calculator.Catalog;

    public PermissionDelta Compute(PrincipalChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var diags = new DiagnosticBag();
        var existing = FindExisting(change);
        var locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var before = _calculator.Compute(Context(change, change.Before, change.BoundaryBefore, existing, diags, locations));
        var after = _calculator.Compute(Context(change, change.After, change.BoundaryAfter, existing, diags, locations));
        return new PermissionDelta(change, before, after, after.Allowed.Except(before.Allowed), before.Allowed.Except(after.Allowed),
            existing is not null, locations.ToImmutableDictionary(StringComparer.Ordinal), diags.ToImmutable());
    }

    private AwsIdentityContext? FindExisting(PrincipalChange change)
    {
        if (_estate is null || change.Kind is not (GatePrincipalKind.User or GatePrincipalKind.Role)) { return null; }
        var marker = change.Kind == GatePrincipalKind.Role ? ":role/" : ":user/";
        return _estate.Find(change.Account is null ? change.Name : $"{change.Account}/{change.Name}")
            .FirstOrDefault(i => i.Identity.Id.Contains(marker, StringComparison.Ordinal));
    }

    private AwsIdentityContext Context(PrincipalChange change, ImmutableArray<GatePolicy> policies, GatePolicy? boundary, AwsIdentityContext? existing, DiagnosticBag diags, Dictionary<string, SourceLocation> locations)
    {
        var compiled = ImmutableArray.CreateBuilder<CompiledPolicy>();
        var changedNames = change.Before.Concat(change.After).Select(p => p.Arn ?? p.Name).ToHashSet(StringComparer.Ordinal);
        if (existing is not null)
        {
            // The inventory's policies that the change does not restate stay as they are on both sides.
            compiled.AddRange(existing.IdentityPolicies.Where(p => !changedNames.Any(n => p.Name == n || p.Name.EndsWith("#" + n, StringComparison.Ordinal) || p.Name.EndsWith("/" + n, StringComparison.Ordinal))));
        }
        foreach (var p in policies) { compiled.Add(Compile(p, PolicyKind.Identity, diags, locations)); }
        var boundaries = boundary is not null ? [Compile(boundary, PolicyKind.Boundary, diags, locations)] : existing?.Boundaries ?? [];
        var account = change.Account ?? existing?.Identity.Scope ?? UnknownAccount;
        var arn = existing?.Identity.Id ?? $"arn:aws:iam::{account}:{(change.Kind == GatePrincipalKind.Role ? "role" : "user")}/{change.Name}";
        // Symbolic names (`${var.name}`) may not form a valid ARN; the evaluation does not depend on the name.
        if (!AwsPrincipal.TryParse(arn, out var principal, out _) && !AwsPrincipal.TryParse($"arn:aws:iam::{UnknownAccount}:user/principal", out principal, out var error))
        {
            throw new InvalidOperationException(error);
        }
        var kind = change.Kind == GatePrincipalKind.Role ? IdentityKind.Role : IdentityKind.ServiceIdentity;
        var identity = existing?.Identity ?? new Identity("aws", arn, change.Name, kind, account, [], null, null);
        return new AwsIdentityContext(identity, principal, compiled.ToImmutable(), boundaries, existing?.Scps ?? [], existing?.IsManagementAccount ?? false, existing?.IsServiceLinked ?? false, null);
    }

    private CompiledPolicy Compile(GatePolicy policy, PolicyKind kind, DiagnosticBag diags, Dictionary<string, SourceLocation> locations)
    {
        locations.TryAdd(policy.Name, policy.Location);
        var document = policy.Document;
        if (document is null && policy.Arn is not null && _estate?.Inventory.FindManagedPolicy(policy.Arn) is { } managed)
        {
            var parsed = PolicyParser.Parse(managed.Document, policy.Name, kind, new SourceLocation(File: policy.Arn, JsonPath: "$"));
            diags.AddRange(parsed.Diagnostics);
            document = parsed.Document;
        }
        if (document is null)
        {
            diags.Warning(DiagnosticCodes.GateUnknownPolicy, $"the content of policy `{policy.Name}` is unknown (known only after apply, or not a literal document): the actions it could grant are indeterminate", policy.Location);
            document = PolicyDocument.Unknown(policy.Name, $"the content of policy `{policy.Name}` is unknown");
        }
        return CompiledPolicy.Compile(document with { Kind = kind }, diags);
    }
}
