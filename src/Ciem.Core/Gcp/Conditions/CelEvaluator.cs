using System.Collections.Immutable;
using System.Globalization;

namespace Ciem.Core.Gcp.Conditions;

/// <summary>
/// Evaluates a parsed condition over <see cref="ConditionAttributes"/> with CEL semantics for the IAM subset:
/// `&amp;&amp;` and `||` are commutative over unknowns and errors (`false &amp;&amp; x` is false, `true || x` is true
/// whatever x is), every other operator propagates them. An error is reported as unknown and unsupported: the
/// engine turns it into Indeterminate, never into a silent true or false.
/// </summary>
internal static class CelEvaluator
{
    public static ConditionResult Evaluate(CelNode node, ConditionAttributes attributes)
    {
        var value = Eval(node, attributes);
        return value switch
        {
            bool b => b ? ConditionResult.True : ConditionResult.False,
            CelUnknown u => new ConditionResult(Truth.Unknown, u.Reason, u.Unsupported),
            _ => new ConditionResult(Truth.Unknown, $"the condition yields {TypeName(value)}, not a bool", Unsupported: true),
        };
    }

    private static object Eval(CelNode node, ConditionAttributes a) => node switch
    {
        CelLiteral l => l.Value,
        CelList list => List(list, a),
        CelIdent id => Unsupported($"identifier `{id.Name}` is outside the supported attributes"),
        CelSelect select => Attribute(select, a),
        CelUnary u => Unary(u, a),
        CelBinary b => Binary(b, a),
        CelCall call => Call(call, a),
        _ => Unsupported("unknown syntax"),
    };

    private static object List(CelList list, ConditionAttributes a)
    {
        var items = ImmutableArray.CreateBuilder<object>(list.Items.Length);
        foreach (var item in list.Items)
        {
            var value = Eval(item, a);
            if (value is CelUnknown) { return value; }
            items.Add(value);
        }
        return items.MoveToImmutable();
    }

    private static string? Path(CelNode node) => node switch
    {
        CelIdent id => id.Name,
        CelSelect s when Path(s.Operand) is { } p => p + "." + s.Field,
        _ => null,
    };

    private static object Attribute(CelSelect select, ConditionAttributes a)
    {
        var path = Path(select);
        object? value;
        switch (path)
        {
            case "resource.name": value = a.ResourceName; break;
            case "resource.type": value = a.ResourceType; break;
            case "resource.service": value = a.ResourceService; break;
            case "request.time": value = a.RequestTime; break;
            case null: return Unsupported($"field `{select.Field}` of a computed value is outside the supported subset");
            default: return Unsupported($"attribute `{path}` is outside the supported attributes");
        }
        return value ?? Missing($"attribute `{path}` is not known for this request");
    }

    private static object Unary(CelUnary u, ConditionAttributes a)
    {
        var value = Eval(u.Operand, a);
        if (value is CelUnknown) { return value; }
        return (u.Op, value) switch
        {
            ("!", bool b) => !b,
            ("-", long l) when l != long.MinValue => -l,
            ("-", double d) => -d,
            ("-", TimeSpan t) => -t,
            _ => Unsupported($"no operator `{u.Op}` for {TypeName(value)}"),
        };
    }

    private static object Binary(CelBinary b, ConditionAttributes a)
    {
        if (b.Op is "&&" or "||") { return Logical(b, a); }
        var left = Eval(b.Left, a);
        var right = Eval(b.Right, a);
        if (left is CelUnknown lu)
        {
            // An unsupported part outweighs a merely missing attribute in what is reported.
            return right is CelUnknown { Unsupported: true } && !lu.Unsupported ? right : left;
        }
        if (right is CelUnknown) { return right; }
        switch (b.Op)
        {
            case "==": return ValuesEqual(left, right) is { } same ? same : TypeError(b.Op, left, right);
            case "!=": return ValuesEqual(left, right) is { } eq ? !eq : TypeError(b.Op, left, right);
            case "<" or "<=" or ">" or ">=":
                if (Compare(left, right) is not { } c) { return TypeError(b.Op, left, right); }
                return b.Op switch { "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 };
            case "in":
                if (right is not ImmutableArray<object> list) { return TypeError(b.Op, left, right); }
                foreach (var item in list)
                {
                    if (ValuesEqual(left, item) == true) { return true; }
                }
                return false;
            default:
                return Arithmetic(b.Op, left, right);
        }
    }

    private static object Logical(CelBinary b, ConditionAttributes a)
    {
        var isAnd = b.Op == "&&";
        var left = Eval(b.Left, a);
        if (left is bool l && l != isAnd) { return l; }
        var right = Eval(b.Right, a);
        if (right is bool r && r != isAnd) { return r; }
        if (left is bool && right is bool) { return isAnd; }
        foreach (var side in (ReadOnlySpan<object>)[left, right])
        {
            if (side is CelUnknown { Unsupported: true }) { return side; }
        }
        foreach (var side in (ReadOnlySpan<object>)[left, right])
        {
            if (side is CelUnknown) { return side; }
        }
        var bad = left is bool ? right : left;
        return Unsupported($"`{b.Op}` needs bools, not {TypeName(bad)}");
    }

