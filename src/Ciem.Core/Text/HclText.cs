using System.Globalization;
using System.Text;

namespace Ciem.Core.Text;

/// <summary>
/// The one way generated Terraform carries a value that came from an export, a log or a pull request: as a quoted
/// HCL string with every character that could end it, start a template or break the line escaped, as a comment of
/// one line, or as an identifier. Names are attacker-controlled (an IAM role may be called
/// <c>x" } resource "null_resource" …</c>); what `terraform apply` runs must never depend on them.
/// </summary>
public static class HclText
{
    /// <summary>
    /// A quoted HCL string literal: `\` `"` escaped, line breaks and every other control character as `\n`, `\r`,
    /// `\t` or `\uNNNN`, and the template sequences `${` and `%{` doubled (`$${`, `%%{`) so they stay literal text.
    /// </summary>
    public static string Quoted(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '$' or '%' when i + 1 < value.Length && value[i + 1] == '{': sb.Append(c).Append(c); break;
                default:
                    AppendOther(sb, value, ref i);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// Text for a `#` comment: one line whatever the value holds — line breaks and control characters (which a
    /// terminal or an editor could act on) written as `\uNNNN`.
    /// </summary>
    public static string Comment(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++) { AppendOther(sb, value, ref i); }
        return sb.ToString();
    }

    /// <summary>
    /// A block label or attribute name made from a value: lower-case ASCII letters, digits and `_`, starting with a
    /// letter (prefixed with <paramref name="prefix"/> otherwise).
    /// </summary>
    public static string Identifier(string value, char prefix = 'p')
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 1);
        foreach (var c in value) { sb.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_'); }
        if (sb.Length == 0 || !char.IsAsciiLetter(sb[0])) { sb.Insert(0, prefix); }
        return sb.ToString();
    }

    /// <summary>
    /// Appends the character at <paramref name="i"/>: C0 and C1 controls, DEL, the Unicode line and paragraph
    /// separators and the bidirectional overrides as `\uNNNN`; a surrogate pair as it is; a lone surrogate (which
    /// UTF-8 cannot hold) as `\uFFFD`.
    /// </summary>
    private static void AppendOther(StringBuilder sb, string value, ref int i)
    {
        var c = value[i];
        if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
        {
            sb.Append(c).Append(value[++i]);
            return;
        }
        var escape = char.IsSurrogate(c) ? '\uFFFD'
            : char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') ? c
            : (char?)null;
        if (escape is { } e) { sb.Append("\\u").Append(((int)e).ToString("X4", CultureInfo.InvariantCulture)); }
        else { sb.Append(c); }
    }
}
