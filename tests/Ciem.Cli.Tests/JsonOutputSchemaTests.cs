using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Cli.Tests.Gate;
using Ciem.Tests;
using Json.Schema;

namespace Ciem.Cli.Tests;

/// <summary>A small demo estate (AWS, Azure, GCP and their directories) in a store, written once for the class.</summary>
public sealed class DemoStoreFixture : IDisposable
{
    internal CliRunner Cli { get; } = new();

    public string Out => Path.Combine(Cli.Home, "demo");

    /// <summary>An AWS identity of the demo (the first the sweep lists) and the person it follows.</summary>
    public string AwsIdentity { get; }

    public string Person { get; }

    public DemoStoreFixture()
    {
        var (code, output, err) = Cli.Run("demo", "--identities", "60", "--days", "10", "--as-of", "2026-11-27", "--db", Cli.Db, "--out", Out,
            "--report", Path.Combine(Cli.Home, "demo.html"), "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        AwsIdentity = doc.RootElement.GetProperty("aws").GetProperty("identities")[0].GetProperty("id").GetString()!;
        Person = doc.RootElement.GetProperty("demo").GetProperty("person").GetString()!;
        var tf = Path.Combine(Cli.Home, "tf");
        TerraformSamples.WriteOpenTrust(tf);
        File.WriteAllText(Path.Combine(Cli.Home, "alerts.yml"), "channels:\n  local: { type: outbox, folder: outbox }\nrules:\n  - { id: admins, type: new-admin, severity: critical, channels: [local] }\n");
        File.WriteAllText(Path.Combine(Cli.Home, "ciem-server.yml"), "jobs:\n  - name: nightly\n    kind: sweep\n    schedule: \"0 3 * * *\"\n");
    }

    public void Dispose() => Cli.Dispose();
}

/// <summary>
/// Issue #19: every command's `--format json` document carries the shared envelope (schema, version, generatedAt) and
/// validates against its published JSON Schema in docs/schemas. The commands are read from CiemApp's tree, so a new
/// command with `--format json` fails here until it has an invocation below (and so an envelope and a schema).
/// </summary>
public sealed class JsonOutputSchemaTests(DemoStoreFixture demo) : IClassFixture<DemoStoreFixture>
{
    /// <summary>A real invocation of each command with `--format json` (the store and the format are added).</summary>
    private static Dictionary<string, Func<DemoStoreFixture, string[]>> Invocations => new(StringComparer.Ordinal)
    {
        ["aws simulate"] = _ => ["--input", TestPaths.Repo("samples", "simulate", "requests.jsonl")],
        ["import aws"] = d => [Path.Combine(d.Out, "aws")],
        ["import cloudtrail"] = d => [Path.Combine(d.Out, "cloudtrail")],
        ["import azure"] = _ => [TestPaths.Repo("samples", "azure")],
        ["import gcp"] = _ => [TestPaths.Repo("samples", "gcp")],
        ["import azure-activity"] = d => [Path.Combine(d.Out, "azure-logs")],
        ["import gcp-audit"] = d => [Path.Combine(d.Out, "gcp-logs")],
        ["import directory"] = _ => ["okta", TestPaths.Repo("samples", "directory", "okta.json")],
        ["identities"] = _ => [],
        ["effective"] = d => [d.AwsIdentity],
        ["person"] = d => [d.Person],
        ["can"] = d => [d.AwsIdentity, "s3:GetObject", "arn:aws:s3:::b/k", "--resource-account", "111111111111"],
        ["who-can"] = _ => ["s3:GetObject", "arn:aws:s3:::b/k", "--resource-account", "111111111111"],
        ["paths"] = _ => ["--admins"],
        ["gap"] = _ => ["--as-of", "2026-11-27"],
        ["propose"] = d => ["--as-of", "2026-11-27", "--out", Path.Combine(d.Cli.Home, "proposals")],
        ["sweep"] = _ => ["--as-of", "2026-11-27"],
        ["reductions"] = _ => [],
        ["check"] = d => ["--hcl", Path.Combine(d.Cli.Home, "tf")],
        ["db migrate"] = _ => [],
        ["trend"] = _ => [],
        ["metrics baseline"] = _ => ["2026-11-27"],
        ["metrics backfill"] = _ => ["--from", "2026-11-26", "--to", "2026-11-27"],
        ["alerts list"] = _ => [],
        ["alerts evaluate"] = d => ["--rules", Path.Combine(d.Cli.Home, "alerts.yml")],
        ["evidence"] = d => ["--framework", "all", "--from", "2026-11-01", "--to", "2026-11-27", "--out", Path.Combine(d.Cli.Home, "evidence")],
        ["jobs list"] = d => ["--config", Path.Combine(d.Cli.Home, "ciem-server.yml")],
        ["jobs history"] = _ => [],
        ["review plan"] = _ => ["--as-of", "2026-11-27"],
        ["review log"] = _ => [],
        ["users add"] = _ => ["ana", "--role", "admin"],
        ["users list"] = _ => [],
    };