    private static object Arithmetic(string op, object left, object right) => (op, left, right) switch
    {
        ("+", string x, string y) => x + y,
        ("+", long x, long y) => Checked(() => checked(x + y)),
        ("-", long x, long y) => Checked(() => checked(x - y)),
        ("*", long x, long y) => Checked(() => checked(x * y)),
        ("/", long, 0L) => Unsupported("division by zero"),
        ("/", long x, long y) => x / y,
        ("%", long, 0L) => Unsupported("modulus by zero"),
        ("%", long x, long y) => x % y,
        ("+", double x, double y) => x + y,
        ("-", double x, double y) => x - y,
        ("*", double x, double y) => x * y,
        ("/", double x, double y) => x / y,
        ("+", DateTimeOffset t, TimeSpan d) => t + d,
        ("+", TimeSpan d, DateTimeOffset t) => t + d,
        ("-", DateTimeOffset t, TimeSpan d) => t - d,
        ("-", DateTimeOffset x, DateTimeOffset y) => x - y,
        ("+", TimeSpan x, TimeSpan y) => x + y,
        ("-", TimeSpan x, TimeSpan y) => x - y,
        _ => TypeError(op, left, right),
    };

    private static object Checked(Func<long> compute)
    {
        try { return compute(); }
        catch (OverflowException) { return Unsupported("integer overflow"); }
    }

    private static object Call(CelCall call, ConditionAttributes a)
    {
        if (call.Target is null)
        {
            switch (call.Name)
            {
                case "has": return Has(call, a);
                case "timestamp": return Convert(call, a, "timestamp", text => TryTimestamp(text, out var t) ? t : null);
                case "duration": return Convert(call, a, "duration", text => TryDuration(text, out var d) ? d : null);
                default: return Unsupported($"function `{call.Name}` is outside the supported subset");
            }
        }
        if (Path(call.Target) == "resource" && call.Name is "matchTag" or "matchTagId" or "hasTagKey" or "hasTagKeyId")
        {
            return Tag(call, a);
        }
        var target = Eval(call.Target, a);
        if (target is CelUnknown) { return target; }
        var args = new object[call.Args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = Eval(call.Args[i], a);
            if (args[i] is CelUnknown) { return args[i]; }
        }
        return (target, call.Name, args) switch
        {
            (string s, "startsWith", [string p]) => s.StartsWith(p, StringComparison.Ordinal),
            (string s, "endsWith", [string p]) => s.EndsWith(p, StringComparison.Ordinal),
            (string s, "contains", [string p]) => s.Contains(p, StringComparison.Ordinal),
            (string s, "size", []) => (long)s.Length,
            (ImmutableArray<object> l, "size", []) => (long)l.Length,
            (DateTimeOffset t, _, []) => TimePart(t, call.Name, TimeSpan.Zero),
            (DateTimeOffset t, _, [string zone]) => TryZone(zone, out var offset)
                ? TimePart(t, call.Name, offset)
                : Unsupported($"time zone `{zone}` is outside the supported subset (UTC or a fixed offset like `+01:00`)"),
            _ => Unsupported($"method `{call.Name}` on {TypeName(target)} with {args.Length} argument(s) is outside the supported subset"),
        };
    }

    private static object Has(CelCall call, ConditionAttributes a)
    {
        if (call.Args is not [CelSelect select]) { return Unsupported("`has()` takes one field selection, like `has(resource.name)`"); }
        var value = Attribute(select, a);
        return value is CelUnknown u ? u : true;
    }

    private static object Convert(CelCall call, ConditionAttributes a, string name, Func<string, object?> parse)
    {
        if (call.Args.Length != 1) { return Unsupported($"`{name}()` takes one string"); }
        var arg = Eval(call.Args[0], a);
        if (arg is CelUnknown) { return arg; }
        if (arg is not string text) { return Unsupported($"`{name}()` takes a string, not {TypeName(arg)}"); }
        return parse(text) ?? Unsupported($"`{text}` is not a valid {name}");
    }

    private static object Tag(CelCall call, ConditionAttributes a)
    {
        var byId = call.Name is "matchTagId" or "hasTagKeyId";
        var arity = call.Name.StartsWith("match", StringComparison.Ordinal) ? 2 : 1;
        var args = new string[arity];
        if (call.Args.Length != arity) { return Unsupported($"`resource.{call.Name}()` takes {arity} string(s)"); }
        for (var i = 0; i < arity; i++)
        {
            var value = Eval(call.Args[i], a);
            if (value is CelUnknown) { return value; }
            if (value is not string s) { return Unsupported($"`resource.{call.Name}()` takes strings, not {TypeName(value)}"); }
            args[i] = s;
        }
        var tags = byId ? a.TagIds : a.Tags;
        if (tags is null) { return Missing($"the resource's tags are not known for this request (`resource.{call.Name}`)"); }
        var present = tags.TryGetValue(args[0], out var tagValue);
        return arity == 1 ? present : present && string.Equals(tagValue, args[1], StringComparison.Ordinal);
    }

