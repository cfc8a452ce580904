using System.Collections.Immutable;
using Ciem.Core.Aws.Conditions;
using Ciem.Core.Aws.Matching;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Matching;

namespace Ciem.Core.Aws.Evaluation;

/// <summary>Three-valued result of matching one statement against a request.</summary>
public enum MatchOutcome : byte
{
    NoMatch,
    Match,
    Unknown,
}

/// <summary>How a resource-based policy's Principal element named the caller — this decides whether it grants on its own.</summary>
public enum PrincipalMatch : byte
{
    None,
    /// <summary>The caller's own ARN (user, role session, federated user), its service or provider name, or `*`.</summary>
    Direct,
    /// <summary>The role ARN of a role session: grants, but boundaries and session policies still limit it.</summary>
    Role,
    /// <summary>The caller's account (`123456789012` or its root ARN): delegates to the account's identity policies.</summary>
    Account,
}

/// <summary>A policy parsed and compiled once, evaluated many times without re-parsing.</summary>
public sealed class CompiledPolicy
{
    private CompiledPolicy(PolicyDocument document, ImmutableArray<CompiledStatement> statements)
    {
        Document = document;
        Statements = statements;
    }

    public PolicyDocument Document { get; }

    public string Name => Document.Name;

    public ImmutableArray<CompiledStatement> Statements { get; }

    public static CompiledPolicy Compile(PolicyDocument document, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(document);
        var b = ImmutableArray.CreateBuilder<CompiledStatement>(document.Statements.Length);
        foreach (var s in document.Statements)
        {
            b.Add(new CompiledStatement(document, s, ConditionCompiler.Compile(s.Conditions, document.Version, diagnostics)));
        }
        return new CompiledPolicy(document, b.MoveToImmutable());
    }
}

/// <summary>One statement with its matchers prepared.</summary>
public sealed class CompiledStatement
{
    private readonly ActionMatcher[] _actions;
    private readonly ActionIndex _actionIndex;
    private readonly string[] _resources;
    private readonly bool _resourceHasVariables;
    private readonly bool _anyResource;
    private readonly bool _anyAction;
    private readonly PolicyLanguageVersion _version;
    private StatementRef?[]? _refs;

    internal CompiledStatement(PolicyDocument policy, Statement statement, CompiledConditionBlock conditions)
    {
        Policy = policy;
        Statement = statement;
        Conditions = conditions;
        _version = policy.Version;
        _actions = [.. statement.Actions.Select(a => new ActionMatcher(a))];
        _anyAction = !statement.NotAction && _actions.Any(a => a.IsAll);
        _actionIndex = new ActionIndex(_actions);
        _resources = [.. statement.Resources];
        _anyResource = !statement.HasResourceElement || (!statement.NotResource && _resources.Contains("*"));
        _resourceHasVariables = policy.SupportsPolicyVariables && _resources.Any(r => r.Contains("${", StringComparison.Ordinal));
    }

    public PolicyDocument Policy { get; }

    public Statement Statement { get; }

    public CompiledConditionBlock Conditions { get; }

    public Effect Effect => Statement.Effect;

    /// <summary>
    /// The reference to this statement in an evaluation of <paramref name="layer"/>, created once per layer and
    /// reused (a benign race: concurrent first uses may each create an equal value).
    /// </summary>
    public StatementRef RefFor(string policyName, AwsLayer layer)
    {
        var refs = _refs ??= new StatementRef?[(int)AwsLayer.Endpoint + 1];
        var cached = refs[(int)layer];
        if (cached is not null && ReferenceEquals(cached.Policy, policyName)) { return cached; }
        return refs[(int)layer] = new StatementRef(policyName, layer, Statement.Index, Statement.Sid, Statement.Effect);
    }

