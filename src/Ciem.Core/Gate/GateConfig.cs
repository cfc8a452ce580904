using System.Collections.Immutable;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Gate;

/// <summary>Per-rule settings of `ciem-rules.yml`.</summary>
public sealed record GateRuleSetting(bool Enabled = true, FindingSeverity? Severity = null);

/// <summary>An accepted finding: a rule and a principal pattern (`*` wildcards), with a reason and an expiry date.</summary>
public sealed record GateException(string Rule, string Principal, string Reason, DateOnly? Expires, SourceLocation Location)
{
    public bool Matches(GateFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return (Rule == "*" || string.Equals(Rule, finding.RuleId, StringComparison.OrdinalIgnoreCase)) && Glob(Principal, finding.Principal);
    }

    private static bool Glob(string pattern, string text)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1) { return string.Equals(pattern, text, StringComparison.OrdinalIgnoreCase); }
        if (!text.StartsWith(parts[0], StringComparison.OrdinalIgnoreCase)) { return false; }
        var at = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = text.IndexOf(parts[i], at, StringComparison.OrdinalIgnoreCase);
            if (found < 0) { return false; }
            at = found + parts[i].Length;
        }
        return text.Length - at >= parts[^1].Length && text.EndsWith(parts[^1], StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The result of applying the configuration: findings kept, findings accepted by an exception, and warnings.</summary>
public sealed record GateOutcome(
    ImmutableArray<GateFinding> Findings,
    ImmutableArray<(GateFinding Finding, GateException Exception)> Accepted,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Fails(FindingSeverity threshold) => Findings.Any(f => f.Severity >= threshold);
}

/// <summary>The gate's configuration (a checked-in `ciem-rules.yml`): threshold, per-rule settings, exceptions.</summary>
public sealed record GateConfig(FindingSeverity FailOn, ImmutableDictionary<string, GateRuleSetting> Rules, ImmutableArray<GateException> Exceptions)
{
    public static readonly GateConfig Default = new(FindingSeverity.High, ImmutableDictionary<string, GateRuleSetting>.Empty, []);

    /// <summary>Drops disabled rules, applies severity overrides and unexpired exceptions; expired ones are reported and ignored.</summary>
    public GateOutcome Apply(IEnumerable<GateFinding> findings, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var diags = new DiagnosticBag();
        var active = new List<GateException>();
        foreach (var e in Exceptions)
        {
            if (e.Expires is { } until && until < asOf)
            {
                diags.Warning(DiagnosticCodes.GateExpiredException, $"exception for rule `{e.Rule}` on `{e.Principal}` expired on {until:yyyy-MM-dd} and is ignored (reason was: {e.Reason})", e.Location);
                continue;
            }
            active.Add(e);
        }
        var kept = ImmutableArray.CreateBuilder<GateFinding>();
        var accepted = ImmutableArray.CreateBuilder<(GateFinding, GateException)>();
        foreach (var f in findings)
        {
            var setting = Rules.GetValueOrDefault(f.RuleId);
            if (setting is { Enabled: false }) { continue; }
            var finding = setting?.Severity is { } s ? f with { Severity = s } : f;
            if (active.FirstOrDefault(e => e.Matches(finding)) is { } exception) { accepted.Add((finding, exception)); }
            else { kept.Add(finding); }
        }
        return new GateOutcome(kept.ToImmutable(), accepted.ToImmutable(), diags.ToImmutable());
    }
}
