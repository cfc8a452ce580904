using System.Collections.Immutable;
using System.Text;

namespace Ciem.Core.Azure.Conditions;

/// <summary>The result of parsing an ABAC condition: the expression, or an error message with the character offset.</summary>
public sealed record AbacParseResult(AbacExpression? Expression, string? Error, int ErrorOffset)
{
    public bool Success => Expression is not null;
}

/// <summary>
/// Parses Azure role-assignment conditions (conditionVersion 2.0) as documented in "Azure role assignment condition
/// format and syntax": `AND`/`OR`/`NOT` (also `&amp;&amp;`, `||`, `!`), parentheses, `ActionMatches{'…'}`,
/// `SubOperationMatches{'…'}`, `Exists`/`NotExists @Source[name]`, and `@Source[name] Operator value` where value is a
/// quoted string, a number, `true`/`false`, a `{…}` set of those, or another attribute. Keywords ignore case.
/// Operators are kept as written; the evaluator decides which it supports.
/// </summary>
public static class AbacParser
{
    public static AbacParseResult Parse(string condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var parser = new Parser(condition);
        try
        {
            var expression = parser.ParseOr();
            parser.SkipSpace();
            if (!parser.AtEnd) { return new AbacParseResult(null, $"unexpected `{parser.Rest(12)}`", parser.Position); }
            return new AbacParseResult(expression, null, -1);
        }
        catch (FormatException ex)
        {
            return new AbacParseResult(null, ex.Message, parser.Position);
        }
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public int Position => _pos;

        public bool AtEnd => _pos >= text.Length;

        public string Rest(int max) => text.Substring(_pos, Math.Min(max, text.Length - _pos));

        public void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) { _pos++; }
        }

        public AbacExpression ParseOr()
        {
            var operands = new List<AbacExpression> { ParseAnd() };
            while (TryKeyword("OR") || TrySymbol("||")) { operands.Add(ParseAnd()); }
            return operands.Count == 1 ? operands[0] : new AbacOr([.. operands]);
        }

        private AbacExpression ParseAnd()
        {
            var operands = new List<AbacExpression> { ParseUnary() };
            while (TryKeyword("AND") || TrySymbol("&&")) { operands.Add(ParseUnary()); }
            return operands.Count == 1 ? operands[0] : new AbacAnd([.. operands]);
        }

        private AbacExpression ParseUnary()
        {
            if (TrySymbol("!") || TryKeyword("NOT")) { return new AbacNot(ParseUnary()); }
            if (TrySymbol("("))
            {
                var inner = ParseOr();
                if (!TrySymbol(")")) { throw Error("expected `)`"); }
                return inner;
            }
            return ParsePrimary();
        }

        private AbacExpression ParsePrimary()
        {
            SkipSpace();
            if (TryKeyword("ActionMatches")) { return new AbacActionMatches(BracedString()); }
            if (TryKeyword("SubOperationMatches")) { return new AbacSubOperationMatches(BracedString()); }
            if (TryKeyword("Exists")) { return new AbacExists(Attribute() ?? throw Error("expected an attribute after `Exists`"), false); }
            if (TryKeyword("NotExists")) { return new AbacExists(Attribute() ?? throw Error("expected an attribute after `NotExists`"), true); }
            var attribute = Attribute() ?? throw Error(AtEnd ? "unexpected end of condition" : $"expected an expression at `{Rest(12)}`");
            SkipSpace();
            var op = Word();
            if (op.Length == 0) { throw Error($"expected an operator after `{attribute.Key}`"); }
            SkipSpace();
            if (Attribute() is { } other) { return new AbacComparison(attribute, op, [], other); }
            return new AbacComparison(attribute, op, Values(), null);
        }

        private ImmutableArray<string> Values()
        {
            SkipSpace();
            if (!TrySymbol("{")) { return [Scalar()]; }
            var values = ImmutableArray.CreateBuilder<string>();
            do { values.Add(Scalar()); } while (TrySymbol(","));
            if (!TrySymbol("}")) { throw Error("expected `}` closing the value set"); }
            return values.ToImmutable();
        }

        private string Scalar()
        {
            SkipSpace();
            if (_pos < text.Length && text[_pos] == '\'') { return Quoted(); }
            var word = Word();
            if (word.Length == 0) { throw Error(AtEnd ? "unexpected end of condition, expected a value" : $"expected a value at `{Rest(12)}`"); }
            return word;
        }

        private string BracedString()
        {
            if (!TrySymbol("{")) { throw Error("expected `{`"); }
            SkipSpace();
            var value = Quoted();
            if (!TrySymbol("}")) { throw Error("expected `}`"); }
            return value;
        }

        private string Quoted()
        {
            SkipSpace();
            if (_pos >= text.Length || text[_pos] != '\'') { throw Error("expected a quoted string"); }
            var sb = new StringBuilder();
            _pos++;
            while (_pos < text.Length)
            {
                var c = text[_pos++];
                if (c == '\\' && _pos < text.Length) { sb.Append(text[_pos++]); continue; }
                if (c == '\'') { return sb.ToString(); }
                sb.Append(c);
            }
            throw Error("unterminated string");
        }

        private AbacAttribute? Attribute()
        {
            SkipSpace();
            if (_pos >= text.Length || text[_pos] != '@') { return null; }
            var open = text.IndexOf('[', _pos);
            if (open < 0) { throw Error("expected `[` after the attribute source"); }
            var close = text.IndexOf(']', open);
            if (close < 0) { throw Error("expected `]` closing the attribute name"); }
            var source = text[(_pos + 1)..open].Trim();
            var name = text[(open + 1)..close].Trim();
            if (source.Length == 0 || name.Length == 0) { throw Error("empty attribute source or name"); }
            _pos = close + 1;
            return new AbacAttribute(source, name);
        }

        private string Word()
        {
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is ':' or '.' or '-' or '_')) { _pos++; }
            return text[start.._pos];
        }

        private bool TryKeyword(string keyword)
        {
            SkipSpace();
            if (string.Compare(text, _pos, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) != 0) { return false; }
            var end = _pos + keyword.Length;
            if (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == ':')) { return false; }
            _pos = end;
            return true;
        }

        private bool TrySymbol(string symbol)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, _pos, symbol, 0, symbol.Length) != 0) { return false; }
            _pos += symbol.Length;
            return true;
        }

        private FormatException Error(string message) => new(message);
    }
}
