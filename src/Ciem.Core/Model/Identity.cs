using System.Collections.Immutable;

namespace Ciem.Core.Model;

/// <summary>What an identity is, across providers. Service identities are non-human: pipelines, apps, agents.</summary>
public enum IdentityKind
{
    HumanUser,
    ServiceIdentity,
    Role,
    ServiceLinkedRole,
    SsoRole,
}

/// <summary>The lowercase names the outputs and `--kind` use for an <see cref="IdentityKind"/>.</summary>
public static class IdentityKindNames
{
    /// <summary>`human`, `service`, `role`, `service-linked`, `sso`.</summary>
    public static string Of(IdentityKind kind) => kind switch
    {
        IdentityKind.HumanUser => "human",
        IdentityKind.ServiceIdentity => "service",
        IdentityKind.Role => "role",
        IdentityKind.ServiceLinkedRole => "service-linked",
        IdentityKind.SsoRole => "sso",
        _ => kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// A provider-neutral identity: <see cref="Id"/> is the provider's immutable name for it (an AWS ARN, an Azure
/// object id, a GCP member), <see cref="Scope"/> the account, subscription or project it lives in.
/// </summary>
public sealed record Identity(
    string Provider,
    string Id,
    string Name,
    IdentityKind Kind,
    string Scope,
    ImmutableArray<KeyValuePair<string, string>> Tags,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? LastUsed,
    string? Owner = null,
    IdentityCredentials? Credentials = null);

/// <summary>
/// What is known of an identity's long-lived credentials (an IAM user's credential report row): console password,
/// active access keys, when the oldest active key was created and when any credential was last used.
/// </summary>
public sealed record IdentityCredentials(
    bool? ConsolePassword,
    bool MfaActive,
    int ActiveKeys,
    DateTimeOffset? OldestActiveKeyCreated,
    DateTimeOffset? LastUsed,
    string? LastUsedService);
