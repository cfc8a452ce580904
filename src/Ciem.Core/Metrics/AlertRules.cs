using System.Collections.Immutable;
using Ciem.Core.Gate;

namespace Ciem.Core.Metrics;

/// <summary>The conditions an alert rule can watch (the `type` of a rule in the rules file).</summary>
public static class AlertRuleTypes
{
    /// <summary>The gap grew by more than a percentage or a number of permissions over a period, overall or per slice.</summary>
    public const string GapGrowth = "gap-growth";

    /// <summary>An identity is an administrator now and was not at the previous measurement.</summary>
    public const string NewAdministrator = "new-admin";

    /// <summary>An administrator that did not use its admin rights in the window, and was not one at the previous measurement.</summary>
    public const string NewUnusedAdministrator = "new-unused-admin";

    /// <summary>A delivered reduction regrew: removed permissions were seen gone and are granted again.</summary>
    public const string RegrownReduction = "regrown-reduction";

    /// <summary>A service identity with no owner.</summary>
    public const string ServiceWithoutOwner = "service-without-owner";

    /// <summary>An active long-lived credential older than a number of days.</summary>
    public const string CredentialAge = "credential-age";

    /// <summary>A new identity with admin rights that the IaC repository does not declare.</summary>
    public const string NewAdministratorOutsideIac = "new-admin-outside-iac";

    public static readonly ImmutableArray<string> All =
        [GapGrowth, NewAdministrator, NewUnusedAdministrator, RegrownReduction, ServiceWithoutOwner, CredentialAge, NewAdministratorOutsideIac];
}

/// <summary>
/// One rule of the rules file. <see cref="Percent"/> and <see cref="Permissions"/> belong to `gap-growth` (either or
/// both: it fires when the gap grew by more than either), <see cref="Days"/> to `credential-age`, <see cref="IacRepository"/>
/// and <see cref="IacTags"/> to `new-admin-outside-iac`. <see cref="Providers"/> restricts any rule to some providers.
/// </summary>
public sealed record AlertRule(
    string Id,
    string Type,
    FindingSeverity Severity,
    ImmutableArray<string> Channels)
{
    public double? Percent { get; init; }
    public long? Permissions { get; init; }
    public int PeriodDays { get; init; } = 7;
    public TrendDimension By { get; init; } = TrendDimension.Total;
    public int Days { get; init; } = 90;
    public string? IacRepository { get; init; }
    public ImmutableArray<string> IacTags { get; init; } = [];
    public ImmutableArray<string> Providers { get; init; } = [];
}

/// <summary>
/// Where an alert is sent: e-mail (<see cref="To"/>, through the file's SMTP relay), a Slack, Teams or plain JSON
/// webhook (<see cref="Url"/>, or the environment variable <see cref="UrlVariable"/> that holds it, since a webhook's
/// URL is a secret), or a folder (the outbox).
/// </summary>
/// <param name="Type">`email`, `slack`, `teams`, `webhook` or `outbox`.</param>
public sealed record AlertChannel(string Name, string Type)
{
    public ImmutableArray<string> To { get; init; } = [];
    public string? Url { get; init; }
    public string? UrlVariable { get; init; }
    public string? Folder { get; init; }

    public static readonly ImmutableArray<string> Types = ["email", "slack", "teams", "webhook", "outbox"];
}

/// <summary>The SMTP relay of e-mail channels; the password is read from the environment variable named, never from the file.</summary>
/// <param name="Tls">`starttls` (default), `implicit`, `starttls-when-available` or `none`.</param>
public sealed record AlertSmtp(string Host, int Port, string From, string Tls = "starttls", string? User = null, string? PasswordVariable = null);

/// <summary>The rules file: rules, channels, the SMTP relay and the severity at or above which `ciem alerts evaluate` exits 2.</summary>
public sealed record AlertConfig(ImmutableArray<AlertRule> Rules, ImmutableArray<AlertChannel> Channels, FindingSeverity FailOn, AlertSmtp? Smtp = null)
{
    public static readonly AlertConfig Empty = new([], [], FindingSeverity.High);
}

/// <summary>
/// A condition that holds now. <see cref="Key"/> names what it is about (a slice, an identity) so the same condition
/// on the next run is recognised as the same alert and not sent again.
/// </summary>
public sealed record FiringAlert(string Rule, string Key, FindingSeverity Severity, string Message, ImmutableArray<string> Channels);

/// <summary>One entry of an alert's history: `fired`, `resolved`, `sent` or `send-failed` (with the channel).</summary>
public sealed record AlertEvent(DateTimeOffset At, string Kind, string? Channel, string Detail);

/// <summary>An alert as the store keeps it: when it fired, was last seen firing and resolved, and its history.</summary>
public sealed record AlertRecord(
    long Id,
    string Rule,
    string Key,
    FindingSeverity Severity,
    string Message,
    ImmutableArray<string> Channels,
    DateTimeOffset FiredAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? ResolvedAt,
    ImmutableArray<AlertEvent> History)
{
    public bool IsOpen => ResolvedAt is null;
}
