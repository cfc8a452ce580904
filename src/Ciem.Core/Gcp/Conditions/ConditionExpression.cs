namespace Ciem.Core.Gcp.Conditions;

/// <summary>
/// An IAM condition expression parsed once and evaluated many times. Text outside the supported subset does not
/// throw: <see cref="Error"/> says why, and every evaluation is <see cref="Truth.Unknown"/> (unsupported).
/// </summary>
public sealed class ConditionExpression
{
    private readonly CelNode? _root;

    private ConditionExpression(string text, CelNode? root, string? error)
    {
        Text = text;
        _root = root;
        Error = error;
    }

    public string Text { get; }

    /// <summary>Why the text could not be parsed; null when it was.</summary>
    public string? Error { get; }

    public static ConditionExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text)) { return new ConditionExpression(text, null, "the expression is empty"); }
        return CelParser.TryParse(text, out var root, out var error)
            ? new ConditionExpression(text, root, null)
            : new ConditionExpression(text, null, error);
    }

    public ConditionResult Evaluate(ConditionAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return _root is null
            ? new ConditionResult(Truth.Unknown, $"cannot parse the condition: {Error}", Unsupported: true)
            : CelEvaluator.Evaluate(_root, attributes);
    }

    public override string ToString() => Text;
}
