using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Ciem.Demo;

/// <summary>
/// Compact JSON written exactly as Python's <c>json.dumps(value, separators=(",", ":"))</c> writes what
/// <c>json.load</c> read: ASCII only (every character outside space…tilde as a lowercase <c>\uXXXX</c> escape, or its short
/// form), object members in first-seen order with the last of duplicate names winning, integers as integers and other
/// numbers in Python's shortest round-trip form. Kept byte-compatible so that generated inputs compare with files the
/// shared Python tools write.
/// </summary>
internal static class AsciiJson
{
    public static string Write(JsonElement element)
    {
        var text = new StringBuilder();
        Write(element, text);
        return text.ToString();
    }

    public static void Write(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(element, text);
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first) { text.Append(','); }
                    first = false;
                    Write(item, text);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, text);
                break;
            case JsonValueKind.Number:
                text.Append(Number(element.GetRawText()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    public static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        AppendEscaped(value, text);
        text.Append('"');
    }

    /// <summary>The string's characters as they appear between the quotes.</summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        AppendEscaped(value, text);
        return text.ToString();
    }

    private static void AppendEscaped(string value, StringBuilder text)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case >= ' ' and <= '~': text.Append(c); break;
                default: text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
            }
        }
    }

    private static void WriteObject(JsonElement element, StringBuilder text)
    {
        // Python's dict keeps a name where it was first seen and the value it was given last.
        var members = new List<(string Name, JsonElement Value)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (index.TryGetValue(property.Name, out var at)) { members[at] = (property.Name, property.Value); }
            else
            {
                index[property.Name] = members.Count;
                members.Add((property.Name, property.Value));
            }
        }
        text.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            if (i > 0) { text.Append(','); }
            WriteString(members[i].Name, text);
            text.Append(':');
            Write(members[i].Value, text);
        }
        text.Append('}');
    }

    /// <summary>A JSON number as Python prints it after reading it: `int` for integer literals, `float` repr otherwise.</summary>
    internal static string Number(string raw)
    {
        if (!raw.Contains('.', StringComparison.Ordinal) && !raw.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            var integer = BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return integer.ToString(CultureInfo.InvariantCulture);
        }
        var value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsPositiveInfinity(value)) { return "Infinity"; }
        if (double.IsNegativeInfinity(value)) { return "-Infinity"; }
        return FloatRepr(value);
    }

    /// <summary>Python's <c>repr(float)</c>: the shortest round-trip digits, positional for exponents −4…15, else `1e+16`.</summary>
    private static string FloatRepr(double value)
    {
        if (value == 0) { return double.IsNegative(value) ? "-0.0" : "0.0"; }
        var roundTrip = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        // The digits of the shortest round-trip form and its decimal exponent.
        var format = "E" + (Digits(roundTrip) - 1).ToString(CultureInfo.InvariantCulture);
        var r = Math.Abs(value).ToString(format, CultureInfo.InvariantCulture);
        var e = r.IndexOf('E', StringComparison.Ordinal);
        var digits = r[..e].Replace(".", "", StringComparison.Ordinal).TrimEnd('0');
        if (digits.Length == 0) { digits = "0"; }
        var exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var sign = value < 0 ? "-" : "";
        if (exponent is >= -4 and < 16)
        {
            if (exponent < 0) { return sign + "0." + new string('0', -exponent - 1) + digits; }
            if (digits.Length <= exponent + 1) { return sign + digits + new string('0', exponent + 1 - digits.Length) + ".0"; }
            return sign + digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
        }
        var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>Significant digits in a round-trip string such as `1.5E-05` or `123.25`.</summary>
    private static int Digits(string roundTrip)
    {
        var e = roundTrip.IndexOf('E', StringComparison.Ordinal);
        var mantissa = (e < 0 ? roundTrip : roundTrip[..e]).Replace(".", "", StringComparison.Ordinal).TrimStart('0');
        return Math.Max(1, mantissa.Length);
    }
}