    public bool MatchesAction(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_anyAction) { return true; }
        var any = _actionIndex.IsMatch(action);
        return Statement.NotAction ? !any : any;
    }

    private bool MatchesAction(AwsRequest request)
    {
        if (_anyAction) { return true; }
        var any = request.HasAsciiService ? _actionIndex.IsMatch(request.Action, request.Service) : _actionIndex.IsMatch(request.Action);
        return Statement.NotAction ? !any : any;
    }

    public bool MatchesResource(string resource, RequestContext context) => MatchResource(resource, context, out _) == MatchOutcome.Match;

    /// <summary>
    /// Matches the Resource or NotResource element three-valued. A value with a policy variable that cannot be resolved
    /// matches nothing; in NotResource that would make the statement apply to everything, so the outcome is Unknown
    /// and <paramref name="variable"/> names the variable (as it is when the variable's key is unknown).
    /// </summary>
    public MatchOutcome MatchResource(string resource, RequestContext context, out string? variable)
    {
        ArgumentNullException.ThrowIfNull(context);
        variable = null;
        if (_anyResource) { return MatchOutcome.Match; }
        var any = false;
        foreach (var pattern in _resources)
        {
            bool hit;
            if (_resourceHasVariables && pattern.Contains("${", StringComparison.Ordinal))
            {
                var resolution = PolicyVariables.Expand(pattern, context, _version, out var expanded, out var failed);
                if (resolution != VariableResolution.Resolved)
                {
                    if (resolution == VariableResolution.Unknown || Statement.NotResource) { variable ??= failed; }
                    continue;
                }
                hit = ArnPattern.IsMatch(expanded, resource, escapes: true);
            }
            else
            {
                hit = ArnPattern.IsMatch(pattern, resource);
            }
            if (hit) { any = true; break; }
        }
        if (any) { return Statement.NotResource ? MatchOutcome.NoMatch : MatchOutcome.Match; }
        if (variable is not null) { return MatchOutcome.Unknown; }
        return Statement.NotResource ? MatchOutcome.Match : MatchOutcome.NoMatch;
    }

    /// <summary>
    /// Matches the statement's Action, Resource and Condition (not Principal) against a request.
    /// A statement with a defect matches <see cref="MatchOutcome.Unknown"/> unless its parsed actions rule it out.
    /// </summary>
    public MatchOutcome Match(AwsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Statement.Defect is not null)
        {
            // A defective statement is unknown unless the actions it did state rule the request out.
            return _actions.Length > 0 && !MatchesAction(request) ? MatchOutcome.NoMatch : MatchOutcome.Unknown;
        }
        if (!MatchesAction(request))
        {
            return MatchOutcome.NoMatch;
        }
        var resource = MatchResource(request.Resource, request.Context, out _);
        if (resource == MatchOutcome.NoMatch) { return MatchOutcome.NoMatch; }
        if (Conditions.IsEmpty) { return resource; }
        return Conditions.Evaluate(request.Context) switch
        {
            ConditionOutcome.True => resource,
            ConditionOutcome.False => MatchOutcome.NoMatch,
            _ => MatchOutcome.Unknown,
        };
    }

    /// <summary>
    /// Why <see cref="Match"/> is Unknown for <paramref name="request"/>: the statement's defect, or the conditions and
    /// policy variables that could not be decided. <paramref name="conditions"/> lists the condition entries whose keys
    /// were not given (the ones an "allowed when" answer depends on); <paramref name="onlyUnknownKeys"/> is true when
    /// nothing else made the statement unknown. Off the hot path: called only for Unknown statements.
    /// </summary>
    public string Explain(AwsRequest request, out IReadOnlyList<ConditionEntry> conditions, out bool onlyUnknownKeys)
    {
        ArgumentNullException.ThrowIfNull(request);
        conditions = [];
        onlyUnknownKeys = false;
        if (Statement.Defect is not null) { return Statement.Defect; }
        var reasons = new List<string>();
        var deciding = new List<ConditionEntry>();
        var allUnknown = true;
        if (MatchResource(request.Resource, request.Context, out var variable) == MatchOutcome.Unknown && variable is not null)
        {
            var unknown = request.Context.IsUnknown(variable[2..^1]);
            allUnknown &= unknown;
            reasons.Add(unknown
                ? $"policy variable `{variable}` in {(Statement.NotResource ? "NotResource" : "Resource")} is not given"
                : $"policy variable `{variable}` in NotResource cannot be resolved, so NotResource would match every resource");
        }
        foreach (var (entry, why, unknownKey) in Conditions.Explain(request.Context))
        {
            reasons.Add(why);
            allUnknown &= unknownKey;
            if (unknownKey) { deciding.Add(entry); }
        }
        conditions = deciding;
        onlyUnknownKeys = allUnknown && reasons.Count > 0;
        return reasons.Count == 0 ? "a condition could not be evaluated" : string.Join("; ", reasons);
    }

    /// <summary>How this statement's Principal (or NotPrincipal) element applies to the caller.</summary>
    public PrincipalMatch MatchPrincipal(AwsPrincipal principal, bool principalHasBoundary)
    {
        var element = Statement.Principal;
        if (element is null) { return PrincipalMatch.Direct; }
        if (!Statement.NotPrincipal) { return PrincipalMatching.Match(element, principal); }
        // NotPrincipal: applies to everyone the element does not exclude. AWS documents that a Deny with
        // NotPrincipal always applies to principals that have a permissions boundary.
        if (Statement.Effect == Effect.Deny && principalHasBoundary) { return PrincipalMatch.Direct; }
        return PrincipalMatching.IsExcludedByNotPrincipal(element, principal, Statement.Effect) ? PrincipalMatch.None : PrincipalMatch.Direct;
    }

    /// <summary>
    /// A statement's action patterns grouped by their literal ASCII service prefix (ignoring case), so an action is
    /// tried only against the patterns of its own service plus those whose prefix has a wildcard, is not ASCII or
    /// has no colon. Same result as trying every pattern: a pattern with a literal ASCII prefix can only match
    /// actions with that prefix (outside ASCII, IAM's per-character case folding and OrdinalIgnoreCase differ, so
    /// an action with a non-ASCII prefix is tried against every pattern).
    /// </summary>
    private sealed class ActionIndex
    {
        private readonly Dictionary<string, ActionMatcher[]> _byService;
        private readonly Dictionary<string, ActionMatcher[]>.AlternateLookup<ReadOnlySpan<char>> _byServiceSpan;
        private readonly ActionMatcher[] _anyService;
        private readonly ActionMatcher[] _all;

        public ActionIndex(ActionMatcher[] actions)
        {
            _all = actions;
            var byService = new Dictionary<string, List<ActionMatcher>>(StringComparer.OrdinalIgnoreCase);
            var anyService = new List<ActionMatcher>();
            foreach (var a in actions)
            {
                if (a.Service is { } service)
                {
                    if (!byService.TryGetValue(service, out var list)) { byService[service] = list = []; }
                    list.Add(a);
                }
                else
                {
                    anyService.Add(a);
                }
            }
            _byService = byService.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
            _byServiceSpan = _byService.GetAlternateLookup<ReadOnlySpan<char>>();
            _anyService = [.. anyService];
        }

        public bool IsMatch(string action) => TryServicePrefix(action, out var service) ? IsMatch(action, service) : AnyMatch(_all, action);

        /// <summary>Matches an action whose prefix before the first colon is <paramref name="asciiService"/> (ASCII, any case).</summary>
        public bool IsMatch(string action, ReadOnlySpan<char> asciiService)
        {
            if (_byService.Count > 0 && _byServiceSpan.TryGetValue(asciiService, out var matchers) && AnyMatch(matchers, action)) { return true; }
            return AnyMatch(_anyService, action);
        }

        /// <summary>The part before the first colon when there is one and it is ASCII without wildcards, else null.</summary>
        public static string? ServicePrefixOf(string pattern) => TryServicePrefix(pattern, out var prefix) && !Wildcard.HasWildcard(prefix) ? pattern[..prefix.Length] : null;

        public static bool TryServicePrefix(string text, out ReadOnlySpan<char> prefix)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            prefix = colon > 0 ? text.AsSpan(0, colon) : default;
            return colon > 0 && System.Text.Ascii.IsValid(prefix);
        }

        private static bool AnyMatch(ActionMatcher[] matchers, string action)
        {
            foreach (var m in matchers)
            {
                if (m.IsMatch(action)) { return true; }
            }
            return false;
        }
    }

    private readonly struct ActionMatcher
    {
        private readonly string _pattern;
        private readonly bool _wildcard;

        public ActionMatcher(string pattern)
        {
            _pattern = pattern;
            IsAll = pattern == "*";
            _wildcard = Wildcard.HasWildcard(pattern);
            Service = ActionIndex.ServicePrefixOf(pattern);
        }

        public bool IsAll { get; }

        /// <summary>The literal ASCII service prefix (`s3` of `s3:Get*`), or null (wildcard or non-ASCII prefix, or no colon).</summary>
        public string? Service { get; }

        public bool IsMatch(string action)
            => IsAll || (_wildcard ? Wildcard.IsMatch(_pattern, action, ignoreCase: true) : string.Equals(_pattern, action, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Principal-element semantics: exact ARNs (no wildcards except `*`), accounts, services, providers.</summary>
public static class PrincipalMatching
{
    public static PrincipalMatch Match(PrincipalElement element, AwsPrincipal principal)
    {
        if (element.IsWildcard) { return PrincipalMatch.Direct; }
        var best = PrincipalMatch.None;
        foreach (var v in element.Values)
        {
            var m = MatchValue(v, principal);
            if (m == PrincipalMatch.Direct) { return m; }
            if (m == PrincipalMatch.Role || (m == PrincipalMatch.Account && best == PrincipalMatch.None)) { best = m; }
        }
        return best;
    }

    /// <summary>
    /// Whether a NotPrincipal element excludes the caller. With Deny, AWS documents that the caller escapes only when
    /// every name it acts under is listed: its own ARN (a role session must be named by its session ARN, not the
    /// role) and its account. With Allow, naming any of them keeps the grant from the caller. Both readings err
    /// on the side of less access.
    /// </summary>
    public static bool IsExcludedByNotPrincipal(PrincipalElement element, AwsPrincipal principal, Effect effect)
    {
        if (element.IsWildcard) { return true; }
        var own = false;
        var account = false;
        foreach (var v in element.Values)
        {
            switch (MatchValue(v, principal))
            {
                case PrincipalMatch.Direct:
                    own = true;
                    break;
                case PrincipalMatch.Role:
                    own |= effect == Effect.Allow || principal.Kind == AwsPrincipalKind.Role;
                    break;
                case PrincipalMatch.Account:
                    account = true;
                    break;
                default:
                    break;
            }
        }
        if (effect == Effect.Allow) { return own || account; }
        return principal.Kind switch
        {
            AwsPrincipalKind.Root => account,
            AwsPrincipalKind.Service or AwsPrincipalKind.FederatedProvider or AwsPrincipalKind.Anonymous => own,
            _ => own && account,
        };
    }

    private static PrincipalMatch MatchValue(PrincipalValue v, AwsPrincipal p)
    {
        switch (v.Type)
        {
            case PrincipalType.Aws:
                if (p.Account is null) { return PrincipalMatch.None; }
                if (v.Value == p.Account || v.Value == p.RootArn) { return PrincipalMatch.Account; }
                if (string.Equals(v.Value, p.Text, StringComparison.Ordinal) && p.Kind != AwsPrincipalKind.Root)
                {
                    return p.Kind == AwsPrincipalKind.Role ? PrincipalMatch.Role : PrincipalMatch.Direct;
                }
                if (p.Kind is AwsPrincipalKind.AssumedRole or AwsPrincipalKind.Role && IsRoleArnOf(v.Value, p))
                {
                    return PrincipalMatch.Role;
                }
                return PrincipalMatch.None;
            case PrincipalType.Service:
                return p.Kind == AwsPrincipalKind.Service && string.Equals(v.Value, p.Name, StringComparison.OrdinalIgnoreCase) ? PrincipalMatch.Direct : PrincipalMatch.None;
            case PrincipalType.Federated:
                return p.Kind == AwsPrincipalKind.FederatedProvider && string.Equals(v.Value, p.Name, StringComparison.OrdinalIgnoreCase) ? PrincipalMatch.Direct : PrincipalMatch.None;
            case PrincipalType.CanonicalUser:
                return string.Equals(v.Value, p.Text, StringComparison.Ordinal) ? PrincipalMatch.Direct : PrincipalMatch.None;
            default:
                return PrincipalMatch.None;
        }
    }

    // `arn:aws:iam::111111111111:role/path/Name` names the sessions of role `Name` in that account.
    private static bool IsRoleArnOf(string value, AwsPrincipal p)
    {
        var prefix = $"arn:{p.Partition}:iam::{p.Account}:role/";
        if (!value.StartsWith(prefix, StringComparison.Ordinal)) { return false; }
        var name = value[(value.LastIndexOf('/') + 1)..];
        return string.Equals(name, p.RoleName, StringComparison.Ordinal);
    }
}
