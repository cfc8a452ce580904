using System.Text.Json;
using System.Text.Json.Nodes;
using Ciem.Storage;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Paths;

/// <summary>
/// `ciem paths` on a malformed estate (issue #17): the cloudsplaining example export (real `get-account-authorization-details`
/// output) with its assume-role chain broken in one place — `privesc-AssumeRole-starting-role` assumes the intermediate
/// role, which assumes `privesc-AssumeRole-ending-role`, an administrator through `privesc-AssumeRole-high-priv-policy`.
/// The import names the file and JSON path of what it quarantines; `paths` then marks the step it cannot decide
/// indeterminate and names the policy, or says that records its estate was imported without are missing from the answer.
/// </summary>
[Trait("Category", "SharedData")]
public sealed class PathsMalformedEstateTests : IDisposable
{
    private const string Starting = "privesc-AssumeRole-starting-role";
    private const string Ending = "arn:aws:iam::200611803367:role/privesc-AssumeRole-ending-role";
    private const string HighPriv = "arn:aws:iam::200611803367:policy/privesc-AssumeRole-high-priv-policy";

    /// <summary>The ending role's index in `RoleDetailList`, and the high-privilege policy's in `Policies`, of the export.</summary>
    private const int EndingRole = 38;
    private const int HighPrivPolicy = 30;

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Example => TestPaths.Shared("cloudsplaining-authz-details", "examples", "files", "example.json");

    /// <summary>The example export with <paramref name="change"/> applied, written beside the store.</summary>
    private string Export(string name, Action<JsonObject> change)
    {
        var export = JsonNode.Parse(File.ReadAllText(Example))!.AsObject();
        Assert.Equal(Ending, export["RoleDetailList"]![EndingRole]!["Arn"]!.GetValue<string>());
        Assert.Equal(HighPriv, export["Policies"]![HighPrivPolicy]!["Arn"]!.GetValue<string>());
        change(export);
        var path = Path.Combine(_cli.Home, name);
        File.WriteAllText(path, export.ToJsonString());
        return path;
    }

