using System.Text.Json;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Json;

/// <summary>
/// Takes a policy document as exports hold it — a JSON object (the AWS CLI decodes documents), a JSON string
/// holding the document, or a URL-encoded string (the raw IAM API) — and returns its JSON text after checking
/// only that it is a well-formed JSON object. Parsing the policy language is <c>PolicyParser</c>'s job.
/// </summary>
internal static class PolicyText
{
    public static bool TryGet(JsonElement value, out string document, out string error)
    {
        document = "";
        error = "";
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                document = value.GetRawText();
                return true;
            case JsonValueKind.String:
                return TryGet(value.GetString()!, out document, out error);
            default:
                error = $"policy document is {Describe(value.ValueKind)}, not a json object";
                return false;
        }
    }

    public static bool TryGet(string text, out string document, out string error)
    {
        document = "";
        var candidate = text.TrimStart();
        if (!candidate.StartsWith('{') && candidate.Contains('%', StringComparison.Ordinal))
        {
            try { candidate = Uri.UnescapeDataString(candidate); }
            catch (UriFormatException) { error = "policy document is a string that is neither json nor url-encoded json"; return false; }
        }
        try
        {
            using var parsed = JsonDocument.Parse(candidate);
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"policy document is {Describe(parsed.RootElement.ValueKind)}, not a json object";
                return false;
            }
        }
        catch (JsonException ex)
        {
            error = $"policy document is not well-formed json: {FirstLine(ex.Message)}";
            return false;
        }
        error = "";
        document = candidate;
        return true;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "empty",
    };

    /// <summary>The diagnostic for an input file that is not JSON: nothing from it is imported.</summary>
    public static Diagnostic NotJson(JsonException error, string file) => Diagnostic.Error(
        DiagnosticCodes.ImportNotJson,
        $"not valid json, so nothing from this file was imported: {FirstLine(error.Message)}",
        new SourceLocation(file, error.LineNumber is { } line ? line + 1 : null));

    internal static string FirstLine(string message)
    {
        var cut = message.IndexOfAny(['\r', '\n']);
        var line = cut < 0 ? message : message[..cut];
        var position = line.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (position > 0) { line = line[..position]; }
        return line.TrimEnd('.').Trim();
    }
}
