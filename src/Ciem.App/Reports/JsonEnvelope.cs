using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ciem.App.Reports;

/// <summary>
/// The envelope every `--format json` document shares (docs/schemas/README.md): <c>schema</c> names the document's
/// shape and its major version (`ciem.identities/1`, described by `docs/schemas/ciem.identities-1.schema.json`),
/// <c>version</c> the tool that wrote it and <c>generatedAt</c> when (the host's clock). The three come first; a
/// document that is an object keeps its own properties after them, a list is put under <c>items</c>. JSON Lines
/// outputs start with one line holding the envelope and <c>"type":"envelope"</c>.
/// </summary>
public sealed record JsonEnvelope(string Schema, string Version, DateTimeOffset GeneratedAt)
{
    /// <summary>The property a list is put under.</summary>
    public const string Items = "items";

    /// <summary>The envelope of the document <paramref name="name"/> (`identities`, `sweep`) at <paramref name="major"/>.</summary>
    public static JsonEnvelope For(string name, int major, string version, DateTimeOffset generatedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentOutOfRangeException.ThrowIfLessThan(major, 1);
        return new JsonEnvelope($"ciem.{name}/{major.ToString(CultureInfo.InvariantCulture)}", version, generatedAt.ToUniversalTime());
    }

    /// <summary>The value as an enveloped document: an object's properties after the envelope's, anything else under <see cref="Items"/>.</summary>
    public JsonObject Wrap(object? value, JsonSerializerOptions? options = null)
    {
        var node = value as JsonNode ?? JsonSerializer.SerializeToNode(value, options ?? ReportJson.Options);
        var document = Header();
        if (node is JsonObject obj)
        {
            foreach (var (key, child) in obj.ToList())
            {
                obj.Remove(key);
                if (document.ContainsKey(key)) { continue; }
                document[key] = child;
            }
        }
        else
        {
            document[Items] = node;
        }
        return document;
    }

    /// <summary>The envelope's three properties alone, as a new object.</summary>
    public JsonObject Header() => new()
    {
        ["schema"] = Schema,
        ["version"] = Version,
        ["generatedAt"] = GeneratedAt,
    };

    /// <summary>Writes the envelope's three properties into the object <paramref name="writer"/> has open (streamed documents).</summary>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("schema", Schema);
        writer.WriteString("version", Version);
        writer.WriteString("generatedAt", GeneratedAt);
    }

    /// <summary>The first line of a JSON Lines output: <c>{"type":"envelope","schema":…,"version":…,"generatedAt":…}</c>.</summary>
    public string HeaderLine()
    {
        var line = new JsonObject { ["type"] = "envelope" };
        foreach (var (key, child) in Header().ToList()) { line[key] = child?.DeepClone(); }
        return line.ToJsonString(ReportJson.Compact);
    }
}
