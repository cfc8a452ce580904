using System.Globalization;
using System.Text;

namespace Ciem.Import.Iac;

/// <summary>
/// The escape sequences of an HCL quoted template (HCL native syntax specification, "Template Literals"): `\n`, `\r`,
/// `\t`, `\"`, `\\`, `\uNNNN` (a character of the basic multilingual plane, four hex digits) and `\UNNNNNNNN` (any
/// plane, eight hex digits). Terraform decodes them, so `"\u001b"` is an escape character, not six letters: a reader
/// that kept them literal would compare and show a different string from the one Terraform applies. Any other
/// backslash sequence is an error in Terraform and is refused here. `$${` and `%%{` are not touched (the template
/// layer reads them). Decoded control characters stay in the value; every output escapes them for its format.
/// </summary>
public static class HclStrings
{
    /// <summary>The decoded text of a quoted string's content (without the quotes), or null with the reason.</summary>
    public static string? Unescape(string content, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(content);
        problem = null;
        if (!content.Contains('\\', StringComparison.Ordinal)) { return content; }
        var sb = new StringBuilder(content.Length);
        for (var k = 0; k < content.Length; k++)
        {
            if (content[k] != '\\') { sb.Append(content[k]); continue; }
            if (k + 1 >= content.Length)
            {
                problem = "a quoted string ends with a lone `\\`";
                return null;
            }
            var e = content[++k];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case 'u' or 'U':
                    var digits = e == 'u' ? 4 : 8;
                    var hex = k + 1 + digits <= content.Length ? content.Substring(k + 1, digits) : "";
                    if (!int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) || hex.Length != digits
                        || hex.Any(c => !char.IsAsciiHexDigit(c)) || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
                    {
                        problem = $"`\\{e}{Shown(content, k + 1, digits)}` is not a valid escape: `\\{e}` takes {digits} hex digits naming a unicode scalar value";
                        return null;
                    }
                    sb.Append(char.ConvertFromUtf32(code));
                    k += digits;
                    break;
                default:
                    problem = $"`\\{e}` is not an escape sequence of hcl (`\\n`, `\\r`, `\\t`, `\\\"`, `\\\\`, `\\uNNNN`, `\\UNNNNNNNN`)";
                    return null;
            }
        }
        return sb.ToString();
    }

    private static string Shown(string content, int from, int digits) =>
        new([.. content.Skip(from).Take(digits).TakeWhile(c => !char.IsControl(c) && c != '`')]);
}
