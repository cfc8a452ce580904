namespace Ciem.Core.Model;

/// <summary>
/// The outcome of an authorization question, shared by every provider. <see cref="Indeterminate"/> means the
/// engine met policy content it cannot evaluate (malformed, or a feature it does not support) that could
/// change the outcome — it is never silently turned into an allow or a deny.
/// </summary>
public enum Decision
{
    Allow,
    ExplicitDeny,
    ImplicitDeny,
    Indeterminate,
}
