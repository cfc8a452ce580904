using System.Collections.Immutable;

namespace Ciem.Core.Aws.Usage;

/// <summary>
/// One CloudTrail record, reduced to what entitlement management needs. Strings that repeat across events
/// (sources, names, ARNs) are shared instances when the reader interns them. <see cref="Key"/> is stable across
/// re-ingestion: the same record read twice has the same key.
/// </summary>
public sealed record CloudTrailEvent(
    string EventId,
    DateTimeOffset Time,
    string Source,
    string Name,
    string? Region,
    string RecipientAccountId,
    UserIdentity? UserIdentity,
    EventPrincipal Principal,
    string? SourceIp,
    string? UserAgent,
    string? ErrorCode,
    string? ErrorMessage,
    ImmutableArray<EventResource> Resources,
    bool? ReadOnly,
    string? EventType,
    string? Category,
    bool? ManagementEvent,
    string? RequestParameters,
    string? SharedEventId,
    string? VpcEndpointId)
{
    /// <summary><c>eventID</c> plus recipient account: CloudTrail's own identity of a record.</summary>
    public EventKey Key => new(EventId, RecipientAccountId);

    /// <summary>The call failed; it is an attempt, not usage.</summary>
    public bool IsError => ErrorCode is not null;

    /// <summary>The call failed for lack of permission (`AccessDenied`, `Client.UnauthorizedOperation`, …).</summary>
    public bool IsDenied => ErrorCode is { } code && IsDeniedCode(code);

    /// <summary>The UTC day the event happened, the granularity of usage rollups.</summary>
    public DateOnly Day => DateOnly.FromDateTime(Time.UtcDateTime);

    /// <summary>True for error codes that mean "not authorised", across services' spellings.</summary>
    public static bool IsDeniedCode(string errorCode)
    {
        ArgumentNullException.ThrowIfNull(errorCode);
        return errorCode.Contains("AccessDenied", StringComparison.OrdinalIgnoreCase)
            || errorCode.Contains("Unauthorized", StringComparison.OrdinalIgnoreCase)
            || errorCode.Contains("NotAuthorized", StringComparison.OrdinalIgnoreCase)
            || errorCode.Equals("Forbidden", StringComparison.OrdinalIgnoreCase)
            || errorCode.Equals("AuthorizationError", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>CloudTrail's identity of a record: <c>eventID</c> is unique per recipient account.</summary>
public readonly record struct EventKey(string EventId, string RecipientAccountId)
{
    public override string ToString() => $"{RecipientAccountId}/{EventId}";
}

/// <summary>An entry of the record's <c>resources</c> list.</summary>
public sealed record EventResource(string? Arn, string? AccountId, string? Type);

/// <summary>The record's <c>userIdentity</c> element as logged (see the CloudTrail userIdentity element reference).</summary>
public sealed record UserIdentity(
    string? Type,
    string? PrincipalId,
    string? Arn,
    string? AccountId,
    string? AccessKeyId,
    string? UserName,
    string? InvokedBy,
    SessionContext? SessionContext,
    string? IdentityProvider,
    string? OnBehalfOfUserId,
    string? IdentityStoreArn,
    string? CredentialId);

/// <summary><c>userIdentity.sessionContext</c>: who issued temporary credentials and how.</summary>
public sealed record SessionContext(
    SessionIssuer? Issuer,
    bool? MfaAuthenticated,
    DateTimeOffset? CreationDate,
    string? SourceIdentity,
    string? WebIdFederatedProvider);

/// <summary><c>sessionContext.sessionIssuer</c>: the role or user whose credentials the session came from.</summary>
public sealed record SessionIssuer(string? Type, string? PrincipalId, string? Arn, string? AccountId, string? UserName);