    /// <summary>
    /// Commands with `--format json` that this class does not run, and why; each still writes through <see cref="CliJson.Write"/>.
    /// A new command must be added above or here, with its reason.
    /// </summary>
    private static readonly Dictionary<string, string> NotRunHere = new(StringComparer.Ordinal)
    {
        ["collect azure-activity"] = "reads the Azure Activity Log (tests/Ciem.Collect.Tests against a loopback server); `ciem.collect-usage/1`",
        ["collect gcp-audit"] = "reads Cloud Logging (tests/Ciem.Collect.Tests against a loopback server); `ciem.collect-usage/1`",
        ["collect aws"] = "reads the AWS APIs (tests/Ciem.Collect.Tests against moto); its JSON is `ciem.collect-aws/1`",
        ["collect azure"] = "reads Resource Manager and Graph; `ciem.collect-azure/1`",
        ["collect entra"] = "reads Microsoft Graph; `ciem.collect-directory/1`",
        ["collect gcp"] = "reads Cloud Asset Inventory; `ciem.collect-gcp/1`",
        ["collect google"] = "reads the Admin SDK; `ciem.collect-directory/1`",
        ["collect identity-center"] = "reads SSO Admin and Identity Store; `ciem.collect-directory/1`",
        ["collect okta"] = "reads the Okta API; `ciem.collect-directory/1`",
        ["demo"] = "the fixture runs it (`--format json`) and reads its document",
        ["jobs run"] = "runs a whole job; `ciem.jobs-run/1`",
        ["review status"] = "the same document as `review plan` (`ciem.review-campaign-status/1`), run above",
        ["review notify"] = "needs a planned campaign's notices; the same review writer as `review status`",
        ["review object"] = "needs an owner's identity in a campaign; the same review writer as `review status`",
        ["review approve"] = "after a deadline; the same review writer as `review status`",
        ["review apply"] = "after approvals; the same review writer as `review status`",
        ["review verify"] = "after an apply; the same review writer as `review status`",
        ["review rollback"] = "after an apply; the same review writer as `review status`",
        ["users token"] = "prints a secret once; `ciem.users-token/1`",
    };

    [Fact]
    public void Commands_WithJsonFormat_EachHasAnInvocationHere()
    {
        // Given every command of the tree that offers `--format json`
        var json = JsonCommands().Order(StringComparer.Ordinal).ToArray();

        // When compared with the invocations this class runs
        var missing = json.Where(c => !Invocations.ContainsKey(c) && !NotRunHere.ContainsKey(c)).ToArray();

        // Then none is left out (a new command must show its envelope and schema here)
        Assert.True(missing.Length == 0, "commands with --format json and no invocation here: " + string.Join(", ", missing));
        Assert.Contains("sweep", json);
        Assert.Empty(Invocations.Keys.Concat(NotRunHere.Keys).Except(json, StringComparer.Ordinal));
    }

