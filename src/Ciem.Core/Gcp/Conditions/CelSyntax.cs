using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Ciem.Core.Gcp.Conditions;

/// <summary>A node of a parsed IAM condition (the CEL subset in docs/gcp.md).</summary>
internal abstract record CelNode;

internal sealed record CelLiteral(object Value) : CelNode;

/// <summary>A bare identifier: `resource`, `request`, `api`, …</summary>
internal sealed record CelIdent(string Name) : CelNode;

/// <summary>`operand.field`.</summary>
internal sealed record CelSelect(CelNode Operand, string Field) : CelNode;

/// <summary>`name(args)` (Target null) or `target.name(args)`.</summary>
internal sealed record CelCall(CelNode? Target, string Name, ImmutableArray<CelNode> Args) : CelNode;

internal sealed record CelUnary(string Op, CelNode Operand) : CelNode;

internal sealed record CelBinary(string Op, CelNode Left, CelNode Right) : CelNode;

internal sealed record CelList(ImmutableArray<CelNode> Items) : CelNode;

/// <summary>
/// A recursive-descent parser for CEL's expression grammar restricted to what IAM conditions use: literals (strings
/// in single or double quotes, integers, doubles, true/false/null), identifiers, field selection, function and
/// method calls, list literals, `!`, unary `-`, `* / %`, `+ -`, comparisons, `in`, `&amp;&amp;`, `||` and parentheses.
/// The ternary operator, maps, indexing and raw/byte strings are rejected with a message.
/// </summary>
internal sealed class CelParser
{
    private const int MaxDepth = 64;
    private readonly string _text;
    private int _pos;
    private int _depth;

    private CelParser(string text) => _text = text;

    public static bool TryParse(string text, out CelNode? node, out string? error)
    {
        var parser = new CelParser(text);
        try
        {
            node = parser.ParseOr();
            parser.SkipSpace();
            if (parser._pos < text.Length) { throw parser.Fail($"unexpected `{text[parser._pos]}`"); }
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            node = null;
            error = ex.Message;
            return false;
        }
    }

    private CelNode ParseOr()
    {
        var left = ParseAnd();
        while (Accept("||")) { left = new CelBinary("||", left, ParseAnd()); }
        return left;
    }

    private CelNode ParseAnd()
    {
        var left = ParseRelation();
        while (Accept("&&")) { left = new CelBinary("&&", left, ParseRelation()); }
        return left;
    }

    private CelNode ParseRelation()
    {
        var left = ParseAdditive();
        while (true)
        {
            string? op = null;
            foreach (var candidate in (ReadOnlySpan<string>)["==", "!=", "<=", ">=", "<", ">"])
            {
                if (Accept(candidate)) { op = candidate; break; }
            }
            if (op is null && AcceptWord("in")) { op = "in"; }
            if (op is null) { return left; }
            left = new CelBinary(op, left, ParseAdditive());
        }
    }

