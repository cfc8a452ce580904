namespace Ciem.Core.Aws.Evaluation;

/// <summary>
/// One authorization request, prepared for evaluation: the principal parsed, the action split, and the request
/// context completed with the keys AWS derives from the principal (`aws:PrincipalArn`, `aws:PrincipalAccount`,
/// `aws:username`, `aws:PrincipalType`, `aws:PrincipalIsAWSService`, `aws:PrincipalServiceName`,
/// `aws:ResourceAccount`) unless the caller already set them.
/// </summary>
public sealed class AwsRequest
{
    private AwsRequest(AwsPrincipal principal, string action, string resource, string? resourceAccount, RequestContext context)
    {
        Principal = principal;
        Action = action;
        Resource = resource;
        ResourceAccount = resourceAccount;
        Context = context;
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        Service = colon > 0 ? action[..colon].ToLowerInvariant() : action.ToLowerInvariant();
        HasAsciiService = colon > 0 && System.Text.Ascii.IsValid(action.AsSpan(0, colon));
    }

    public AwsPrincipal Principal { get; }

    /// <summary>The action as given, e.g. `s3:GetObject` (matched case-insensitively).</summary>
    public string Action { get; }

    /// <summary>The service prefix in lower case, e.g. `s3`.</summary>
    public string Service { get; }

    /// <summary>The action has a colon and an ASCII prefix before it, so <see cref="Service"/> equals that prefix ignoring case.</summary>
    internal bool HasAsciiService { get; }

    public string Resource { get; }

    /// <summary>The account that owns the resource; defaults to the principal's account.</summary>
    public string? ResourceAccount { get; }

    public RequestContext Context { get; }

    /// <summary>True when the principal and the resource belong to different accounts.</summary>
    public bool IsCrossAccount => Principal.Account is not null && ResourceAccount is not null && !string.Equals(Principal.Account, ResourceAccount, StringComparison.Ordinal);

    public static AwsRequest Create(AwsPrincipal principal, string action, string resource, string? resourceAccount = null, RequestContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(resource);
        resourceAccount ??= InferResourceAccount(resource) ?? principal.Account;
        var ctx = context ?? RequestContext.Empty;
        var derived = new List<KeyValuePair<string, ContextValue>>(8);
        void Add(string key, string? value)
        {
            if (value is not null && !ctx.Contains(key)) { derived.Add(new(key, ContextValue.Single(value))); }
        }
        Add("aws:PrincipalArn", principal.PrincipalArn);
        Add("aws:PrincipalAccount", principal.Account);
        if (principal.Kind == AwsPrincipalKind.User) { Add("aws:username", principal.Name); }
        Add("aws:PrincipalType", principal.Kind switch
        {
            AwsPrincipalKind.User => "User",
            AwsPrincipalKind.AssumedRole or AwsPrincipalKind.Role => "AssumedRole",
            AwsPrincipalKind.FederatedUser => "FederatedUser",
            AwsPrincipalKind.Root => "Account",
            AwsPrincipalKind.Anonymous => "Anonymous",
            _ => null,
        });
        if (principal.Kind != AwsPrincipalKind.Anonymous)
        {
            Add("aws:PrincipalIsAWSService", principal.Kind == AwsPrincipalKind.Service ? "true" : "false");
        }
        if (principal.Kind == AwsPrincipalKind.Service) { Add("aws:PrincipalServiceName", principal.Name); }
        Add("aws:ResourceAccount", resourceAccount);
        if (derived.Count > 0) { ctx = ctx.With(derived); }
        return new AwsRequest(principal, action, resource, resourceAccount, ctx);
    }

    /// <summary>The account segment of a resource ARN, when it has one (S3 bucket ARNs do not).</summary>
    public static string? InferResourceAccount(string resource)
    {
        if (!resource.StartsWith("arn:", StringComparison.Ordinal)) { return null; }
        // The fifth field of `arn:partition:service:region:account:resource`, found without splitting the whole ARN.
        var rest = resource.AsSpan();
        var start = 0;
        for (var field = 0; field < 4; field++)
        {
            var colon = rest[start..].IndexOf(':');
            if (colon < 0) { return null; }
            start += colon + 1;
        }
        var length = rest[start..].IndexOf(':');
        if (length < 0) { return null; }
        var account = rest.Slice(start, length);
        return AwsPrincipal.IsAccountId(account) ? account.ToString() : null;
    }
}
