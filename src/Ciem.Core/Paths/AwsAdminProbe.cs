using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Paths;

/// <summary>One authorization question and the engine's answer, with the deciding statements (as `ciem can` shows them).</summary>
public sealed record PathCheck(string Action, string Resource, Decision Decision, AwsLayer? BlockedBy,
    ImmutableArray<StatementRef> Statements, string? Note = null)
{
    public static PathCheck From(AwsRequest request, EvaluationResult result, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        return new(request.Action, request.Resource, result.Decision, result.BlockedBy, result.Statements, note);
    }
}

/// <summary>
/// Decides whether a principal is an administrator of its account: the engine must allow, with conditions evaluated,
/// a fixed set of requests that together give full control — attaching AdministratorAccess to a role, rewriting a
/// role's trust, creating a user's access key, passing a role, and using S3, EC2, Lambda and Secrets Manager. A
/// principal allowed all of them controls the account (it can grant itself or take over any principal); one denied
/// any of them is not counted, whatever its policies say on paper. Indeterminate when unknown content decides.
/// </summary>
public static class AwsAdminProbe
{
    /// <summary>The AWS-managed policy the probes attach (its ARN is the `iam:PolicyARN` of the attach request).</summary>
    public const string AdministratorAccessArn = "arn:aws:iam::aws:policy/AdministratorAccess";

    private const string ProbeName = "ciem-admin-probe";

    /// <summary>The region requests go to when neither the session nor the resource says.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>The probe requests for an account: action, resource and the context keys the request carries.</summary>
    public static ImmutableArray<(string Action, string Resource, RequestContext Context)> Requests(string account,
        string region = DefaultRegion)
    {
        var role = $"arn:aws:iam::{account}:role/{ProbeName}";
        return
        [
            ("iam:AttachRolePolicy", role, RequestContext.Create([new("iam:PolicyARN", ContextValue.Single(AdministratorAccessArn))])),
            ("iam:UpdateAssumeRolePolicy", role, RequestContext.Empty),
            ("iam:CreateAccessKey", $"arn:aws:iam::{account}:user/{ProbeName}", RequestContext.Empty),
            ("iam:PassRole", role, RequestContext.Create([new("iam:PassedToService", ContextValue.Single("ec2.amazonaws.com"))])),
            ("s3:GetObject", $"arn:aws:s3:::{ProbeName}-{account}/object", RequestContext.Empty),
            ("ec2:RunInstances", $"arn:aws:ec2:{region}:{account}:instance/*", RequestContext.Empty),
            ("lambda:CreateFunction", $"arn:aws:lambda:{region}:{account}:function:{ProbeName}", RequestContext.Empty),
            ("secretsmanager:GetSecretValue", $"arn:aws:secretsmanager:{region}:{account}:secret:{ProbeName}", RequestContext.Empty),
        ];
    }

    /// <summary>The decision over every probe (Allow only when each is allowed) and the probes' answers.</summary>
    public static (Decision Decision, ImmutableArray<PathCheck> Checks) Evaluate(AwsEstate estate, AwsIdentityContext who,
        RequestContext? session = null,
        string region = DefaultRegion)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(who);
        var checks = ImmutableArray.CreateBuilder<PathCheck>();
        var decision = Decision.Allow;
        var resourceAccount = who.Identity.Scope;
        foreach (var (action, resource, context) in Requests(who.Identity.Scope, region))
        {
            var request = estate.CreateRequest(who, action, resource, resourceAccount, Merge(WithRegion(session, resource, region),
                context));
            var result = AwsAuthorizer.Evaluate(request, estate.PolicySetFor(who, request));
            checks.Add(PathCheck.From(request, result));
            decision = Combine(decision, result.Decision);
            if (decision is Decision.ExplicitDeny or Decision.ImplicitDeny) { break; }
        }
        return (decision, checks.ToImmutable());
    }

    /// <summary>All must allow: a deny wins, then indeterminate.</summary>
    public static Decision Combine(Decision a, Decision b)
    {
        if (a is Decision.ExplicitDeny or Decision.ImplicitDeny) { return a; }
        if (b is Decision.ExplicitDeny or Decision.ImplicitDeny) { return b; }
        return a == Decision.Indeterminate || b == Decision.Indeterminate ? Decision.Indeterminate : Decision.Allow;
    }

    /// <summary>
    /// The session with `aws:RequestedRegion` added unless it sets one: the resource ARN's region when it names one,
    /// else <paramref name="home"/> (region-restricting SCPs deny a request without the key).
    /// </summary>
    public static RequestContext WithRegion(RequestContext? session, string resource, string home)
    {
        ArgumentNullException.ThrowIfNull(resource);
        session ??= RequestContext.Empty;
        if (session.Contains("aws:RequestedRegion")) { return session; }
        var parts = resource.Split(':', 5);
        var region = parts.Length == 5 && parts[3].Length > 0 && !parts[3].Contains('*', StringComparison.Ordinal) ? parts[3]
            : parts.Length == 5 && parts[2] is "iam" or "sts" or "organizations" ? DefaultRegion : home;
        return session.With("aws:RequestedRegion", ContextValue.Single(region));
    }

    /// <summary>The session's keys under the request's own (the request's win).</summary>
    public static RequestContext Merge(RequestContext? session, RequestContext request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (session is null || session.Count == 0) { return request; }
        return request.Count == 0 ? session : session.With(request.Entries);
    }

    /// <summary>
    /// A copy of <paramref name="who"/> whose identity policies are replaced by one allowing everything, with its
    /// boundary kept or removed: the engine then says whether someone writing its policies makes it an administrator
    /// (SCPs and a kept boundary still apply).
    /// </summary>
    public static AwsIdentityContext WithFullPolicy(AwsIdentityContext who, bool removeBoundary)
    {
        ArgumentNullException.ThrowIfNull(who);
        return who with { IdentityPolicies = [FullAccess.Value], Boundaries = removeBoundary ? [] : who.Boundaries };
    }

    private static readonly Lazy<CompiledPolicy> FullAccess = new(() =>
    {
        var parsed = PolicyParser.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""",
            "policy written by the attacker (Allow * on *)", PolicyKind.Identity, new SourceLocation());
        return CompiledPolicy.Compile(parsed.Document!, new DiagnosticBag());
    });
}