    private CelNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (true)
        {
            SkipSpace();
            if (Peek('+')) { _pos++; left = new CelBinary("+", left, ParseMultiplicative()); }
            else if (Peek('-')) { _pos++; left = new CelBinary("-", left, ParseMultiplicative()); }
            else { return left; }
        }
    }

    private CelNode ParseMultiplicative()
    {
        var left = ParseUnary();
        while (true)
        {
            SkipSpace();
            if (Peek('*') || Peek('/') || Peek('%'))
            {
                var op = _text[_pos++].ToString();
                left = new CelBinary(op, left, ParseUnary());
            }
            else { return left; }
        }
    }

    private CelNode ParseUnary()
    {
        SkipSpace();
        if (Peek('!') && !PeekAt(1, '='))
        {
            _pos++;
            return Nested(() => new CelUnary("!", ParseUnary()));
        }
        if (Peek('-'))
        {
            _pos++;
            return Nested(() => new CelUnary("-", ParseUnary()));
        }
        return ParseMember();
    }

    private CelNode ParseMember()
    {
        var node = ParsePrimary();
        while (true)
        {
            SkipSpace();
            if (Peek('.'))
            {
                _pos++;
                var name = Identifier() ?? throw Fail("a field or method name must follow `.`");
                SkipSpace();
                node = Peek('(') ? new CelCall(node, name, Arguments()) : new CelSelect(node, name);
            }
            else if (Peek('['))
            {
                throw Fail("indexing with `[]` is outside the supported subset");
            }
            else if (Peek('?'))
            {
                throw Fail("the conditional operator `? :` is outside the supported subset");
            }
            else { return node; }
        }
    }

    private CelNode ParsePrimary()
    {
        SkipSpace();
        if (_pos >= _text.Length) { throw Fail("the expression ends early"); }
        var c = _text[_pos];
        if (c == '(')
        {
            _pos++;
            var inner = Nested(ParseOr);
            Expect(')');
            return inner;
        }
        if (c == '[')
        {
            _pos++;
            var items = ImmutableArray.CreateBuilder<CelNode>();
            SkipSpace();
            if (!Peek(']'))
            {
                do { items.Add(Nested(ParseOr)); } while (Accept(","));
            }
            Expect(']');
            return new CelList(items.ToImmutable());
        }
        if (c == '{') { throw Fail("map literals are outside the supported subset"); }
        if (c is '"' or '\'') { return new CelLiteral(StringLiteral()); }
        if (char.IsAsciiDigit(c)) { return new CelLiteral(Number()); }
        var name = Identifier() ?? throw Fail($"unexpected `{c}`");
        switch (name)
        {
            case "true": return new CelLiteral(true);
            case "false": return new CelLiteral(false);
            case "null": return new CelLiteral(CelNull.Value);
            case "r" or "R" or "b" or "B" when _pos < _text.Length && _text[_pos] is '"' or '\'':
                throw Fail("raw and byte strings are outside the supported subset");
        }
        SkipSpace();
        return Peek('(') ? new CelCall(null, name, Arguments()) : new CelIdent(name);
    }

    private ImmutableArray<CelNode> Arguments()
    {
        Expect('(');
        var args = ImmutableArray.CreateBuilder<CelNode>();
        SkipSpace();
        if (!Peek(')'))
        {
            do { args.Add(Nested(ParseOr)); } while (Accept(","));
        }
        Expect(')');
        return args.ToImmutable();
    }

    private T Nested<T>(Func<T> parse)
    {
        if (++_depth > MaxDepth) { throw Fail($"the expression nests deeper than {MaxDepth} levels"); }
        try { return parse(); }
        finally { _depth--; }
    }

    private string StringLiteral()
    {
        var quote = _text[_pos];
        if (_pos + 2 < _text.Length && _text[_pos + 1] == quote && _text[_pos + 2] == quote)
        {
            throw Fail("triple-quoted strings are outside the supported subset");
        }
        var start = _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) { _pos = start; throw Fail("a string is not closed"); }
            var c = _text[_pos++];
            if (c == quote) { return sb.ToString(); }
            if (c is '\n' or '\r') { _pos = start; throw Fail("a string is not closed on its line"); }
            if (c != '\\') { sb.Append(c); continue; }
            if (_pos >= _text.Length) { throw Fail("a string ends with `\\`"); }
            var e = _text[_pos++];
            sb.Append(e switch
            {
                '\\' => '\\',
                '\'' => '\'',
                '"' => '"',
                '`' => '`',
                '?' => '?',
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                _ => throw Fail($"escape `\\{e}` is outside the supported subset"),
            });
        }
    }

    private object Number()
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '.')) { _pos++; }
        var token = _text[start.._pos];
        if (_pos < _text.Length && (char.IsAsciiLetter(_text[_pos]) || _text[_pos] == '_'))
        {
            throw Fail($"number `{token}{_text[_pos]}` is outside the supported subset (no hex, unsigned or exponent forms)");
        }
        if (token.Contains('.', StringComparison.Ordinal))
        {
            return double.TryParse(token, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : throw Fail($"`{token}` is not a number");
        }
        return long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : throw Fail($"`{token}` is not a 64-bit integer");
    }

    private string? Identifier()
    {
        SkipSpace();
        var start = _pos;
        if (_pos >= _text.Length || !(char.IsAsciiLetter(_text[_pos]) || _text[_pos] == '_')) { return null; }
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) { _pos++; }
        return _text[start.._pos];
    }

    private bool Accept(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _pos, token, 0, token.Length) != 0) { return false; }
        _pos += token.Length;
        return true;
    }

    private bool AcceptWord(string word)
    {
        SkipSpace();
        var end = _pos + word.Length;
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) { return false; }
        if (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_')) { return false; }
        _pos = end;
        return true;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (!Peek(c)) { throw Fail(_pos >= _text.Length ? $"expected `{c}` before the end" : $"expected `{c}`, found `{_text[_pos]}`"); }
        _pos++;
    }

    private bool Peek(char c) => _pos < _text.Length && _text[_pos] == c;

    private bool PeekAt(int offset, char c) => _pos + offset < _text.Length && _text[_pos + offset] == c;

    private void SkipSpace()
    {
        while (_pos < _text.Length)
        {
            if (char.IsWhiteSpace(_text[_pos])) { _pos++; }
            else if (PeekAt(0, '/') && PeekAt(1, '/'))
            {
                while (_pos < _text.Length && _text[_pos] != '\n') { _pos++; }
            }
            else { return; }
        }
    }

    private FormatException Fail(string message) => new($"{message} at offset {_pos}");
}

/// <summary>CEL's `null`.</summary>
internal sealed class CelNull
{
    public static readonly CelNull Value = new();

    private CelNull()
    {
    }

    public override string ToString() => "null";
}