    private static object TimePart(DateTimeOffset t, string method, TimeSpan offset)
    {
        var local = t.ToOffset(offset);
        return method switch
        {
            "getFullYear" => (long)local.Year,
            "getMonth" => (long)local.Month - 1,
            "getDate" => (long)local.Day,
            "getDayOfMonth" => (long)local.Day - 1,
            "getDayOfWeek" => (long)local.DayOfWeek,
            "getDayOfYear" => (long)local.DayOfYear - 1,
            "getHours" => (long)local.Hour,
            "getMinutes" => (long)local.Minute,
            "getSeconds" => (long)local.Second,
            "getMilliseconds" => (long)local.Millisecond,
            _ => Unsupported($"method `{method}` on a timestamp is outside the supported subset"),
        };
    }

    private static bool TryZone(string zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone is "UTC" or "Etc/UTC" or "GMT" or "Z") { return true; }
        if (zone.Length == 6 && zone[0] is '+' or '-' && zone[3] == ':'
            && int.TryParse(zone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            && int.TryParse(zone.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) && h <= 14 && m < 60)
        {
            offset = new TimeSpan(h, m, 0) * (zone[0] == '-' ? -1 : 1);
            return true;
        }
        return false;
    }

    /// <summary>RFC 3339 with a `Z` or numeric offset, as CEL's `timestamp()` requires.</summary>
    internal static bool TryTimestamp(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || text[10] != 'T' || !(text.EndsWith('Z') || text[^6] is '+' or '-')) { return false; }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>CEL durations: a sequence of decimal numbers each with a unit `h`, `m`, `s`, `ms`, `us`, `ns` (`3600s`, `1h30m`, `1.5h`).</summary>
    internal static bool TryDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var s = text.AsSpan();
        var sign = 1;
        if (s.Length > 0 && s[0] is '-' or '+') { sign = s[0] == '-' ? -1 : 1; s = s[1..]; }
        if (s.IsEmpty) { return false; }
        var ticks = 0m;
        while (!s.IsEmpty)
        {
            var n = 0;
            while (n < s.Length && (char.IsAsciiDigit(s[n]) || s[n] == '.')) { n++; }
            if (n == 0 || !decimal.TryParse(s[..n], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) { return false; }
            s = s[n..];
            var u = 0;
            while (u < s.Length && char.IsAsciiLetter(s[u])) { u++; }
            decimal unit = s[..u] switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" => 10,
                "ns" => 0.01m,
                _ => -1,
            };
            if (unit < 0) { return false; }
            ticks += number * unit;
            s = s[u..];
        }
        if (ticks > TimeSpan.MaxValue.Ticks) { return false; }
        value = TimeSpan.FromTicks(sign * (long)ticks);
        return true;
    }

    private static bool? ValuesEqual(object left, object right) => (left, right) switch
    {
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        (bool x, bool y) => x == y,
        (long x, long y) => x == y,
        (double x, double y) => x.Equals(y),
        (long x, double y) => x == y,
        (double x, long y) => x == y,
        (DateTimeOffset x, DateTimeOffset y) => x == y,
        (TimeSpan x, TimeSpan y) => x == y,
        (CelNull, CelNull) => true,
        (CelNull, _) or (_, CelNull) => false,
        (ImmutableArray<object> x, ImmutableArray<object> y) => x.Length == y.Length && x.Zip(y).All(p => ValuesEqual(p.First, p.Second) == true),
        _ => null,
    };

    private static int? Compare(object left, object right) => (left, right) switch
    {
        (string x, string y) => Math.Sign(string.CompareOrdinal(x, y)),
        (long x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (long x, double y) => ((double)x).CompareTo(y),
        (double x, long y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        (TimeSpan x, TimeSpan y) => x.CompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        _ => null,
    };

    private static CelUnknown TypeError(string op, object left, object right) =>
        Unsupported($"no operator `{op}` for {TypeName(left)} and {TypeName(right)}");

    private static string TypeName(object value) => value switch
    {
        string => "a string",
        bool => "a bool",
        long => "an int",
        double => "a double",
        DateTimeOffset => "a timestamp",
        TimeSpan => "a duration",
        CelNull => "null",
        ImmutableArray<object> => "a list",
        _ => "an unknown value",
    };

    private static CelUnknown Unsupported(string reason) => new(reason, Unsupported: true);

    private static CelUnknown Missing(string reason) => new(reason, Unsupported: false);

    private sealed record CelUnknown(string Reason, bool Unsupported);
}
