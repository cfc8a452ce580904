namespace Ciem.Core.Aws.Usage;

/// <summary>Who made a call, as far as CloudTrail tells.</summary>
public enum EventPrincipalKind
{
    IamUser,
    /// <summary>A session of an IAM role; <see cref="EventPrincipal.Arn"/> is the role.</summary>
    AssumedRole,
    /// <summary>A session of an IAM Identity Center permission-set role (`AWSReservedSSO_*`); the person is the session name.</summary>
    SsoRoleSession,
    /// <summary>An IAM role itself (type `Role`, rare: some service-initiated calls).</summary>
    Role,
    /// <summary>A <c>GetFederationToken</c> session; <see cref="EventPrincipal.Arn"/> is the issuing IAM user when logged.</summary>
    FederatedUser,
    Root,
    /// <summary>An AWS service acting on its own (`invokedBy` such as `lambda.amazonaws.com`).</summary>
    AwsService,
    /// <summary>A principal of another account, known only by its account (type `AWSAccount`).</summary>
    AwsAccount,
    /// <summary>An IAM Identity Center user acting directly (type `IdentityCenterUser`).</summary>
    IdentityCenterUser,
    WebIdentityUser,
    SamlUser,
    Anonymous,
    Unknown,
}

/// <summary>
/// The result of attributing an event: <see cref="IdentityKey"/> is what usage is counted against (an IAM ARN when
/// there is one), <see cref="Person"/> the human behind a shared role when the log names one.
/// </summary>
public sealed record EventPrincipal(
    EventPrincipalKind Kind,
    string IdentityKey,
    string? Arn,
    string? AccountId,
    string? SessionName,
    string? Person,
    bool IsCrossAccount,
    string? InvokedBy)
{
    public static readonly EventPrincipal Unknown = new(EventPrincipalKind.Unknown, "unknown", null, null, null, null, false, null);
}

/// <summary>
/// Maps a record's <c>userIdentity</c> to an <see cref="EventPrincipal"/>. Rules (docs/cloudtrail.md):
/// role sessions count against the role (with its path, from <c>sessionIssuer.arn</c>); Identity Center role sessions
/// also name the person (the session name); services, root, federated, web-identity, SAML and Identity Center users
/// get their own keys; an identity in another account than the recipient is flagged cross-account.
/// </summary>
public static class EventAttribution
{
    private const string SsoRolePrefix = "AWSReservedSSO_";
    private const string SsoPath = "/aws-reserved/sso.amazonaws.com/";

    public static EventPrincipal Attribute(UserIdentity? identity, string? recipientAccountId)
    {
        if (identity is null) { return EventPrincipal.Unknown; }
        var account = identity.AccountId;
        var cross = account is not null && recipientAccountId is not null && account.Length > 0 && recipientAccountId.Length > 0
            && !string.Equals(account, recipientAccountId, StringComparison.Ordinal)
            && !string.Equals(account, "anonymous", StringComparison.OrdinalIgnoreCase);
        var partition = PartitionOf(identity.Arn) ?? PartitionOf(identity.SessionContext?.Issuer?.Arn) ?? "aws";
        switch (identity.Type)
        {
            case "IAMUser":
            {
                var arn = identity.Arn ?? (account is not null && identity.UserName is not null ? $"arn:{partition}:iam::{account}:user/{identity.UserName}" : null);
                return Make(EventPrincipalKind.IamUser, arn ?? Fallback("user", identity), arn, null, null);
            }
            case "AssumedRole":
                return AssumedRole(identity, partition, cross);
            case "Role":
                return Make(EventPrincipalKind.Role, identity.Arn ?? Fallback("role", identity), identity.Arn, null, null);
            case "FederatedUser":
            {
                var name = LastSegment(identity.Arn) ?? AfterColon(identity.PrincipalId);
                var issuer = identity.SessionContext?.Issuer?.Arn;
                var key = issuer ?? identity.Arn ?? Fallback("federated-user", identity);
                return Make(EventPrincipalKind.FederatedUser, key, issuer ?? identity.Arn, name, name);
            }
            case "Root":
            {
                var arn = identity.Arn ?? (account is not null ? $"arn:{partition}:iam::{account}:root" : null);
                return Make(EventPrincipalKind.Root, arn ?? "root", arn, null, null);
            }
            case "AWSService":
                return Make(EventPrincipalKind.AwsService, identity.InvokedBy ?? "aws-service", null, null, null);
            case "AWSAccount":
                if (account is null || string.Equals(account, "anonymous", StringComparison.OrdinalIgnoreCase)
                    || string.Equals(identity.PrincipalId, "ANONYMOUS_PRINCIPAL", StringComparison.Ordinal))
                {
                    return Make(EventPrincipalKind.Anonymous, "anonymous", null, null, null) with { IsCrossAccount = false };
                }
                return Make(EventPrincipalKind.AwsAccount, $"arn:{partition}:iam::{account}:root", null, AfterColon(identity.PrincipalId), null);
            case "IdentityCenterUser":
            {
                var user = identity.OnBehalfOfUserId ?? identity.UserName ?? identity.PrincipalId ?? "unknown";
                var store = identity.IdentityStoreArn ?? "identitystore";
                return Make(EventPrincipalKind.IdentityCenterUser, $"identitycenter:{store}/user/{user}", null, null, user);
            }
            case "WebIdentityUser":
            {
                var user = identity.UserName ?? identity.PrincipalId ?? "unknown";
                return Make(EventPrincipalKind.WebIdentityUser, $"webidentity:{identity.IdentityProvider ?? "unknown"}/{user}", null, null, user);
            }
            case "SAMLUser":
            {
                var user = identity.UserName ?? identity.PrincipalId ?? "unknown";
                return Make(EventPrincipalKind.SamlUser, $"saml:{identity.IdentityProvider ?? identity.PrincipalId ?? "unknown"}/{user}", null, null, user);
            }
            case null when identity.InvokedBy is not null:
                // Service events carry only `accountId` and `invokedBy`.
                return Make(EventPrincipalKind.AwsService, identity.InvokedBy, null, null, null) with { IsCrossAccount = false };
            default:
                return Make(EventPrincipalKind.Unknown, identity.PrincipalId is { } id ? $"unknown:{id}" : "unknown", identity.Arn, null, identity.UserName);
        }

        EventPrincipal Make(EventPrincipalKind kind, string key, string? arn, string? session, string? person) =>
            new(kind, key, arn, account, session, person, cross, identity.InvokedBy);
    }

