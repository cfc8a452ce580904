using System.Text.Json;
using Ciem.App.Iac;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Gate;

/// <summary>`ciem check` on Azure RBAC, GCP IAM and AWS resource-policy changes: plans, HCL with a base ref, rules, the store's context.</summary>
public sealed class CheckCloudsTests : IDisposable
{
    private readonly CliRunner _cli = new();

    private static string Plan(string name) => TestPaths.Repo("tests", "Ciem.Import.Tests", "Iac", "Clouds", name);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_cli.Home, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Check_GcpPlan_SarifMatchesSnapshot()
    {
        // When the GCP plan is checked as SARIF
        var (code, output, _) = _cli.Run("check", "--plan", Plan("gcp-plan.json"), "--format", "sarif");
        // Then it fails, every rule (broad-scope included) is described, and results point into the plan
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(output);
        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.Contains("broad-scope", run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.All(run.GetProperty("results").EnumerateArray(), r => Assert.True(r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32() > 1));
        Snapshot.Match(output, "check-gcp-plan.sarif", "Ciem.Cli.Tests");
    }

    [Fact]
    public void Check_AzurePlan_MarkdownMatchesSnapshot()
    {
        // When the Azure plan is checked as a pull-request comment
        var (code, output, _) = _cli.Run("check", "--plan", Plan("azure-plan.json"), "--format", "markdown");
        // Then it fails with the new administrator, and every touched principal is in the delta table
        Assert.Equal(2, code);
        Assert.Contains("| critical | `new-admin` | `azure:{azurerm_user_assigned_identity.deployer.principal_id}` |", output, StringComparison.Ordinal);
        Assert.Contains("| `azure:c0a8f2d1-7e4b-4a39-9b15-2f6e8d0c1a3b` | 0 | 18263 | no → no |", output, StringComparison.Ordinal);
        Snapshot.Match(output, "check-azure-plan.md", "Ciem.Cli.Tests");
    }

    [Fact]
    public void Check_ResourcePolicyPlan_JsonFindings()
    {
        // When the resource-policy plan is checked as JSON
        var (code, output, _) = _cli.Run("check", "--plan", Plan("aws-resource-policies-plan.json"), "--format", "json");
        // Then the public bucket, the public function URL and the secret are public; the org-only bucket, the queue and the S3 permission are not
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(output);
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => $"{f.GetProperty("rule").GetString()} {f.GetProperty("principal").GetString()}").ToList();
        Assert.Contains("new-public-trust resource/aws_s3_bucket_policy/acme-site", findings);
        Assert.Contains("new-public-trust resource/aws_lambda_permission/status-page", findings);
        Assert.Contains("new-cross-account-trust resource/aws_kms_key/aws_kms_key.exports", findings);
        Assert.Contains("indeterminate-change resource/aws_ecr_repository_policy/builds", findings);
        Assert.DoesNotContain(findings, f => f.Contains("acme-shared", StringComparison.Ordinal) || f.Contains("orders", StringComparison.Ordinal) || f.Contains("thumbnailer", StringComparison.Ordinal));
        Assert.Equal(9, doc.RootElement.GetProperty("iamResources").GetInt32());
    }

