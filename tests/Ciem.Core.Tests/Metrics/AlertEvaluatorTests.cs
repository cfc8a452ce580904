using System.Collections.Immutable;
using Ciem.Core.Gate;
using Ciem.Core.Metrics;

namespace Ciem.Core.Tests.Metrics;

public sealed class AlertEvaluatorTests
{
    private static readonly DateOnly Monday = new(2026, 3, 2);

    internal static IdentityMeasure Id(string name, long granted = 100, long used = 10, bool admin = false, bool unusedAdmin = false, string kind = "service",
        string? owner = "team@example.com", int regrown = 0, int? credentialDays = null, string provider = "aws", string[]? tags = null) =>
        new(provider, "111111111111", $"arn:aws:iam::111111111111:role/{name}", name, kind, "prod", owner, admin, unusedAdmin, used == 0,
            granted, used, granted - used - 5, 5, 0, 0, regrown, credentialDays, [.. tags ?? []]);

    internal static Measurement Day(DateOnly day, params IdentityMeasure[] ids) =>
        new(day, new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), 90, "sweep", [], [.. ids]);

    private static AlertConfig Config(AlertRule rule) => new([rule], [], FindingSeverity.High);

    private static AlertRule Rule(string type) => new("r", type, FindingSeverity.High, []);

    /// <summary>Evaluates, reconciles against what is open and returns the next open set: (new, continuing, resolved).</summary>
    private static (int New, int Continuing, int Resolved, List<OpenAlert> Open) Step(AlertConfig config, List<OpenAlert> open, params Measurement[] history)
    {
        var firing = AlertEvaluator.Evaluate(config, history, IacDeclarations.None);
        var r = AlertEvaluator.Reconcile(open, firing, config.Rules.Select(x => x.Id));
        var next = open.Where(o => !r.Resolved.Contains(o)).Concat(r.New.Select((f, i) => new OpenAlert(open.Count + i + 100, f.Rule, f.Key))).ToList();
        return (r.New.Length, r.Continuing.Length, r.Resolved.Length, next);
    }

    public static TheoryData<string, Measurement[], Measurement[], Measurement[]> Rules()
    {
        var d0 = Monday;
        var d1 = Monday.AddDays(7);
        var d2 = Monday.AddDays(14);
        return new()
        {
            // rule, history where it fires, the same history run again plus nothing (dedup), history where it clears
            { AlertRuleTypes.NewAdministrator, [Day(d0, Id("a")), Day(d1, Id("a", admin: true))], [Day(d0, Id("a")), Day(d1, Id("a", admin: true))],
                [Day(d0, Id("a")), Day(d1, Id("a", admin: true)), Day(d2, Id("a", admin: true))] },
            { AlertRuleTypes.NewUnusedAdministrator, [Day(d0, Id("a", admin: true)), Day(d1, Id("a", admin: true, unusedAdmin: true))],
                [Day(d0, Id("a", admin: true)), Day(d1, Id("a", admin: true, unusedAdmin: true))],
                [Day(d0, Id("a", admin: true)), Day(d1, Id("a", admin: true, unusedAdmin: true)), Day(d2, Id("a", admin: true))] },
            { AlertRuleTypes.RegrownReduction, [Day(d0, Id("a", regrown: 1))], [Day(d0, Id("a", regrown: 1))], [Day(d0, Id("a", regrown: 1)), Day(d1, Id("a"))] },
            { AlertRuleTypes.ServiceWithoutOwner, [Day(d0, Id("a", owner: null))], [Day(d0, Id("a", owner: " "))], [Day(d1, Id("a", owner: "ops@example.com"))] },
            { AlertRuleTypes.CredentialAge, [Day(d0, Id("a", credentialDays: 91))], [Day(d0, Id("a", credentialDays: 120))], [Day(d1, Id("a", credentialDays: 90))] },
        };
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Evaluate_EachRule_FiresDedupsResolves(string type, Measurement[] fires, Measurement[] again, Measurement[] clears)
    {
        // Given a rule of the type (credential-age with 90 days)
        var config = Config(Rule(type) with { Days = 90 });

        // When the history where it fires is evaluated, then the same condition again, then a history where it clears
        var first = Step(config, [], fires);
        var second = Step(config, first.Open, again);
        var third = Step(config, second.Open, clears);

        // Then it opens once, is not new on the second run, and resolves on the third
        Assert.Equal((1, 0, 0), (first.New, first.Continuing, first.Resolved));
        Assert.Equal((0, 1, 0), (second.New, second.Continuing, second.Resolved));
        Assert.Equal((0, 0, 1), (third.New, third.Continuing, third.Resolved));
    }

    [Fact]
    public void Evaluate_GapGrowthPercent_FiresAboveAndNotAtThreshold()
    {
        // Given the gap at 90 on day 0, then 99 (+10 %) a week later, and a near-miss twin at exactly +10 % with a 10 % threshold
        var rule = Rule(AlertRuleTypes.GapGrowth) with { Percent = 10, PeriodDays = 7 };
        Measurement[] over = [Day(Monday, Id("a", granted: 100, used: 10)), Day(Monday.AddDays(7), Id("a", granted: 110, used: 10))];
        Measurement[] equal = [Day(Monday, Id("a", granted: 100, used: 10)), Day(Monday.AddDays(7), Id("a", granted: 109, used: 10))];

        // When evaluated
        var fired = AlertEvaluator.Evaluate(Config(rule), over, IacDeclarations.None);
        var quiet = AlertEvaluator.Evaluate(Config(rule), equal, IacDeclarations.None);

        // Then 90 → 100 (+11.1 %) fires for `all`, 90 → 99 (+10 %) does not
        var alert = Assert.Single(fired);
        Assert.Equal("all", alert.Key);
        Assert.Contains("grew by 10 permission(s) (+11.1 %)", alert.Message, StringComparison.Ordinal);
        Assert.Empty(quiet);
    }

    [Fact]
    public void Evaluate_GapGrowthPermissionsByProvider_OnlyTheGrowingSlice()
    {
        // Given AWS growing by 50 and GCP by 5 over a week, with a 20-permission rule per provider
        var rule = Rule(AlertRuleTypes.GapGrowth) with { Permissions = 20, PeriodDays = 7, By = TrendDimension.Provider };
        Measurement[] history =
        [
            Day(Monday, Id("a", granted: 100), Id("g", granted: 100, provider: "gcp")),
            Day(Monday.AddDays(3), Id("a", granted: 500), Id("g", granted: 500, provider: "gcp")),
            Day(Monday.AddDays(7), Id("a", granted: 150), Id("g", granted: 105, provider: "gcp")),
        ];

        // When evaluated
        var fired = AlertEvaluator.Evaluate(Config(rule), history, IacDeclarations.None);

        // Then the period starts at day 0 (the mid-week peak is not the start) and only AWS fires
        Assert.Equal(["aws"], fired.Select(f => f.Key).ToArray());
    }

    [Fact]
    public void Evaluate_NewAdminOutsideIac_DeclaredOrTaggedDoNotFire()
    {
        // Given three new administrators: one declared in the IaC repository, one tagged as managed, one neither
        var rule = Rule(AlertRuleTypes.NewAdministratorOutsideIac) with { IacRepository = "infra", IacTags = ["managed-by=terraform"] };
        Measurement[] history =
        [
            Day(Monday, Id("old", admin: true)),
            Day(Monday.AddDays(1), Id("old", admin: true), Id("declared", admin: true), Id("tagged", admin: true, tags: ["managed-by=terraform"]),
                Id("rogue", admin: true), Id("reader")),
        ];
        var iac = new IacDeclarations(new Dictionary<string, ImmutableHashSet<string>> { ["infra"] = ["declared"] }
            .ToImmutableDictionary());

        // When evaluated
        var fired = AlertEvaluator.Evaluate(Config(rule), history, iac);

        // Then only the undeclared, untagged new administrator fires (the existing one and the non-admin do not)
        Assert.Equal(["aws:arn:aws:iam::111111111111:role/rogue"], fired.Select(f => f.Key).ToArray());
    }

    [Fact]
    public void Reconcile_RuleNotEvaluated_OpenAlertNotResolved()
    {
        // Given an open alert of a rule that is no longer in the file
        var open = new OpenAlert(1, "removed-rule", "k");

        // When a run evaluates other rules and nothing fires
        var r = AlertEvaluator.Reconcile([open], [], ["other"]);

        // Then the alert stays open: only evaluated rules resolve
        Assert.Empty(r.Resolved);
    }
}
