using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using Ciem.Core.Sweep;

namespace Ciem.Core.Aws.Effective;

/// <summary>One IAM user or role with every policy that bears on what it can do, resolved from the inventory.</summary>
public sealed record AwsIdentityContext(
    Identity Identity,
    AwsPrincipal Principal,
    ImmutableArray<CompiledPolicy> IdentityPolicies,
    ImmutableArray<CompiledPolicy> Boundaries,
    ImmutableArray<PolicyLevel> Scps,
    bool IsManagementAccount,
    bool IsServiceLinked,
    CompiledPolicy? TrustPolicy)
{
    /// <summary>The policy set for a request by this identity; resource-side layers are added by the caller.</summary>
    public AwsPolicySet ToPolicySet() => new()
    {
        Identity = IdentityPolicies,
        Boundaries = Boundaries,
        Scps = Scps,
        IsManagementAccount = IsManagementAccount,
        PrincipalIsServiceLinkedRole = IsServiceLinked,
    };
}

/// <summary>
/// The inventory resolved for evaluation: every user and role with its inline, managed and group policies,
/// boundary and SCP chain, each policy parsed and compiled once; resource policies and RCPs by resource.
/// Building never throws on content: unreadable policies and dangling references become diagnostics and the
/// affected statements evaluate as indeterminate.
/// </summary>
public sealed class AwsEstate
{
    private readonly FrozenDictionary<string, AwsIdentityContext> _byArn;
    private readonly Dictionary<string, CompiledPolicy> _resourcePolicies;
    private readonly AwsInventory _inventory;
    private readonly ConcurrentDictionary<string, ResolvedEnvironment> _environments = new(StringComparer.Ordinal);
    private readonly OrganizationLevels _levels;

    private AwsEstate(AwsInventory inventory, ImmutableArray<AwsIdentityContext> identities,
        Dictionary<string, CompiledPolicy> resourcePolicies, OrganizationLevels levels, ImmutableArray<Diagnostic> diagnostics)
    {
        _inventory = inventory;
        Identities = identities;
        _byArn = identities.ToFrozenDictionary(i => i.Identity.Id, StringComparer.Ordinal);
        _resourcePolicies = resourcePolicies;
        _levels = levels;
        Diagnostics = diagnostics;
    }

    public ImmutableArray<AwsIdentityContext> Identities { get; }

    public ImmutableArray<Diagnostic> Diagnostics { get; }

    public AwsInventory Inventory => _inventory;

    /// <param name="inventory">what was imported.</param>
    /// <param name="catalog">
    /// the action catalog used to flag action names that match no known action (default: the shipped one).
    /// </param>
    public static AwsEstate Build(AwsInventory inventory, AwsActionCatalog? catalog = null) => Build(inventory, catalog, null);

    /// <param name="inventory">what was imported.</param>
    /// <param name="catalog">the action catalog (default: the shipped one).</param>
    /// <param name="levelCompiled">told of each account's SCP or RCP levels as they are compiled (tests count them).</param>
    internal static AwsEstate Build(AwsInventory inventory, AwsActionCatalog? catalog, Action<string, OrgPolicyKind>? levelCompiled)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var diags = new DiagnosticBag();
        var compiler = new PolicyCache(diags, catalog ?? AwsActionCatalog.Default);
        var org = inventory.Organization;
        var levels = new OrganizationLevels(org, compiler, diags, levelCompiled);