    public static TheoryData<string> Commands => [.. Invocations.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Output_FormatJson_EnvelopeAndPublishedSchema(string command)
    {
        // Given a command with `--format json` on the demo store
        string[] args = [.. command.Split(' '), .. Invocations[command](demo), "--format", "json", .. command is "aws simulate" or "check" ? Array.Empty<string>() : ["--db", demo.Cli.Db]];

        // When it runs
        var (code, output, err) = demo.Cli.Run(args);

        // Then it answers a document (its first line for JSON Lines) with the envelope
        Assert.True(code is 0 or 2, $"`ciem {command}` exited {code}: {err}");
        var document = JsonNode.Parse(command == "aws simulate" ? output.Split('\n')[0] : output)!.AsObject();
        var schemaName = (string)document["schema"]!;
        Assert.Matches(@"^ciem\.[a-z-]+/[0-9]+$", schemaName);
        Assert.Equal(CliJson.ToolVersion, (string)document["version"]!);
        Assert.Equal(CliRunner.Now, DateTimeOffset.Parse((string)document["generatedAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["schema", "version", "generatedAt"], document.Select(p => p.Key).Where(k => k != "type").Take(3).ToArray());

        // And it validates against its schema in docs/schemas
        var file = SchemaFile(schemaName);
        if (Environment.GetEnvironmentVariable("CIEM_UPDATE_SCHEMAS") == "1" && !File.Exists(file))
        {
            File.WriteAllText(file, SchemaInference.Infer(schemaName, command, document).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        Assert.True(File.Exists(file), $"no schema `{file}` for `ciem {command}` (CIEM_UPDATE_SCHEMAS=1 writes a first one from this output)");
        var schema = Load(file);
        var result = schema.Evaluate(JsonDocument.Parse(document.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"`ciem {command}` does not match {Path.GetFileName(file)}: "
            + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join(", ", d.Errors!.Values)}")));
    }

    [Fact]
    public void Schema_NearMiss_Rejected()
    {
        // Given the identities schema and a document that lacks the envelope's version and has a string for a count
        var schema = Load(SchemaFile("ciem.identities/1"));
        using var bad = JsonDocument.Parse("""{"schema":"ciem.identities/1","generatedAt":"2026-11-28T12:00:00+00:00","items":[]}""");
        using var wrongSchema = JsonDocument.Parse("""{"schema":"ciem.gap/1","version":"0.1.0","generatedAt":"2026-11-28T12:00:00+00:00","items":[]}""");

        // Then both fail validation (the schemas can reject)
        Assert.False(schema.Evaluate(bad.RootElement).IsValid);
        Assert.False(schema.Evaluate(wrongSchema.RootElement).IsValid);
    }

    [Fact]
    public void SchemaFiles_EachNamesAnOutput()
    {
        // Given the published schemas
        var files = Directory.GetFiles(TestPaths.Repo("docs", "schemas"), "ciem.*.schema.json").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);

        // Then each parses as a JSON Schema whose $id matches its file name (no stale schema of a removed output)
        foreach (var f in files)
        {
            var node = JsonNode.Parse(File.ReadAllText(TestPaths.Repo("docs", "schemas", f!)))!;
            var stem = f!["ciem.".Length..^".schema.json".Length];
            var dash = stem.LastIndexOf('-');
            Assert.Equal($"urn:openciem:schema:{stem[..dash]}:{stem[(dash + 1)..]}", (string)node["$id"]!);
        }
        Assert.Contains("ciem.sweep-2.schema.json", files);
    }

    /// <summary>A schema read into its own registry (the global one refuses a second schema of the same $id).</summary>
    private static JsonSchema Load(string file) => JsonSchema.FromText(File.ReadAllText(file), new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    internal static string SchemaFile(string schemaName)
    {
        // `ciem.identities/1` → docs/schemas/ciem.identities-1.schema.json
        var (name, major) = (schemaName[..schemaName.IndexOf('/', StringComparison.Ordinal)], schemaName[(schemaName.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        return TestPaths.Repo("docs", "schemas", $"{name}-{major}.schema.json");
    }

    private static IEnumerable<string> JsonCommands()
    {
        using var cli = new CliRunner();
        var root = CiemApp.Build(cli.Host(TextWriter.Null, TextWriter.Null));
        IEnumerable<(string Path, Command Command)> Walk(Command c, string path) =>
            c.Subcommands.SelectMany(s => Walk(s, path.Length == 0 ? s.Name : $"{path} {s.Name}")).Prepend((path, c));
        foreach (var (path, command) in Walk(root, ""))
        {
            var format = command.Options.FirstOrDefault(o => o.Name == "--format");
            if (format is null) { continue; }
            var values = format.GetCompletions(System.CommandLine.Completions.CompletionContext.Empty).Select(c => c.Label);
            if (values.Contains("json") || values.Contains("jsonl")) { yield return path; }
        }
    }
}

/// <summary>
/// A first schema from a real document (CIEM_UPDATE_SCHEMAS=1): the envelope exactly, the top level's properties
/// required, every value's JSON type (numbers as `number`, a null as any type), arrays' items merged. Reviewed by hand
/// before it is committed; from then on a change of shape fails the test until the schema says so.
/// </summary>
internal static class SchemaInference
{
    public static JsonObject Infer(string schemaName, string command, JsonObject document)
    {
        var name = schemaName[..schemaName.IndexOf('/', StringComparison.Ordinal)]["ciem.".Length..];
        var major = schemaName[(schemaName.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"urn:openciem:schema:{name}:{major}",
            ["title"] = $"ciem {command} --format json",
            ["type"] = "object",
        };
        var properties = new JsonObject
        {
            ["schema"] = new JsonObject { ["const"] = schemaName },
            ["version"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9]+\\.[0-9]+\\.[0-9]+$" },
            ["generatedAt"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
        };
        foreach (var (key, value) in document)
        {
            if (properties.ContainsKey(key)) { continue; }
            properties[key] = Of(value);
        }
        schema["required"] = new JsonArray([.. document.Select(p => (JsonNode?)p.Key)]);
        schema["properties"] = properties;
        return schema;
    }

    private static JsonObject Of(JsonNode? value) => value switch
    {
        null => [],
        JsonObject o => new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject([.. o.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, Of(p.Value)))]),
        },
        JsonArray a => a.Count == 0 ? new JsonObject { ["type"] = "array" } : new JsonObject { ["type"] = "array", ["items"] = Merge([.. a.Select(Of)]) },
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => new JsonObject { ["type"] = "string" },
            JsonValueKind.Number => new JsonObject { ["type"] = "number" },
            JsonValueKind.True or JsonValueKind.False => new JsonObject { ["type"] = "boolean" },
            _ => [],
        },
        _ => [],
    };

    /// <summary>One schema for every item: the same type, properties merged (a property typed differently, or null somewhere, is left untyped).</summary>
    private static JsonObject Merge(List<JsonObject> items)
    {
        var types = items.Select(i => (string?)i["type"]).Distinct().ToList();
        if (types.Count != 1 || types[0] is null) { return []; }
        if (types[0] != "object") { return new JsonObject { ["type"] = types[0] }; }
        var merged = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            foreach (var (key, child) in item["properties"]!.AsObject())
            {
                if (!merged.TryGetValue(key, out var list)) { merged[key] = list = []; }
                list.Add(child!.AsObject());
            }
        }
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject([.. merged.Select(m => new KeyValuePair<string, JsonNode?>(m.Key, m.Value.Count == 1 ? m.Value[0].DeepClone() : Merge(m.Value)))]),
        };
    }
}