    /// <summary>The role ARN of a role session: <c>sessionIssuer.arn</c> (which keeps the path), else derived from the STS ARN.</summary>
    private static EventPrincipal AssumedRole(UserIdentity identity, string partition, bool cross)
    {
        var issuer = identity.SessionContext?.Issuer;
        var session = AssumedRoleSession(identity.Arn) ?? AfterColon(identity.PrincipalId);
        var roleArn = issuer?.Arn;
        if (roleArn is null && AssumedRoleName(identity.Arn) is { } roleName && identity.AccountId is { } account)
        {
            roleArn = $"arn:{partition}:iam::{account}:role/{roleName}";
        }
        var name = roleArn is null ? issuer?.UserName : LastSegment(roleArn);
        var sso = name is not null && name.StartsWith(SsoRolePrefix, StringComparison.Ordinal)
            || roleArn is not null && roleArn.Contains(SsoPath, StringComparison.Ordinal);
        var key = roleArn ?? Fallback("assumed-role", identity);
        return new EventPrincipal(sso ? EventPrincipalKind.SsoRoleSession : EventPrincipalKind.AssumedRole, key, roleArn,
            identity.AccountId, session, sso ? session : null, cross, identity.InvokedBy);
    }

    /// <summary>The permission set of an Identity Center role name `AWSReservedSSO_{PermissionSet}_{16 hex}`.</summary>
    public static string? PermissionSetName(string? roleArnOrName)
    {
        var name = LastSegment(roleArnOrName) ?? roleArnOrName;
        if (name is null || !name.StartsWith(SsoRolePrefix, StringComparison.Ordinal)) { return null; }
        var rest = name[SsoRolePrefix.Length..];
        var last = rest.LastIndexOf('_');
        return last > 0 ? rest[..last] : rest;
    }

    private static string Fallback(string kind, UserIdentity identity) =>
        identity.PrincipalId is { } id ? $"{kind}:{identity.AccountId}:{id}" : $"{kind}:{identity.AccountId}";

    private static string? PartitionOf(string? arn)
    {
        if (arn is null || !arn.StartsWith("arn:", StringComparison.Ordinal)) { return null; }
        var end = arn.IndexOf(':', 4);
        return end > 4 ? arn[4..end] : null;
    }

    private static string? LastSegment(string? arn)
    {
        if (arn is null) { return null; }
        var slash = arn.LastIndexOf('/');
        return slash >= 0 && slash < arn.Length - 1 ? arn[(slash + 1)..] : null;
    }

    private static string? AfterColon(string? principalId)
    {
        if (principalId is null) { return null; }
        var colon = principalId.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && colon < principalId.Length - 1 ? principalId[(colon + 1)..] : null;
    }

    /// <summary>`arn:aws:sts::A:assumed-role/NAME/SESSION` → NAME.</summary>
    private static string? AssumedRoleName(string? arn)
    {
        var rest = AssumedRoleRest(arn);
        if (rest is null) { return null; }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? rest[..slash] : rest;
    }

    private static string? AssumedRoleSession(string? arn)
    {
        var rest = AssumedRoleRest(arn);
        if (rest is null) { return null; }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < rest.Length - 1 ? rest[(slash + 1)..] : null;
    }

    private static string? AssumedRoleRest(string? arn)
    {
        const string marker = ":assumed-role/";
        if (arn is null) { return null; }
        var at = arn.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : arn[(at + marker.Length)..];
    }
}
