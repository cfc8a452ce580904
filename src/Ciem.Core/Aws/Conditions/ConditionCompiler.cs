using System.Collections.Immutable;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// Compiles a statement's Condition entries once into a <see cref="CompiledConditionBlock"/>. Never throws on
/// policy content: an unknown operator, or a value the operator cannot use, gives a diagnostic located at the
/// entry's JSON path, and the entry (or just that value) evaluates Indeterminate.
/// </summary>
public static class ConditionCompiler
{
    private delegate bool ValueParser<T>(string text, out T value);

    public static CompiledConditionBlock Compile(ImmutableArray<ConditionEntry> entries, PolicyLanguageVersion version, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (entries.IsDefaultOrEmpty) { return CompiledConditionBlock.Empty; }
        var clauses = new ConditionClause[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            clauses[i] = CompileEntry(entries[i], version, diagnostics);
        }
        return new CompiledConditionBlock(entries, clauses);
    }

    private static ConditionClause CompileEntry(ConditionEntry entry, PolicyLanguageVersion version, DiagnosticBag diagnostics)
    {
        var location = new SourceLocation(JsonPath: entry.JsonPath);
        var op = ConditionOperator.Parse(entry.Operator, location, diagnostics);
        if (op is null) { return new IndeterminateClause(entry.Key, null); }
        if (entry.Values.IsDefaultOrEmpty)
        {
            diagnostics.Error(DiagnosticCodes.ConditionBadValue, $"condition `{op}` for key `{entry.Key}` has no values", location);
            return new IndeterminateClause(entry.Key, op);
        }

        var context = new EntryContext(entry, op, version, diagnostics, location);
        return op.Info.Family switch
        {
            ConditionFamily.String => new StringConditionClause(
                entry.Key, op, TextValue.CompileAll(entry, op, version, asPattern: op.Info.Comparison == Comparison.Like, diagnostics, location)),
            ConditionFamily.Arn => new ArnConditionClause(
                entry.Key, op, TextValue.CompileAll(entry, op, version, asPattern: true, diagnostics, location)),
            ConditionFamily.Bool => CompileBool(context),
            ConditionFamily.Numeric => new NumericConditionClause(entry.Key, op, ParseAll<decimal>(context, NumericConditionClause.TryParse, "a number")),
            ConditionFamily.Date => new DateConditionClause(entry.Key, op, ParseAll<long>(context, DateConditionClause.TryParse, "an ISO 8601 date or epoch seconds")),
            ConditionFamily.IpAddress => new IpAddressConditionClause(entry.Key, op, ParseAll<IpBlock>(context, IpBlock.TryParse, "an IPv4 or IPv6 address or CIDR block")),
            ConditionFamily.Binary => new BinaryConditionClause(entry.Key, op, ParseReferences(context)),
            _ => new NullConditionClause(entry.Key, op, ParseAll<bool>(context, BoolConditionClause.TryParse, "`true` or `false`")),
        };
    }

    private sealed record EntryContext(
        ConditionEntry Entry, ConditionOperator Operator, PolicyLanguageVersion Version, DiagnosticBag Diagnostics, SourceLocation Location);

    private static BoolConditionClause CompileBool(EntryContext c)
    {
        var values = TextValue.CompileAll(c.Entry, c.Operator, c.Version, asPattern: false, c.Diagnostics, c.Location);
        for (var i = 0; i < values.Length; i++)
        {
            var raw = c.Entry.Values[i];
            var isTemplate = c.Operator.SupportsVariables(c.Version) && PolicyVariables.HasVariable(raw);
            if (!isTemplate && !BoolConditionClause.TryParse(raw, out _))
            {
                BadValue(c, raw, "`true` or `false`");
                values[i] = default;
            }
        }
        return new BoolConditionClause(c.Entry.Key, c.Operator, values);
    }

    private static T?[] ParseAll<T>(EntryContext c, ValueParser<T> parse, string expected)
        where T : struct
    {
        var result = new T?[c.Entry.Values.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var raw = c.Entry.Values[i];
            if (parse(raw, out var value)) { result[i] = value; }
            else { BadValue(c, raw, expected); }
        }
        return result;
    }

    private static byte[]?[] ParseReferences(EntryContext c)
    {
        var result = new byte[]?[c.Entry.Values.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var raw = c.Entry.Values[i];
            if (BinaryConditionClause.TryParse(raw, out var bytes)) { result[i] = bytes; }
            else { BadValue(c, raw, "base64"); }
        }
        return result;
    }

    private static void BadValue(EntryContext c, string raw, string expected)
    {
        // In 2008-10-17 `${...}` is plain text, so it is just a bad value there.
        if (c.Version == PolicyLanguageVersion.V20121017 && PolicyVariables.HasVariable(raw))
        {
            c.Diagnostics.Error(
                DiagnosticCodes.ConditionUnsupportedVariable,
                $"policy variable in value `{raw}` is not supported by `{c.Operator}` (key `{c.Entry.Key}`)",
                c.Location);
            return;
        }
        c.Diagnostics.Error(
            DiagnosticCodes.ConditionBadValue,
            $"value `{raw}` of `{c.Operator}` for key `{c.Entry.Key}` is not {expected}",
            c.Location);
    }
}
