using Ciem.Core.Aws.Evaluation;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// `BinaryEquals`: the policy value is base64; the context value (also carried as base64 text) is decoded and
/// compared byte for byte. A context value that is not base64 makes the comparison Indeterminate.
/// </summary>
internal sealed class BinaryConditionClause(string key, ConditionOperator op, byte[]?[] values) : ConditionClause(key, op)
{
    public static bool TryParse(string text, out byte[] bytes)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }
        bytes = [];
        return false;
    }

    protected override ConditionOutcome MatchAny(string contextValue, RequestContext context)
    {
        var size = (contextValue.Length * 3 / 4) + 3;
        Span<byte> buffer = size <= 512 ? stackalloc byte[size] : new byte[size];
        if (!Convert.TryFromBase64String(contextValue, buffer, out var written)) { return ConditionOutcome.Indeterminate; }
        var actual = buffer[..written];
        var result = ConditionOutcome.False;
        foreach (var p in values)
        {
            if (p is null) { result = ConditionOutcome.Indeterminate; }
            else if (actual.SequenceEqual(p)) { return ConditionOutcome.True; }
        }
        return result;
    }
}
