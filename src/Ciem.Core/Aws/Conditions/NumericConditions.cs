using System.Globalization;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// `NumericEquals`, `NumericNotEquals`, `NumericLessThan`, `NumericLessThanEquals`, `NumericGreaterThan`,
/// `NumericGreaterThanEquals`: integers and decimals (and exponent forms), compared as <see cref="decimal"/>.
/// Policy variables are not supported by numeric operators.
/// </summary>
internal sealed class NumericConditionClause(string key, ConditionOperator op, decimal?[] values)
    : OrderedConditionClause<decimal>(key, op, values)
{
    public static bool TryParse(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    protected override bool TryParseContext(string text, out decimal value) => TryParse(text, out value);
}
