using System.Collections.Immutable;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Gate;

/// <summary>How serious a finding is; the gate fails at or above a configured level.</summary>
public enum FindingSeverity
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>
/// One problem a change introduces. <see cref="Evidence"/> lists the actions, statements or principals behind it;
/// <see cref="Indeterminate"/> is true when unknown content (a value known only after apply) could change it.
/// </summary>
public sealed record GateFinding(
    string RuleId,
    FindingSeverity Severity,
    string Principal,
    string Message,
    ImmutableArray<string> Evidence,
    SourceLocation? Location,
    bool Indeterminate = false);

/// <summary>A rule of the gate: a stable id, a default severity and what it looks for.</summary>
public sealed record GateRule(string Id, FindingSeverity DefaultSeverity, string Title, string Description);

public static class FindingSeverities
{
    public static string Name(FindingSeverity s) => s switch
    {
        FindingSeverity.Low => "low",
        FindingSeverity.Medium => "medium",
        FindingSeverity.High => "high",
        _ => "critical",
    };

    public static bool TryParse(string? text, out FindingSeverity severity)
    {
        severity = FindingSeverity.High;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "low": severity = FindingSeverity.Low; return true;
            case "medium": severity = FindingSeverity.Medium; return true;
            case "high": severity = FindingSeverity.High; return true;
            case "critical": severity = FindingSeverity.Critical; return true;
            default: return false;
        }
    }
}
