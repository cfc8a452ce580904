using System.Collections.Immutable;

namespace Ciem.Core.Review;

/// <summary>
/// Which identities a stage (or an exclusion) takes: every listed criterion must hold (empty lists hold for all).
/// Values compare ordinally, ignoring case; tags as `key=value` (or `key` for any value).
/// </summary>
public sealed record ReviewSelector
{
    public ImmutableArray<string> Providers { get; init; } = [];
    public ImmutableArray<string> Kinds { get; init; } = [];
    public ImmutableArray<string> Environments { get; init; } = [];
    public ImmutableArray<string> ExcludeEnvironments { get; init; } = [];
    public ImmutableArray<string> Scopes { get; init; } = [];
    public ImmutableArray<string> Tags { get; init; } = [];
    public ImmutableArray<string> Owners { get; init; } = [];
    public ImmutableArray<string> Identities { get; init; } = [];
    public bool? Administrator { get; init; }
    public double? MinConfidence { get; init; }
    public bool? SensitiveRemoval { get; init; }

    public bool Matches(ReviewCandidate c, OwnerAssignment? owner)
    {
        ArgumentNullException.ThrowIfNull(c);
        return In(Providers, c.Provider) && In(Kinds, c.KindGroup) && In(Environments, c.Environment)
            && !(ExcludeEnvironments.Length > 0 && In(ExcludeEnvironments, c.Environment))
            && In(Scopes, c.Scope) && In(Identities, c.IdentityId, c.Name)
            && (Owners.IsEmpty || (owner is not null && In(Owners, owner.Owner)))
            && Tags.All(t => HasTag(c, t))
            && (Administrator is not { } admin || admin == c.IsAdministrator)
            && (MinConfidence is not { } min || c.Confidence >= min)
            && (SensitiveRemoval is not { } sensitive || sensitive == !c.SensitiveRemovals.IsEmpty);
    }

    private static bool In(ImmutableArray<string> values, params string[] candidates) =>
        values.IsEmpty || values.Any(v => candidates.Any(c => string.Equals(v, c, StringComparison.OrdinalIgnoreCase)));

    private static bool HasTag(ReviewCandidate c, string selector)
    {
        var eq = selector.IndexOf('=', StringComparison.Ordinal);
        var key = eq < 0 ? selector : selector[..eq];
        return c.Tags.Any(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase)
            && (eq < 0 || string.Equals(t.Value, selector[(eq + 1)..], StringComparison.OrdinalIgnoreCase)));
    }
}

/// <summary>A stage of the campaign: a name and a selector; an identity goes to the first stage that takes it.</summary>
public sealed record ReviewStage(string Name, ReviewSelector Select);

/// <summary>An identity (or selection) kept out of the campaign, with the reason and until when.</summary>
public sealed record ReviewExclusion(ReviewSelector Select, string Reason, DateTimeOffset? Until);

/// <summary>
/// The programme's settings (ciem-review.yml; docs/review.md): stages in order, batch size, the stagger between
/// batches' notices (<see cref="NoticeDays"/>), the objection window, the days after the deadline before an item
/// that was never approved expires, the four-eyes rule, exclusions, owner sources and the programme admin.
/// </summary>
public sealed record ReviewConfig
{
    public string Name { get; init; } = "review";
    public int BatchSize { get; init; } = 25;
    public int NoticeDays { get; init; } = 7;
    public int ObjectionDays { get; init; } = 7;
    public int ExpireDays { get; init; } = 30;
    public bool FourEyes { get; init; }
    public string ProgrammeAdmin { get; init; } = "programme-admin";
    public ImmutableArray<ReviewStage> Stages { get; init; } = DefaultStages;
    public ImmutableArray<ReviewExclusion> Exclusions { get; init; } = [];
    public ImmutableArray<string> OwnerTagKeys { get; init; } = ["owner", "team", "contact"];
    public ImmutableDictionary<string, string> FallbackOwners { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The local clone of the Terraform repository `apply` and `rollback` use when not given one (`iac-repo`).</summary>
    public string? IacRepository { get; init; }

    /// <summary>Confidence at or above which a production service identity counts as low impact.</summary>
    public const double HighConfidence = 0.8;

    /// <summary>
    /// The order: service identities outside production, then low-impact production service identities (high
    /// confidence, no sensitive removal, not administrators), then the other service identities, then people.
    /// </summary>
    public static readonly ImmutableArray<ReviewStage> DefaultStages =
    [
        new("service-nonprod", new ReviewSelector { Kinds = ["service"], ExcludeEnvironments = ["prod"] }),
        new("service-prod-low-impact", new ReviewSelector
        {
            Kinds = ["service"], Environments = ["prod"], MinConfidence = HighConfidence, SensitiveRemoval = false, Administrator = false,
        }),
        new("service-remaining", new ReviewSelector { Kinds = ["service"] }),
        new("human", new ReviewSelector { Kinds = ["human"] }),
    ];
}
