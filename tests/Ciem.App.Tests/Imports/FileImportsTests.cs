using Ciem.App.Imports;
using Ciem.App.Tests.Notify;
using Ciem.App.Usage;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import.Usage;
using Ciem.Storage;
using Ciem.Tests;

namespace Ciem.App.Tests.Imports;

/// <summary>The App's file imports (`ciem import azure|gcp|directory|azure-activity`, the demo, the server's jobs): refusals as data, the store untouched.</summary>
public sealed class FileImportsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private CiemSession Session() => new(_temp.Sub("ciem.db"));

    private string File(string name, string text)
    {
        var path = _temp.Sub(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void AzureImport_Samples_StoresOneSnapshotWithWhatTheFilesHold()
    {
        // Given the Azure sample exports (nine `az` outputs)
        using var session = Session();

        // When they are imported
        var result = AzureImport.Import(session, [TestPaths.Repo("samples", "azure")], null, null, Now);

        // Then one snapshot is written, its contents are those of the stored inventory, and nothing was refused
        Assert.True(result.Imported);
        Assert.Empty(result.Refusals);
        var write = Assert.Single(result.Writes);
        Assert.Equal(SnapshotOutcome.Added, write.Outcome);
        var stored = session.Azure.Value!;
        var contents = result.Contents.ToDictionary(c => c.What, c => c.Count);
        Assert.Equal(stored.RoleAssignments.Length, contents["role assignments"]);
        Assert.Equal(stored.RoleDefinitions.Length, contents["role definitions"]);
        Assert.True(contents["role assignments"] > 0);
    }

    [Fact]
    public void AzureImport_OneFileOfNoKnownKind_RefusedBeforeTheStoreIsOpened()
    {
        // Given a role-definitions export beside a JSON file that is no `az` output
        var known = TestPaths.Repo("samples", "azure", "role-definitions.json");
        var odd = File("odd.json", """[{"colour": "blue"}]""");
        using var session = Session();

        // When they are imported together
        var result = AzureImport.Import(session, [known, odd], null, null, Now);

        // Then the import is refused naming the odd file, and no store was created
        var refusal = Assert.Single(result.Refusals);
        Assert.Equal(DiagnosticCodes.ImportUnknownFormat, refusal.Code);
        Assert.Contains($"`{odd}` is not an `az` output", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(result.Writes);
        Assert.False(System.IO.File.Exists(_temp.Sub("ciem.db")));
    }

    [Fact]
    public void AzureImport_OnlyAnEmptyList_NothingImportedAndNotRefused()
    {
        // Given an `az` output that lists nothing (a known shape, no record) — the near-miss of a refusal
        var empty = File("empty.json", """{"value": []}""");
        using var session = Session();

        // When it is imported
        var result = AzureImport.Import(session, [empty], null, null, Now);

        // Then nothing is written, yet the input was not refused: the host says nothing could be imported
        Assert.Empty(result.Refusals);
        Assert.Empty(result.Writes);
        Assert.False(result.Imported);
    }

    [Fact]
    public void GcpImport_GetIamPolicyOutput_RefusedWithTheExportToUseInstead()
    {
        // Given `gcloud projects get-iam-policy` output (bindings and etag, no resource name) beside the GCP samples
        var policy = File("policy.json", """{"bindings":[{"role":"roles/viewer","members":["user:ana@example.com"]}],"etag":"BwX1","version":1}""");
        using var session = Session();

        // When it is imported
        var result = GcpImport.Import(session, [TestPaths.Repo("samples", "gcp"), policy], null, null, Now);

        // Then the import is refused, saying which export says which resource a policy belongs to
        var refusal = Assert.Single(result.Refusals);
        Assert.Contains("search-all-iam-policies", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(result.Writes);
    }

    [Fact]
    public void GcpImport_Samples_StoresOneSnapshot()
    {
        // Given the GCP samples
        using var session = Session();

        // When they are imported
        var result = GcpImport.Import(session, [TestPaths.Repo("samples", "gcp")], null, "organizations/123", Now);

        // Then one snapshot of the scope given is written, with its bindings counted
        var write = Assert.Single(result.Writes);
        Assert.Equal("organizations/123", write.Scope);
        Assert.Equal(session.Gcp.Value!.Policies.Sum(p => p.Bindings.Length), result.Contents.Single(c => c.What == "bindings").Count);
    }

    [Fact]
    public void DirectoryImport_TwoBundlesOfOneDirectory_Refused()
    {
        // Given the Okta sample twice (two bundles of the same org)
        var bundle = TestPaths.Repo("samples", "directory", "okta.json");
        var copy = _temp.Sub("okta-copy.json");
        System.IO.File.Copy(bundle, copy);
        using var session = Session();

        // When they are imported together
        var result = DirectoryImport.Import(session, DirectorySource.Okta, [bundle, copy], null, Now);

        // Then the import is refused as a duplicate, and nothing is written
        Assert.Equal(DiagnosticCodes.ImportDuplicate, Assert.Single(result.Result.Refusals).Code);
        Assert.Empty(result.Result.Writes);
        Assert.False(System.IO.File.Exists(_temp.Sub("ciem.db")));
    }

    [Fact]
    public void DirectoryImport_OneBundle_OneSnapshotWithItsUsers()
    {
        // Given the Okta sample
        using var session = Session();

        // When it is imported
        var result = DirectoryImport.Import(session, DirectorySource.Okta, [TestPaths.Repo("samples", "directory", "okta.json")], null, Now);

        // Then one directory snapshot is written and the users counted are the snapshot's
        Assert.Single(result.Result.Writes);
        var snapshot = Assert.Single(result.Snapshots);
        Assert.Equal(snapshot.Users.Length, result.Result.Contents.Single(c => c.What == "users").Count);
        Assert.Contains(session.People.Directories, d => d.TenantId == snapshot.TenantId);
    }

    [Fact]
    public void DirectoryImport_MissingPath_RefusedNamingIt()
    {
        // Given a path that does not exist
        var missing = _temp.Sub("nowhere.json");
        using var session = Session();

        // When it is imported
        var result = DirectoryImport.Import(session, DirectorySource.Entra, [missing], null, Now);

        // Then the refusal names it
        Assert.Contains($"`{missing}`", Assert.Single(result.Result.Refusals).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UsageIngestionRun_TwoFiles_ProgressToldTheTotalBeforeReadingThenEveryFile()
    {
        // Given two Activity Log files (`az monitor activity-log list` output) and a progress that records what it is told
        const string Record = """{"eventTimestamp":"2026-11-2{0}T10:00:00Z","caller":"ana@example.com","claims":{"http://schemas.microsoft.com/identity/claims/objectidentifier":"c1de9107-0000-4000-8000-000000000003"},"operationName":{"value":"Microsoft.Storage/storageAccounts/write"},"resourceId":"/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1","status":{"value":"Succeeded"},"category":{"value":"Administrative"}}""";
        var first = File("a.json", "[" + Record.Replace("{0}", "5", StringComparison.Ordinal) + "]");
        var second = File("b.json", "[" + Record.Replace("{0}", "6", StringComparison.Ordinal) + "]");
        var told = new Recorder();
        using var session = Session();

        // When they are ingested in one call
        var result = UsageIngestion.Run(session, StreamedUsageLog.AzureActivity, [first, second], Now, out var problems, told);

        // Then the first report names both files and none done, at the end both are done, and both files were read
        Assert.Empty(problems);
        Assert.NotNull(result);
        Assert.Equal(new UsageReadProgress(0, 2, 0, 0), told.Reports[0]);
        Assert.Equal(2, told.Reports.Max(r => r.FilesDone));
        Assert.Equal(2, result.Counts.Files);
    }

    [Fact]
    public void UsageIngestionRun_NothingReadable_NullWithTheProblemAndNoStore()
    {
        // Given a path that does not exist
        var missing = _temp.Sub("logs");
        using var session = Session();

        // When it is ingested
        var result = UsageIngestion.Run(session, StreamedUsageLog.GcpAudit, [missing], Now, out var problems);

        // Then there is no result, the problem names the path, and no store was created
        Assert.Null(result);
        Assert.Contains(problems, d => d.Severity == Severity.Error && d.Message.Contains(missing, StringComparison.Ordinal));
        Assert.False(System.IO.File.Exists(_temp.Sub("ciem.db")));
    }

    /// <summary>An <see cref="IProgress{T}"/> that keeps every report, in order, on the reporting thread.</summary>
    private sealed class Recorder : IProgress<UsageReadProgress>
    {
        private readonly object _gate = new();

        public List<UsageReadProgress> Reports { get; } = [];

        public void Report(UsageReadProgress value)
        {
            lock (_gate) { Reports.Add(value); }
        }
    }
}
