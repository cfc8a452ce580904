using System.Collections.Immutable;
using Ciem.App.Notify;
using Ciem.Core.Diagnostics;
using Ciem.Core.Review;

namespace Ciem.App.Review;

/// <summary>Where notices go (null parts: the defaults beside the store) and the owner sources read from files.</summary>
public sealed record ReviewNotifySettings(
    string? StateDirectory = null,
    string? OutboxDirectory = null,
    SmtpSettings? Smtp = null,
    ImmutableArray<WebhookSettings> Webhooks = default,
    RetrySettings? Retry = null)
{
    public NotificationSettings Resolve(string defaultStateDirectory) => new(
        StateDirectory ?? Path.Combine(defaultStateDirectory, "notify"),
        OutboxDirectory ?? Path.Combine(defaultStateDirectory, "outbox"),
        Smtp, Webhooks.IsDefault ? [] : Webhooks, Retry);
}

/// <summary>
/// ciem-review.yml as read: the programme's <see cref="ReviewConfig"/>, notification channels, and the owner sources that
/// live in files (CODEOWNERS and the IaC file of each identity; directory owners and managers; OIDC repositories).
/// </summary>
public sealed record ReviewSettings(
    ReviewConfig Config,
    ReviewNotifySettings Notify,
    string? CodeOwnersPath,
    ImmutableDictionary<string, string> IacFiles,
    ImmutableDictionary<string, string> OidcRepositories,
    ImmutableDictionary<string, ImmutableArray<string>> DirectoryOwners,
    ImmutableDictionary<string, string> Managers)
{
    public static readonly ReviewSettings Default = new(new ReviewConfig(), new ReviewNotifySettings(), null,
        ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, string>.Empty,
        ImmutableDictionary<string, ImmutableArray<string>>.Empty, ImmutableDictionary<string, string>.Empty);
}

/// <summary>The settings or the located errors that refused them.</summary>
public sealed record ReviewSettingsResult(ReviewSettings Settings, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}
