namespace Ciem.Core.Aws.Evaluation;

public enum AwsPrincipalKind
{
    User,
    Role,
    AssumedRole,
    FederatedUser,
    Root,
    /// <summary>An AWS service principal such as `lambda.amazonaws.com`.</summary>
    Service,
    /// <summary>A web-identity or SAML provider (`Federated` principal), e.g. `cognito-identity.amazonaws.com` or a saml-provider ARN.</summary>
    FederatedProvider,
    Anonymous,
}

/// <summary>
/// The caller of a request, parsed once from an ARN, a service principal name, an account id or `anonymous`.
/// For an assumed-role session, <see cref="RoleName"/> is the role and <see cref="SessionName"/> the session.
/// </summary>
public sealed record AwsPrincipal(
    AwsPrincipalKind Kind,
    string Text,
    string Partition,
    string? Account,
    string? Name,
    string? RoleName,
    string? SessionName)
{
    /// <summary>The identity ARN for `aws:PrincipalArn`: for a role session, the role's ARN (without its path).</summary>
    public string? PrincipalArn => Kind switch
    {
        AwsPrincipalKind.AssumedRole => $"arn:{Partition}:iam::{Account}:role/{RoleName}",
        AwsPrincipalKind.User or AwsPrincipalKind.Role or AwsPrincipalKind.FederatedUser or AwsPrincipalKind.Root => Text,
        _ => null,
    };

    public bool IsIamPrincipal => Kind is AwsPrincipalKind.User or AwsPrincipalKind.Role or AwsPrincipalKind.AssumedRole or AwsPrincipalKind.FederatedUser or AwsPrincipalKind.Root;

    public string RootArn => $"arn:{Partition}:iam::{Account}:root";

    public static bool TryParse(string text, out AwsPrincipal principal, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        principal = null!;
        if (text.Length == 0)
        {
            error = "principal is empty";
            return false;
        }
        if (text == "anonymous" || text == "*")
        {
            principal = new AwsPrincipal(AwsPrincipalKind.Anonymous, "anonymous", "aws", null, null, null, null);
            return true;
        }
        if (IsAccountId(text))
        {
            principal = new AwsPrincipal(AwsPrincipalKind.Root, $"arn:aws:iam::{text}:root", "aws", text, null, null, null);
            return true;
        }
        if (!text.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (text.Contains('.', StringComparison.Ordinal) && !text.Contains(' ', StringComparison.Ordinal))
            {
                var kind = text.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("cognito-identity.", StringComparison.OrdinalIgnoreCase)
                    ? AwsPrincipalKind.Service
                    : AwsPrincipalKind.FederatedProvider;
                principal = new AwsPrincipal(kind, text, "aws", null, text, null, null);
                return true;
            }
            error = $"principal `{text}` is not an ARN, an account id, a service principal or `anonymous`";
            return false;
        }
        var parts = text.Split(':', 6);
        if (parts.Length != 6 || parts[1].Length == 0 || !IsAccountId(parts[4]))
        {
            error = $"principal `{text}` is not an IAM or STS ARN with a 12-digit account";
            return false;
        }
        var partition = parts[1];
        var service = parts[2];
        var account = parts[4];
        var resource = parts[5];
        if (service == "iam")
        {
            if (resource == "root")
            {
                principal = new AwsPrincipal(AwsPrincipalKind.Root, text, partition, account, null, null, null);
                return true;
            }
            if (resource.StartsWith("user/", StringComparison.Ordinal))
            {
                principal = new AwsPrincipal(AwsPrincipalKind.User, text, partition, account, LastSegment(resource), null, null);
                return true;
            }
            if (resource.StartsWith("role/", StringComparison.Ordinal))
            {
                var role = LastSegment(resource);
                principal = new AwsPrincipal(AwsPrincipalKind.Role, text, partition, account, role, role, null);
                return true;
            }
            if (resource.StartsWith("saml-provider/", StringComparison.Ordinal) || resource.StartsWith("oidc-provider/", StringComparison.Ordinal))
            {
                principal = new AwsPrincipal(AwsPrincipalKind.FederatedProvider, text, partition, account, text, null, null);
                return true;
            }
        }
        else if (service == "sts")
        {
            if (resource.StartsWith("assumed-role/", StringComparison.Ordinal))
            {
                var rest = resource["assumed-role/".Length..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0 && slash < rest.Length - 1)
                {
                    principal = new AwsPrincipal(AwsPrincipalKind.AssumedRole, text, partition, account, rest[(slash + 1)..], rest[..slash], rest[(slash + 1)..]);
                    return true;
                }
            }
            if (resource.StartsWith("federated-user/", StringComparison.Ordinal))
            {
                principal = new AwsPrincipal(AwsPrincipalKind.FederatedUser, text, partition, account, resource["federated-user/".Length..], null, null);
                return true;
            }
        }
        error = $"principal `{text}` is not a user, role, assumed-role, federated-user or root ARN";
        return false;
    }

    public static bool IsAccountId(ReadOnlySpan<char> s)
    {
        if (s.Length != 12) { return false; }
        foreach (var c in s)
        {
            if (c is < '0' or > '9') { return false; }
        }
        return true;
    }

    private static string LastSegment(string resource) => resource[(resource.LastIndexOf('/') + 1)..];
}