    [Fact]
    public void Check_RulesFileOnCloudFindings_ExceptionsAndDisabledRulesApply()
    {
        // Given exceptions for the public bucket and the new editor, and the broad-scope rule disabled
        var rules = Write("ciem-rules.yml", """
            rules:
              broad-scope: { enabled: false }
            exceptions:
              - { rule: new-public-trust, principal: "gcp:allUsers", reason: public website assets, expires: 2027-06-30 }
              - { rule: "*", principal: "gcp:serviceAccount:ci-deployer@*", reason: CI bootstrap, expires: 2027-01-31 }
            """);
        // When the GCP plan is checked with it
        var (_, output, _) = _cli.Run("check", "--plan", Plan("gcp-plan.json"), "--rules", rules, "--format", "json");
        using var doc = JsonDocument.Parse(output);
        // Then the excepted findings are accepted and no broad-scope finding is left
        var accepted = doc.RootElement.GetProperty("accepted").EnumerateArray().Select(a => a.GetProperty("finding").GetProperty("principal").GetString()).ToList();
        Assert.Contains("gcp:allUsers", accepted);
        Assert.Contains("gcp:serviceAccount:ci-deployer@acme-build.iam.gserviceaccount.com", accepted);
        var rulesLeft = doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("rule").GetString()).ToList();
        Assert.DoesNotContain("broad-scope", rulesLeft);
        Assert.Contains("new-escalation", rulesLeft);
    }

    [Fact]
    public void Check_AzurePlanWithAndWithoutStore_BuiltInRoleResolvedEitherWay()
    {
        // Given a store with the Azure samples, whose role definitions include Storage Blob Data Reader
        var (imported, _, importErr) = _cli.Run("import", "azure", TestPaths.Repo("samples", "azure"), "--db", _cli.Db);
        Assert.True(imported == 0, importErr);
        // When the Azure plan is checked without and with the store
        var (_, alone, _) = _cli.Run("check", "--plan", Plan("azure-plan.json"), "--format", "json");
        var (code, withStore, err) = _cli.Run("check", "--plan", Plan("azure-plan.json"), "--db", _cli.Db, "--format", "json");
        // Then the blob reader's conditional grant is computed both times: from the shipped built-in role catalog
        // without the store, from the imported estate with it (no AWS inventory needed for an Azure change)
        Assert.True(code == 2, err);
        const string principal = "azure:9a4c2e6f-1b3d-4f5a-8c7e-0d2b4f6a8c1e";
        static (bool Indeterminate, List<string> Added) Of(string json)
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var delta = root.GetProperty("principals").EnumerateArray().Single(p => p.GetProperty("id").GetString() == principal);
            return (root.GetProperty("findings").EnumerateArray().Any(f => f.GetProperty("rule").GetString() == "indeterminate-change" && f.GetProperty("principal").GetString() == principal),
                [.. delta.GetProperty("added").EnumerateArray().Select(a => a.GetString()!.Split(' ')[0])]);
        }
        foreach (var (indeterminate, added) in new[] { Of(alone), Of(withStore) })
        {
            Assert.False(indeterminate);
            Assert.Contains("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", added);
            Assert.Contains("Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action", added);
        }
    }

    [Fact]
    public void Check_GcpGrantWithAuditUsage_UnusedGrantOnlyWithUsage()
    {
        // Given the GCP samples in the store, and a module that grants ci-deploy roles/storage.admin on the production project
        Assert.Equal(0, _cli.Run("import", "gcp", TestPaths.Repo("samples", "gcp"), "--db", _cli.Db).Code);
        var dir = Directory.CreateDirectory(Path.Combine(_cli.Home, "gcp")).FullName;
        File.WriteAllText(Path.Combine(dir, "iam.tf"), """
            resource "google_project_iam_member" "ci_storage_admin" {
              project = "111111111111"
              role    = "roles/storage.admin"
              member  = "serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com"
            }
            """);
        bool Unused()
        {
            var (_, output, _) = _cli.Run("check", "--hcl", dir, "--db", _cli.Db, "--format", "json");
            using var doc = JsonDocument.Parse(output);
            Assert.True(doc.RootElement.GetProperty("principals")[0].GetProperty("inInventory").GetBoolean());
            return doc.RootElement.GetProperty("findings").EnumerateArray().Any(f => f.GetProperty("rule").GetString() == "unused-grant"
                && f.GetProperty("principal").GetString() == "gcp:serviceAccount:ci-deploy@acme-dev.iam.gserviceaccount.com");
        }
        // When checked before and after its audit log (ci-deploy read objects, nothing of what is new) is imported
        var withoutUsage = Unused();
        Assert.Equal(0, _cli.Run("import", "gcp-audit", TestPaths.Repo("tests", "Ciem.Cli.Tests", "Usage", "Fixtures", "gcp-audit.json"), "--db", _cli.Db).Code);
        // Then the grant beyond observed usage is reported only once usage is known
        Assert.False(withoutUsage);
        Assert.True(Unused());
    }

    private const string GcpTf = """
        resource "google_project_iam_member" "log_viewer" {
          project = "acme-prod"
          role    = "roles/logging.viewer"
          member  = "group:sre@acme.example"
        }
        """;

    private string Repo()
    {
        var root = Path.Combine(_cli.Home, "repo");
        Directory.CreateDirectory(Path.Combine(root, "infra"));
        var git = new GitRepository(root);
        git.Run("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(root, "infra", "iam.tf"), GcpTf);
        git.Run("add", ".");
        git.Run("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "initial");
        return root;
    }

    [Fact]
    public void Check_HclBaseRefAddsAllUsers_Exit2AtTheTfLine()
    {
        // Given a pull request that adds a public binding to a bucket after the unchanged project binding
        var root = Repo();
        File.WriteAllText(Path.Combine(root, "infra", "iam.tf"), GcpTf + """

            resource "google_storage_bucket_iam_member" "public" {
              bucket = google_storage_bucket.site.name
              role   = "roles/storage.objectViewer"
              member = "allUsers"
            }
            """);
        // When the folder is checked against main
        var (code, output, err) = _cli.Run("check", "--hcl", Path.Combine(root, "infra"), "--base-ref", "main", "--format", "json");
        // Then only the new binding is reported, at its line in infra/iam.tf, with the bucket kept symbolic
        Assert.True(code == 2, output + err);
        using var doc = JsonDocument.Parse(output);
        var finding = Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("new-public-trust", finding.GetProperty("rule").GetString());
        Assert.Equal("infra/iam.tf:6", finding.GetProperty("location").GetString());
        Assert.Contains("//storage.googleapis.com/{google_storage_bucket.site.name}", finding.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["gcp:allUsers"], doc.RootElement.GetProperty("principals").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public void Check_HclBaseRefUnchanged_Exit0()
    {
        // Given no change against main / When checked / Then nothing is touched
        var root = Repo();
        var (code, output, err) = _cli.Run("check", "--hcl", Path.Combine(root, "infra"), "--base-ref", "main");
        Assert.True(code == 0, output + err);
        Assert.Contains("0 principal(s) touched", output, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