    private JsonElement Import(string path)
    {
        var (code, output, error) = _cli.Run("import", "aws", path, "--db", _cli.Db, "--format", "json");
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private (JsonElement Answer, string Error) Paths(string identity)
    {
        var (code, output, error) = _cli.Run("paths", identity, "--db", _cli.Db, "--format", "json");
        Assert.True(code == 0, error);
        return (JsonDocument.Parse(output).RootElement.Clone(), error);
    }

    private static string[] Steps(JsonElement answer) => [.. answer.GetProperty("shortest").GetProperty("steps").EnumerateArray()
        .Select(s => $"{s.GetProperty("to").GetString()} {s.GetProperty("technique").GetString()} "
            + s.GetProperty("certainty").GetString())];

    [Fact]
    public void Paths_CleanExport_TheChainIsCertainAndNothingIsSaidMissing()
    {
        // Given the export as published (the twin of the tests below)
        var import = Import(Example);
        Assert.Equal(0, import.GetProperty("quarantined").GetInt32());

        // When the starting role's paths are asked
        var (answer, error) = Paths(Starting);

        // Then it assumes the intermediate role, then the ending role, an administrator, every step certain, with no warning
        Assert.Equal("can-become-administrator", answer.GetProperty("category").GetString());
        Assert.Equal([
            "arn:aws:iam::200611803367:role/privesc-AssumeRole-intermediate-role sts-assume-role certain",
            $"{Ending} sts-assume-role certain",
            "administrator of account 200611803367 account-administrator certain"], Steps(answer));
        Assert.DoesNotContain("CIEM3010", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Ending, error, StringComparison.Ordinal);
        Assert.DoesNotContain("CIEM3010", _cli.Run("identities", "--risk", "--db", _cli.Db, "--format", "json").Err,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_TrustPolicyNotJson_RoleQuarantinedAndPathsSaySoInsteadOfSilence()
    {
        // Given the export where the ending role's trust policy is a string that is not JSON (cut short)
        var file = Export("trust-not-json.json", e => e["RoleDetailList"]![EndingRole]!["AssumeRolePolicyDocument"] =
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", ");

        // When it is imported
        var import = Import(file);

        // Then the role is quarantined, and the diagnostic names it, the file and the JSON path
        Assert.Equal(1, import.GetProperty("quarantined").GetInt32());
        var diagnostic = Assert.Single(import.GetProperty("diagnostics").EnumerateArray(),
            d => d.GetProperty("code").GetString() == "CIEM3004");
        Assert.Equal($"{file}, $.RoleDetailList[{EndingRole}].AssumeRolePolicyDocument", diagnostic.GetProperty("location").GetString());
        Assert.StartsWith($"trust policy of role `{Ending}`: policy document is not well-formed json",
            diagnostic.GetProperty("message").GetString(), StringComparison.Ordinal);

        // When the starting role's paths are asked
        var (answer, error) = Paths(Starting);

        // Then it has no path (the role it would assume is not in the estate), and the answer warns that the import left a record out
        Assert.Equal("none", answer.GetProperty("category").GetString());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("shortest").ValueKind);
        Assert.Contains($"warning CIEM3010: 1 record(s) quarantined by the import of `{file}` (2026-11-28 12:00 UTC) are not in "
            + "the estate of ", error, StringComparison.Ordinal);
        Assert.Contains("`200611803367`", error, StringComparison.Ordinal);

        // And asking for the quarantined role itself is refused with the same warning
        var (code, _, refused) = _cli.Run("paths", Ending, "--db", _cli.Db);
        Assert.Equal(3, code);
        Assert.Contains($"error: no identity `{Ending}`", refused, StringComparison.Ordinal);
        Assert.Contains("warning CIEM3010: 1 record(s) quarantined", refused, StringComparison.Ordinal);

        // And the administrators of the account carry the warning too
        var (adminsCode, _, admins) = _cli.Run("paths", "--admins", "--db", _cli.Db, "--format", "json");
        Assert.Equal(0, adminsCode);
        Assert.Contains("warning CIEM3010", admins, StringComparison.Ordinal);

        // And so do the other answers read from the same estate: who reaches a request transitively, and the risk ranking
        var (whoCode, _, whoCan) = _cli.Run("who-can", "iam:CreateUser", "arn:aws:iam::200611803367:user/x", "--transitive",
            "--db", _cli.Db, "--format", "json");
        Assert.Equal(0, whoCode);
        Assert.Contains("warning CIEM3010: 1 record(s) quarantined", whoCan, StringComparison.Ordinal);
        var (riskCode, _, risk) = _cli.Run("identities", "--risk", "--db", _cli.Db, "--format", "json");
        Assert.Equal(0, riskCode);
        Assert.Contains("warning CIEM3010: 1 record(s) quarantined", risk, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_TrustStatementWithUnknownElement_StepIndeterminateAndThePolicyNamed()
    {
        // Given the export where the ending role's trust statement carries an element the policy language does not have
        var file = Export("trust-unknown-element.json", e =>
            e["RoleDetailList"]![EndingRole]!["AssumeRolePolicyDocument"]!["Statement"]![0]!.AsObject()["Bogus"] = "x");

        // When it is imported (the document is JSON: the policy language is read later) and the starting role's paths are asked
        Assert.Equal(0, Import(file).GetProperty("quarantined").GetInt32());
        var (answer, error) = Paths(Starting);

        // Then the path is kept, its step into the ending role indeterminate (never dropped, never assumed), the first step certain
        Assert.Equal("can-become-administrator", answer.GetProperty("category").GetString());
        Assert.Equal("indeterminate", answer.GetProperty("shortest").GetProperty("certainty").GetString());
        Assert.Equal([
            "arn:aws:iam::200611803367:role/privesc-AssumeRole-intermediate-role sts-assume-role certain",
            $"{Ending} sts-assume-role indeterminate",
            "administrator of account 200611803367 account-administrator certain"], Steps(answer));
        var check = answer.GetProperty("shortest").GetProperty("steps")[1].GetProperty("checks")[0];
        Assert.Equal(("sts:AssumeRole", "Indeterminate"),
            (check.GetProperty("action").GetString(), check.GetProperty("decision").GetString()));

        // And the warning names the statement, the policy and the element's path; nothing was quarantined, so no CIEM3010
        Assert.Contains($"error CIEM1003: unknown statement element `Bogus` in statement 0 of policy `{Ending}#trust` ({Ending}#trust, "
            + "$.Statement[0].Bogus)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("CIEM3010", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_PolicyVersionDocumentMalformed_PolicyQuarantinedAndTheLastStepIndeterminate()
    {
        // Given the export where the default version of the ending role's only policy is URL-encoded JSON cut short
        var file = Export("version-malformed.json", e =>
            e["Policies"]![HighPrivPolicy]!["PolicyVersionList"]![0]!["Document"] = "%7B%22Version%22%3A%222012-10-17%22%2C");

        // When it is imported
        var import = Import(file);

        // Then the policy is quarantined where it failed, and the role that attaches it is reported as pointing at nothing
        Assert.Equal(1, import.GetProperty("quarantined").GetInt32());
        var diagnostics = import.GetProperty("diagnostics").EnumerateArray()
            .ToDictionary(d => d.GetProperty("code").GetString()!, d => d.GetProperty("location").GetString());
        Assert.Equal($"{file}, $.Policies[{HighPrivPolicy}].PolicyVersionList[0].Document", diagnostics["CIEM3004"]);
        Assert.Equal($"{file}, $.RoleDetailList[{EndingRole}]", diagnostics["CIEM3005"]);

        // When the starting role's paths are asked
        var (answer, error) = Paths(Starting);

        // Then the chain is kept with the administrator step indeterminate (the policy's grants are unknown), and both the
        // missing policy and the quarantined record are named
        Assert.Equal("indeterminate", answer.GetProperty("shortest").GetProperty("certainty").GetString());
        Assert.Equal("administrator of account 200611803367 account-administrator indeterminate", Steps(answer)[^1]);
        Assert.Contains($"warning CIEM3005: `{Ending}` has policy `{HighPriv}` attached, but that policy is not in the inventory: "
            + "its grants are unknown", error, StringComparison.Ordinal);
        Assert.Contains("warning CIEM3010: 1 record(s) quarantined", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportAws_TruncatedExport_ErrorNamesFileAndLineAndPathsUseThePreviousEstate()
    {
        // Given a store holding the export, and the same export cut in the middle (a download that stopped)
        Import(Example);
        using (var store = SqliteStore.Open(_cli.Db)) { Assert.Equal(2, store.ListSnapshots().Count(s => s.IsCurrent)); }
        var text = File.ReadAllText(Example);
        var truncated = Path.Combine(_cli.Home, "truncated.json");
        File.WriteAllText(truncated, text[..(text.Length / 2)]);
        var lastLine = text[..(text.Length / 2)].Count(c => c == '\n') + 1;
        var before = SnapshotIds();

        // When the cut export is imported
        var (code, _, error) = _cli.Run("import", "aws", truncated, "--db", _cli.Db);

        // Then it is refused as invalid input, naming the file and the line where the text ends, and the store is unchanged
        Assert.Equal(3, code);
        Assert.Contains("error CIEM3001: not valid json, so nothing from this file was imported: ", error, StringComparison.Ordinal);
        Assert.Contains($"({truncated}:{lastLine})", error, StringComparison.Ordinal);
        Assert.Contains("error: nothing could be imported; the store was not changed", error, StringComparison.Ordinal);
        Assert.Equal(before, SnapshotIds());

        // And paths answer from the estate imported before, the chain intact
        var (answer, pathsError) = Paths(Starting);
        Assert.Equal("can-become-administrator", answer.GetProperty("category").GetString());
        Assert.Equal(3, answer.GetProperty("shortest").GetProperty("steps").GetArrayLength());
        Assert.DoesNotContain("CIEM3010", pathsError, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportAws_TruncatedExportIntoNoStore_PathsSayThereIsNoEstate()
    {
        // Given no store, and the export cut in the middle
        var text = File.ReadAllText(Example);
        var truncated = Path.Combine(_cli.Home, "truncated.json");
        File.WriteAllText(truncated, text[..(text.Length / 2)]);

        // When it is imported, then paths are asked
        var (importCode, _, _) = _cli.Run("import", "aws", truncated, "--db", _cli.Db);
        var (code, _, error) = _cli.Run("paths", Starting, "--db", _cli.Db);

        // Then the import fails and creates no store, and paths fail (exit 1) saying there is no estate and how to make one
        Assert.Equal(3, importCode);
        Assert.False(File.Exists(_cli.Db));
        Assert.Equal(1, code);
        Assert.Contains($"error: no store at `{_cli.Db}`: run `ciem import aws PATH` or `ciem demo` first", error,
            StringComparison.Ordinal);
    }

    private long[] SnapshotIds()
    {
        using var store = SqliteStore.Open(_cli.Db);
        return [.. store.ListSnapshots().Select(s => s.Id)];
    }
}
