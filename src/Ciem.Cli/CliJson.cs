using System.Text.Json;
using Ciem.App.Reports;

namespace Ciem.Cli;

/// <summary>
/// The one writer of every command's `--format json` document: the value inside the shared <see cref="JsonEnvelope"/>
/// (schema `ciem.NAME/1`, the tool's version, the host clock's time), so no command can write JSON without it.
/// </summary>
public static class CliJson
{
    public static readonly JsonSerializerOptions Options = ReportJson.Options;

    /// <summary>This build's version (`major.minor.patch`), as `ciem --version` and the envelope give it.</summary>
    public static string ToolVersion { get; } = typeof(CliJson).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The envelope of the document <paramref name="name"/> now.</summary>
    public static JsonEnvelope Envelope(CliHost host, string name, int major = 1)
    {
        ArgumentNullException.ThrowIfNull(host);
        return JsonEnvelope.For(name, major, ToolVersion, host.Clock.GetUtcNow());
    }

    /// <summary>Writes <paramref name="value"/> as the document <paramref name="name"/> (`ciem.NAME/1`) to the command's output.</summary>
    public static void Write(CliHost host, string name, object? value, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.Out.WriteLine(Envelope(host, name).Wrap(value, options ?? Options).ToJsonString(options ?? Options));
    }

    /// <summary>A result type's name as a document name: `ReviewCampaignStatus` → `review-campaign-status`.</summary>
    public static string KebabName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var name = type.Name.Split('`')[0];
        return JsonNamingPolicy.KebabCaseLower.ConvertName(name);
    }
}
