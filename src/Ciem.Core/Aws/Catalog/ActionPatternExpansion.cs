namespace Ciem.Core.Aws.Catalog;

/// <summary>How an IAM action pattern related to the catalog, so a policy reader can warn precisely.</summary>
public enum ActionPatternStatus : byte
{
    /// <summary>The pattern matched one or more actions.</summary>
    Matched,

    /// <summary>The service part names (or, with wildcards, matches) no service prefix in the catalog.</summary>
    UnknownService,

    /// <summary>The service exists but no action name of it matches.</summary>
    NoMatchingAction,

    /// <summary>Empty, or neither `*` nor of the form `service:action`.</summary>
    Malformed,
}

/// <summary>The result of expanding one action pattern: the matching actions and why the set may be empty.</summary>
public readonly record struct ActionPatternExpansion(ActionSet Actions, ActionPatternStatus Status);
