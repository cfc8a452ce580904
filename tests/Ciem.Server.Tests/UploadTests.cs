using System.Net;
using System.Text.Json;
using Ciem.Server.Security;
using Ciem.Storage;
using Ciem.Tests;

namespace Ciem.Server.Tests;

/// <summary>
/// AWS exports uploaded through the imports page and `POST /api/v1/imports/aws`: imported as `ciem import aws` imports
/// them, all or nothing; a malformed or unrecognised file, two Organizations bundles, a forged form or a caller who is
/// not an admin get a located error and leave the store as it was.
/// </summary>
public sealed class UploadTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "samples", "aws", name));

    private static byte[] Sample(string folder, string name) =>
        File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "samples", folder, name));

    private string[] Snapshots()
    {
        using var store = fixture.OpenStore();
        return [.. store.ListSnapshots().Select(s => $"{s.Id} {s.Provider} {s.Kind} {s.Scope} {s.IsCurrent}"),
            .. store.LoadDirectories()
                .Select(d => $"directory {Ciem.Core.Directories.DirectorySources.Name(d.Source)} {d.TenantId} {d.Users.Length}")];
    }

    [Fact]
    public async Task Upload_AdminValidExportsThroughThePage_ImportedWithTheirNames()
    {
        // Given an admin on the imports page, and the store's snapshots
        using var admin = await fixture.SignedIn("admin");
        var csrf = await admin.CsrfAsync("/imports");
        var before = Snapshots();

        // When they upload an authorization-details export (a browser may send a path as the name), an Organizations
        // bundle and a credential report
        using var response = await admin.PostFilesAsync("/imports/upload", new() { ["__csrf"] = csrf },
            (@"C:\exports\..\authorization-details.json", Sample("authorization-details.json")), ("organization.json", Sample("organization.json")),
            ("credential-report.csv", Sample("credential-report.csv")));
        var page = await response.Content.ReadAsStringAsync();

        // Then they are imported (new current snapshots), and the page names the files without any folder
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("imported authorization-details.json, organization.json, credential-report.csv:", page, StringComparison.Ordinal);
        Assert.DoesNotContain("ciem-upload-", page, StringComparison.Ordinal);
        var after = Snapshots();
        Assert.True(after.Length > before.Length, string.Join("\n", after));
        using var store = fixture.OpenStore();
        Assert.Contains(store.ListSnapshots(), s => s.Provider == "aws" && s.Kind == SnapshotKinds.Organization && s.IsCurrent);
    }

    [Theory]
    [InlineData("broken.json", "{\"UserDetailList\": [ {\"UserName\": \"a\", \"Arn\": ", "CIEM3001: not valid json, so nothing from this file was imported")]
    [InlineData("notes.txt", "these are not the exports you are looking for", "CIEM3006: `notes.txt` is not an AWS authorization-details export")]
    [InlineData("empty.json", "", "CIEM3006: `empty.json` is not")]
    public async Task Upload_MalformedFileBesideAValidOne_LocatedErrorAndNothingChanges(string name, string content, string expected)
    {
        // Given an admin and the store's snapshots
        using var admin = await fixture.SignedIn("admin");
        var csrf = await admin.CsrfAsync("/imports");
        var before = Snapshots();

        // When they upload a valid export together with a malformed or unrecognised file
        using var response = await admin.PostFilesAsync("/imports/upload", new() { ["__csrf"] = csrf },
            ("resource-policies.json", Sample("resource-policies.json")), (name, System.Text.Encoding.UTF8.GetBytes(content)));
        var page = await response.Content.ReadAsStringAsync();

        // Then the page says which file and what is wrong, and not even the valid file was imported
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(expected), page, StringComparison.Ordinal);
        Assert.Matches($"role=\"alert\">[^<]*{System.Text.RegularExpressions.Regex.Escape(name)}", page);
        Assert.Equal(before, Snapshots());
    }

    [Fact]
    public async Task Upload_ApiWithAdminToken_ImportsAndAnswersAsJson_RefusesTwoBundlesAndForgedSessionForms()
    {
        // Given an admin API token, an admin browser session, and the store's snapshots
        string secret;
        using (var store = fixture.OpenStore())
        {
            secret = Accounts.CreateToken((IServerStore)store, "admin", "upload", null, ServerFixture.T0).Value.Secret;
        }
        using var automation = fixture.Anonymous();
        automation.Bearer = secret;
        using var session = await fixture.SignedIn("admin");
        var before = Snapshots();

        // When the automation posts two Organizations bundles, the session posts a form without its anti-forgery token,
        // and the automation posts a body that is not a form
        using var twoBundles = await automation.PostFilesAsync("/api/v1/imports/aws", [], ("a.json", Sample("organization.json")), ("b.json", Sample("organization.json")));
        using var forged = await session.PostFilesAsync("/api/v1/imports/aws", [], ("resource-policies.json", Sample("resource-policies.json")));
        using var notForm = await automation.PostJsonAsync("/api/v1/imports/aws", "{}");

        // Then each is refused with the reason and nothing changed
        Assert.Equal(HttpStatusCode.BadRequest, twoBundles.StatusCode);
        Assert.Contains("more than one Organizations bundle (`a.json`, `b.json`)", await twoBundles.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("anti-forgery token is missing or invalid", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notForm.StatusCode);
        Assert.Equal(before, Snapshots());

        // When the automation posts a valid export
        using var ok = await automation.PostFilesAsync("/api/v1/imports/aws", [], ("resource-policies.json", Sample("resource-policies.json")));

        // Then it is imported and the answer names the snapshot written and the counts
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var json = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("resource-policies.json", json.GetProperty("files")[0].GetString());
        Assert.True(json.GetProperty("counts").GetProperty("imported").GetInt32() > 0);
        Assert.NotEqual(before, Snapshots());
    }

    [Fact]
    public async Task Upload_Reviewer_Forbidden()
    {
        // Given a reviewer with a valid form
        using var reviewer = await fixture.SignedIn("reviewer");
        var csrf = await reviewer.CsrfAsync("/imports");
        var before = Snapshots();

        // When they upload
        using var response = await reviewer.PostFilesAsync("/imports/upload", new() { ["__csrf"] = csrf }, ("resource-policies.json", Sample("resource-policies.json")));

        // Then only admins may: 403, nothing changed, and the page offers them no upload form
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, Snapshots());
        Assert.DoesNotContain("/imports/upload", await (await reviewer.GetAsync("/imports")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("azure", "", "azure", "role-definitions.json", "role-assignments.json")]
    [InlineData("gcp", "", "gcp", "custom-roles.json", "iam-policies.json")]
    [InlineData("directory", "okta", "directory", null, "okta.json")]
    public async Task Upload_TruncatedRealExportBesideAValidOne_LocatedErrorAndNothingChanges(string kind, string source, string folder,
        string? valid, string truncated)
    {
        // Given an admin on the imports page, and a real export cut off half way (a download that stopped)
        using var admin = await fixture.SignedIn("admin");
        var csrf = await admin.CsrfAsync("/imports");
        var before = Snapshots();
        var whole = Sample(folder, truncated);
        var cut = whole[..(whole.Length / 2)];

        // When they upload it with a valid export of the same cloud (a directory upload: one bundle per directory, alone)
        (string, byte[])[] files = valid is null ? [(truncated, cut)] : [(valid, Sample(folder, valid)), (truncated, cut)];
        using var response = await admin.PostFilesAsync($"/imports/upload/{kind}", new() { ["__csrf"] = csrf, ["source"] = source }, files);
        var page = await response.Content.ReadAsStringAsync();

        // Then the page names the cut file and its line, nothing was imported, not even the valid file
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var named = System.Text.RegularExpressions.Regex.Escape(truncated);
        Assert.Matches($"role=\"alert\">[^<]*the upload was refused and nothing was imported: [^<]*{named}", page);
        Assert.DoesNotContain("ciem-upload-", page, StringComparison.Ordinal);
        Assert.Equal(before, Snapshots());
    }

    [Theory]
    [InlineData("azure", "", "azure", "role-definitions.json", "role-assignments.json", "azure")]
    [InlineData("gcp", "", "gcp", "custom-roles.json", "iam-policies.json", "gcp")]
    [InlineData("directory", "okta", "directory", "okta.json", null, "okta")]
    public async Task Upload_ApiAdminTokenValidExports_ImportedAsTheCliImportsThem(string kind, string source, string folder, string first,
        string? second, string provider)
    {
        // Given an admin API token and the store's snapshots
        string secret;
        using (var store = fixture.OpenStore())
        {
            secret = Accounts.CreateToken((IServerStore)store, "admin", $"upload-{kind}", null, ServerFixture.T0).Value.Secret;
        }
        using var automation = fixture.Anonymous();
        automation.Bearer = secret;
        var before = Snapshots();

        // When the automation posts real exports of that cloud
        (string, byte[])[] files = second is null ? [(first, Sample(folder, first))]
            : [(first, Sample(folder, first)), (second, Sample(folder, second))];
        using var ok = await automation.PostFilesAsync($"/api/v1/imports/{kind}", new() { ["source"] = source }, files);
        var body = await ok.Content.ReadAsStringAsync();

        // Then they are imported: 201, the files named, a current snapshot of that provider written
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(first, json.GetProperty("files")[0].GetString());
        Assert.True(json.GetProperty("counts").GetProperty("imported").GetInt32() > 0, body);
        var added = Snapshots().Except(before).ToList();
        Assert.Contains(added, line => line.Contains($" {provider} ", StringComparison.Ordinal)
            && !line.EndsWith(" 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upload_DirectoryWithoutAKnownSource_RefusedNamingTheField()
    {
        // Given an admin with a valid form
        using var admin = await fixture.SignedIn("admin");
        var csrf = await admin.CsrfAsync("/imports");
        var before = Snapshots();

        // When they upload a directory bundle naming a directory the server does not know
        using var response = await admin.PostFilesAsync("/imports/upload/directory", new() { ["__csrf"] = csrf, ["source"] = "ldap<b>" },
            ("okta.json", Sample("directory", "okta.json")));
        var page = await response.Content.ReadAsStringAsync();

        // Then the page says which field and why (the value escaped), and nothing changed
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("`source` `ldap&lt;b&gt;` is not a directory: use `identity-center`, `entra`, `okta` or `google`", page,
            StringComparison.Ordinal);
        Assert.Equal(before, Snapshots());
    }
}
