using System.Text.Json;
using Json.Schema;

namespace Ciem.Tests;

/// <summary>
/// The finding exports' JSON Schemas (tests/Ciem.App.Tests/Reports/Schemas, written from the OCSF and ASFF
/// specifications), evaluated with JsonSchema.Net, formats included.
/// </summary>
internal static class FindingSchemas
{
    public const string Asff = "asff-2018-10-08.schema.json";
    public const string Ocsf = "ocsf-1.3.0-detection-finding.schema.json";

    /// <summary>Each failure as `instance location: keyword: message`; empty when the document is valid.</summary>
    public static List<string> Validate(string file, JsonElement document)
    {
        // Its own registry: the global one refuses a second schema of the same $id.
        var schema = JsonSchema.FromText(File.ReadAllText(TestPaths.Repo("tests", "Ciem.App.Tests", "Reports", "Schemas", file)),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var result = schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid ? [] : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }
}