        var identities = ImmutableArray.CreateBuilder<AwsIdentityContext>();
        foreach (var account in inventory.Accounts.OrderBy(a => a.AccountId, StringComparer.Ordinal))
        {
            var groups = account.Groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
            var isManagement = org is not null && org.ManagementAccountId == account.AccountId;
            var scps = levels.Of(account.AccountId, OrgPolicyKind.Scp);
            var report = inventory.FindCredentialReport(account.AccountId);
            CompiledPolicy? Managed(string arn, string owner)
            {
                var p = inventory.FindManagedPolicy(arn) ?? account.Policies.FirstOrDefault(x => x.Arn == arn);
                if (p is null)
                {
                    diags.Warning(DiagnosticCodes.ImportDanglingReference,
                        $"`{owner}` has policy `{arn}` attached, but that policy is not in the inventory: its grants are unknown");
                    return compiler.Unknown(arn);
                }
                return compiler.Compile(p.Arn, p.Document, PolicyKind.Identity);
            }
            foreach (var user in account.Users)
            {
                var policies = ImmutableArray.CreateBuilder<CompiledPolicy>();
                foreach (var inline in user.InlinePolicies)
                {
                    policies.Add(compiler.Compile($"{user.Arn}#{inline.Name}", inline.Document, PolicyKind.Identity));
                }
                foreach (var arn in user.AttachedPolicyArns) { if (Managed(arn, user.Arn) is { } p) { policies.Add(p); } }
                foreach (var groupName in user.GroupNames)
                {
                    if (!groups.TryGetValue(groupName, out var group))
                    {
                        diags.Warning(DiagnosticCodes.ImportDanglingReference, $"user `{user.Arn}` is in group `{groupName}`, "
                            + "which is not in the export: the group's policies are unknown");
                        policies.Add(compiler.Unknown($"group:{groupName}"));
                        continue;
                    }
                    foreach (var inline in group.InlinePolicies)
                    {
                        policies.Add(compiler.Compile($"{group.Arn}#{inline.Name}", inline.Document, PolicyKind.Identity));
                    }
                    foreach (var arn in group.AttachedPolicyArns) { if (Managed(arn, group.Arn) is { } p) { policies.Add(p); } }
                }
                var boundaries = user.PermissionsBoundaryArn is { } b && Managed(b, user.Arn) is { } bp
                    ? ImmutableArray.Create(compiler.AsKind(bp, PolicyKind.Boundary)) : [];
                var row = report?.Find(user.Name);
                var credentials = row is null ? null : IdentityClassifier.CredentialsOf(row);
                var identity = new Identity("aws", user.Arn, user.Name, IdentityClassifier.Classify(user, row), account.AccountId,
                    user.Tags, user.CreateDate, user.PasswordLastUsed, IdentityClassifier.OwnerOf(user.Tags), credentials);
                if (!AwsPrincipal.TryParse(user.Arn, out var principal, out _))
                {
                    diags.Warning(DiagnosticCodes.ImportBadRecord, $"user ARN `{user.Arn}` is not a valid IAM ARN; skipped");
                    continue;
                }
                identities.Add(new AwsIdentityContext(identity, principal, policies.ToImmutable(), boundaries, scps, isManagement, false,
                    null));
            }
            foreach (var role in account.Roles)
            {
                var policies = ImmutableArray.CreateBuilder<CompiledPolicy>();
                foreach (var inline in role.InlinePolicies)
                {
                    policies.Add(compiler.Compile($"{role.Arn}#{inline.Name}", inline.Document, PolicyKind.Identity));
                }
                foreach (var arn in role.AttachedPolicyArns) { if (Managed(arn, role.Arn) is { } p) { policies.Add(p); } }
                var boundaries = role.PermissionsBoundaryArn is { } b && Managed(b, role.Arn) is { } bp
                    ? ImmutableArray.Create(compiler.AsKind(bp, PolicyKind.Boundary)) : [];
                var trust = compiler.Compile($"{role.Arn}#trust", role.TrustPolicy, PolicyKind.Trust);
                var identity = new Identity("aws", role.Arn, role.Name, IdentityClassifier.Classify(role), account.AccountId, role.Tags,
                    role.CreateDate, role.LastUsed?.Date, IdentityClassifier.OwnerOf(role.Tags) ?? OidcTrust.OwnerHint(role.TrustPolicy));
                if (!AwsPrincipal.TryParse(role.Arn, out var principal, out _))
                {
                    diags.Warning(DiagnosticCodes.ImportBadRecord, $"role ARN `{role.Arn}` is not a valid IAM ARN; skipped");
                    continue;
                }
                identities.Add(new AwsIdentityContext(identity, principal, policies.ToImmutable(), boundaries, scps, isManagement,
                    role.IsServiceLinked, trust));
            }
        }
        var resourcePolicies = new Dictionary<string, CompiledPolicy>(StringComparer.Ordinal);
        foreach (var rp in inventory.ResourcePolicies)
        {
            resourcePolicies[rp.Arn] = compiler.Compile(rp.Arn, rp.Document, PolicyKind.Resource);
        }
        // Role trust policies are the resource policies of the roles themselves (for sts:AssumeRole*).
        foreach (var i in identities.Where(i => i.TrustPolicy is not null))
        {
            resourcePolicies.TryAdd(i.Identity.Id, i.TrustPolicy!);
        }
        return new AwsEstate(inventory, identities.ToImmutable(), resourcePolicies, levels, diags.ToImmutable());
    }

    /// <summary>
    /// A copy in which <paramref name="changed"/> take the place of the identities with the same ARN (identities the
    /// estate does not hold are added at the end, in order); a role's trust policy is its resource policy as well.
    /// </summary>
    public AwsEstate With(IEnumerable<AwsIdentityContext> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var replacements = new Dictionary<string, AwsIdentityContext>(StringComparer.Ordinal);
        var added = new List<AwsIdentityContext>();
        foreach (var c in changed)
        {
            if (_byArn.ContainsKey(c.Identity.Id)) { replacements[c.Identity.Id] = c; }
            else if (!added.Exists(a => a.Identity.Id == c.Identity.Id)) { added.Add(c); }
        }
        var identities = Identities.Select(i => replacements.GetValueOrDefault(i.Identity.Id, i)).Concat(added).ToImmutableArray();
        var resourcePolicies = new Dictionary<string, CompiledPolicy>(_resourcePolicies, StringComparer.Ordinal);
        foreach (var c in replacements.Values.Concat(added))
        {
            if (c.TrustPolicy is { } trust) { resourcePolicies[c.Identity.Id] = trust; }
            else { resourcePolicies.Remove(c.Identity.Id); }
        }
        return new AwsEstate(_inventory, identities, resourcePolicies, _levels, Diagnostics);
    }

    private static string KindName(OrgPolicyKind kind) => kind == OrgPolicyKind.Scp ? "scp" : "rcp";

    /// <summary>Finds an identity by ARN, by name, or by `account/name`; ambiguous names return every match.</summary>
    public ImmutableArray<AwsIdentityContext> Find(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_byArn.TryGetValue(query, out var exact)) { return [exact]; }
        var slash = query.IndexOf('/', StringComparison.Ordinal);
        if (slash == 12 && AwsPrincipal.IsAccountId(query.AsSpan(0, 12)))
        {
            var account = query[..12];
            var name = query[13..];
            return [.. Identities.Where(i =>
                i.Identity.Scope == account && string.Equals(i.Identity.Name, name, StringComparison.OrdinalIgnoreCase))];
        }
        return [.. Identities.Where(i => string.Equals(i.Identity.Name, query, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>
    /// The resource-based policy that governs a resource: an exact ARN match, else the policy of its parent
    /// (an S3 object's bucket, a Secrets Manager secret's versions), else none.
    /// </summary>
    public CompiledPolicy? ResourcePolicyFor(string resource)
    {
        if (_resourcePolicies.TryGetValue(resource, out var exact)) { return exact; }
        for (var cut = resource.LastIndexOf('/'); cut > 0; cut = resource.LastIndexOf('/', cut - 1))
        {
            if (_resourcePolicies.TryGetValue(resource[..cut], out var parent)) { return parent; }
        }
        return null;
    }

    /// <summary>
    /// A request by <paramref name="who"/>, with the context keys AWS derives from the inventory added unless the
    /// caller set them: the identity's tags as `aws:PrincipalTag/…`, `aws:PrincipalOrgID` and `aws:PrincipalOrgPaths`
    /// for an account in the organization, and `aws:ResourceOrgID` / `aws:ResourceOrgPaths` for the resource's account.
    /// </summary>
    public AwsRequest CreateRequest(
        AwsIdentityContext who, string action, string resource, string? resourceAccount = null, RequestContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(who);
        var ctx = context ?? RequestContext.Empty;
        var derived = new List<KeyValuePair<string, ContextValue>>();
        void Add(string key, ContextValue value)
        {
            if (!ctx.Contains(key)) { derived.Add(new(key, value)); }
        }
        foreach (var (key, value) in who.Identity.Tags) { Add($"aws:PrincipalTag/{key}", ContextValue.Single(value)); }
        var org = _inventory.Organization;
        if (org is not null)
        {
            var principalPath = OrgPath(org, who.Identity.Scope);
            if (principalPath is not null)
            {
                Add("aws:PrincipalOrgID", ContextValue.Single(org.Id));
                Add("aws:PrincipalOrgPaths", ContextValue.Multi([principalPath]));
            }
            var owner = resourceAccount ?? AwsRequest.InferResourceAccount(resource) ?? who.Identity.Scope;
            var resourcePath = OrgPath(org, owner);
            if (resourcePath is not null)
            {
                Add("aws:ResourceOrgID", ContextValue.Single(org.Id));
                Add("aws:ResourceOrgPaths", ContextValue.Multi([resourcePath]));
            }
        }
        return AwsRequest.Create(who.Principal, action, resource, resourceAccount, derived.Count == 0 ? ctx : ctx.With(derived));
    }

    /// <summary>
    /// The environment of an account (`prod`, `preprod`, `dev`, or `other`): the `env`/`environment` tags of the account
    /// and the OUs above it, else their names (<see cref="EnvironmentResolver"/>).
    /// </summary>
    public string EnvironmentOf(string accountId) => ResolveEnvironment(accountId).Name;

    /// <summary>The environment of an account with where it was read (tag or name).</summary>
    public ResolvedEnvironment ResolveEnvironment(string accountId) =>
        _environments.GetOrAdd(accountId, id => EnvironmentResolver.ForAwsAccount(_inventory.Organization, id));

    /// <summary>`o-id/r-root/ou-…/` for an account in the organization (the documented aws:PrincipalOrgPaths form), else null.</summary>
    private static string? OrgPath(AwsOrganization org, string account)
    {
        var chain = org.ChainFor(account);
        if (chain.IsEmpty) { return null; }
        return $"{org.Id}/{string.Concat(chain.Take(chain.Length - 1).Select(t => t + "/"))}";
    }

    /// <summary>The full policy set for a request by <paramref name="who"/> on a resource, with RCPs of the resource's account.</summary>
    public AwsPolicySet PolicySetFor(AwsIdentityContext who, AwsRequest request)
    {
        ArgumentNullException.ThrowIfNull(who);
        ArgumentNullException.ThrowIfNull(request);
        var resourceAccount = request.ResourceAccount ?? who.Identity.Scope;
        return who.ToPolicySet() with
        {
            ResourcePolicy = ResourcePolicyFor(request.Resource),
            Rcps = _levels.Of(resourceAccount, OrgPolicyKind.Rcp),
        };
    }

    /// <summary>
    /// The organisation's SCP or RCP levels of each account (root, OUs from the top down, the account), each compiled once.
    /// Filled lazily, also after Build, by the parallel sweep's replays (accounts named only by a request's resource): reads
    /// are lock-free, a miss compiles under the lock (the policy cache and the diagnostics are not thread-safe).
    /// </summary>
    private sealed class OrganizationLevels(
        AwsOrganization? org, PolicyCache compiler, DiagnosticBag diags, Action<string, OrgPolicyKind>? compiled)
    {
        private readonly ConcurrentDictionary<(string, OrgPolicyKind), ImmutableArray<PolicyLevel>> _cache = new();
        private readonly Lock _gate = new();

        public ImmutableArray<PolicyLevel> Of(string account, OrgPolicyKind kind)
        {
            if (org is null) { return []; }
            if (_cache.TryGetValue((account, kind), out var cached)) { return cached; }
            lock (_gate)
            {
                if (_cache.TryGetValue((account, kind), out cached)) { return cached; }
                var levels = Compile(org, account, kind);
                _cache[(account, kind)] = levels;
                return levels;
            }
        }

        private ImmutableArray<PolicyLevel> Compile(AwsOrganization organization, string account, OrgPolicyKind kind)
        {
            compiled?.Invoke(account, kind);
            var chain = organization.ChainFor(account);
            var levels = ImmutableArray.CreateBuilder<PolicyLevel>();
            foreach (var target in chain)
            {
                var attached = organization.PoliciesFor(target, kind).ToList();
                if (attached.Count == 0)
                {
                    // RCPFullAWSAccess is implied at every level by the authorizer, so an RCP level without policies
                    // only denies nothing. AWS never leaves a root, OU or account without an SCP (the last one cannot
                    // be detached): an empty SCP level means the export is incomplete, not deny-all.
                    if (kind == OrgPolicyKind.Rcp) { continue; }
                    diags.Warning(DiagnosticCodes.ImportDanglingReference, $"no {KindName(kind)} is attached to `{target}` in the "
                        + "organization export; that level is not applied (AWS requires one, so the export is incomplete)");
                    continue;
                }
                var policyKind = kind == OrgPolicyKind.Scp ? PolicyKind.Scp : PolicyKind.Rcp;
                levels.Add(new PolicyLevel(target, [.. attached.Select(p =>
                    compiler.Compile($"{KindName(kind)}:{p.Name} ({p.Id}) at {target}", p.Document, policyKind))]));
            }
            if (organization.Accounts.Any(a => a.Id == account) && chain.IsEmpty)
            {
                diags.Warning(DiagnosticCodes.ImportDanglingReference, $"account `{account}` is in the organization but its OU chain "
                    + $"is incomplete: its {kind.ToString().ToUpperInvariant()}s cannot be applied");
            }
            return levels.ToImmutable();
        }
    }

    /// <summary>Compiles each distinct policy text once; names identify the policy in explanations.</summary>
    private sealed class PolicyCache(DiagnosticBag diags, AwsActionCatalog catalog)
    {
        private readonly Dictionary<(string Name, PolicyKind Kind), CompiledPolicy> _byName = [];
        private readonly HashSet<string> _checkedDocuments = new(StringComparer.Ordinal);

        public CompiledPolicy Compile(string name, string json, PolicyKind kind)
        {
            if (_byName.TryGetValue((name, kind), out var cached)) { return cached; }
            var parsed = PolicyParser.Parse(json, name, kind, new SourceLocation(File: name, JsonPath: "$"));
            diags.AddRange(parsed.Diagnostics);
            var compiled = parsed.Document is null ? Unknown(name) : CompiledPolicy.Compile(parsed.Document, diags);
            if (parsed.Document is not null && _checkedDocuments.Add(name)) { CheckActions(parsed.Document); }
            _byName[(name, kind)] = compiled;
            return compiled;
        }

        /// <summary>Flags action names that match nothing in the catalog: a typo grants nothing and denies nothing.</summary>
        private void CheckActions(PolicyDocument document)
        {
            foreach (var statement in document.Statements)
            {
                foreach (var pattern in statement.Actions)
                {
                    var status = catalog.ExpandPattern(pattern).Status;
                    if (status is ActionPatternStatus.UnknownService or ActionPatternStatus.NoMatchingAction)
                    {
                        var why = status == ActionPatternStatus.UnknownService
                            ? "its service prefix is unknown" : "no action of the service has that name";
                        var property = statement.NotAction ? "NotAction" : "Action";
                        diags.Warning(DiagnosticCodes.ActionUnknown, $"action `{pattern}` in statement {statement.Index} of policy "
                            + $"`{document.Name}` matches no known action ({why}; catalog {catalog.SourceVersion})",
                            new SourceLocation(File: document.Name, JsonPath: $"{statement.JsonPath}.{property}"));
                    }
                }
            }
        }

        public CompiledPolicy AsKind(CompiledPolicy policy, PolicyKind kind)
        {
            if (policy.Document.Kind == kind) { return policy; }
            if (_byName.TryGetValue((policy.Name, kind), out var cached)) { return cached; }
            var compiled = CompiledPolicy.Compile(policy.Document with { Kind = kind }, diags);
            _byName[(policy.Name, kind)] = compiled;
            return compiled;
        }

        /// <summary>A policy whose content is unknown: one statement that may allow or deny anything.</summary>
        public CompiledPolicy Unknown(string name) =>
            CompiledPolicy.Compile(PolicyDocument.Unknown(name, $"policy `{name}` is missing or unreadable"), diags);
    }
}
