using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Import.Aws;

namespace Ciem.Import.Tests.Aws;

[Trait("Category", "SharedData")]
public sealed class AuthorizationDetailsReaderTests
{
    private const string Acct = "123456789012";

    private static readonly string GoodRole = Role("app", trust: """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""");

    /// <summary>Every GAAD export in the shared data, with the diagnostics it is known to deserve and why.</summary>
    public static TheoryData<string, string[]> SharedExports() => new()
    {
        { "cloudsplaining-authz-details/examples/files/example.json", [] },
        { "cloudsplaining-authz-details/test/files/example-authz-details.json", [] },
        // exported without AdministratorAccess, which group GOAT attaches
        { "cloudsplaining-authz-details/test/files/example_authz_v2.json", [DiagnosticCodes.ImportDanglingReference] },
        { "cloudsplaining-authz-details/test/files/example_authz_details_for_overrides.json", [] },
        { "cloudsplaining-authz-details/test/files/example_authz_details_for_overrides_complete.json", [] },
        // the group attaches AWSLambdaReadOnlyAccess; the export holds the renamed AWSLambda_ReadOnlyAccess
        { "cloudsplaining-authz-details/test/files/managed_policy_mismatch.json", [DiagnosticCodes.ImportDanglingReference] },
        // hand-made demo: two users and a group are given account `aws`, which no principal can have
        { "cloudmapper-demo-iam/account-data/demo/us-east-1/iam-get-account-authorization-details.json", [DiagnosticCodes.ImportBadArn, DiagnosticCodes.ImportBadArn, DiagnosticCodes.ImportBadArn] },
    };

    [Theory]
    [MemberData(nameof(SharedExports))]
    public void ReadFiles_SharedExport_CountsMatchTheFileAndOnlyExplainedDiagnostics(string relative, string[] expectedCodes)
    {
        // Given an export and counts computed independently from its JSON
        var path = TestData.Shared(relative.Split('/'));
        var expected = IndependentCounts.Of(path);

        // When it is read
        var result = AuthorizationDetailsReader.ReadFiles([path], TestData.TakenAt);

        // Then every principal and policy with a valid account is there, and nothing else was said
        var accounts = result.Value.Accounts;
        Assert.Equal(expected.Accounts, accounts.Select(a => a.AccountId).Order());
        Assert.Equal(expected.Users, accounts.Sum(a => a.Users.Length));
        Assert.Equal(expected.Groups, accounts.Sum(a => a.Groups.Length));
        Assert.Equal(expected.Roles, accounts.Sum(a => a.Roles.Length));
        Assert.Equal(expected.CustomerPolicies, accounts.Sum(a => a.Policies.Length));
        Assert.Equal(expected.AwsPolicies, result.Value.AwsManagedPolicies.Length);
        Assert.Equal(expectedCodes.Order(), result.Diagnostics.Select(d => d.Code).Order());
        Assert.Equal(expected.Records, result.Counts.Total);
        Assert.Equal(expectedCodes.Count(c => c == DiagnosticCodes.ImportBadArn), result.Counts.Quarantined);
        Assert.All(accounts, a => Assert.Equal(TestData.TakenAt, a.TakenAt));
    }

    [Theory]
    [InlineData("cloudsplaining-authz-details/examples/files/iam-results-example.json")]
    [InlineData("cloudsplaining-authz-details/test/files/scanning/test_authorization_file_details_missing_constraints_v2.json")]
    public void ReadFiles_CloudsplainingOutputNotAnExport_OneUnknownFormatError(string relative)
    {
        // Given cloudsplaining's own output files, which sit next to the exports
        var path = TestData.Shared(relative.Split('/'));

        // When read as exports
        var result = AuthorizationDetailsReader.ReadFiles([path], TestData.TakenAt);

        // Then they are refused as a whole, with one error naming the file
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ImportUnknownFormat, diagnostic.Code);
        Assert.Equal(path, diagnostic.Location!.File);
        Assert.Empty(result.Value.Accounts);
    }

    [Fact]
    public void ReadFiles_Sample_TwoAccountsWithEveryDetail()
    {
        // Given the README sample: two account exports written one after the other
        var path = TestData.Sample("aws", "authorization-details.json");

        // When it is read
        var result = AuthorizationDetailsReader.ReadFiles([path], TestData.TakenAt);

        // Then both accounts are complete and AWS-managed policies are shared
        Assert.Empty(result.Diagnostics);
        Assert.Equal(["111111111111", "222222222222"], result.Value.Accounts.Select(a => a.AccountId));
        Assert.Equal(6, result.Value.Accounts.Sum(a => a.Users.Length));
        Assert.Equal(8, result.Value.Accounts.Sum(a => a.Roles.Length));
        Assert.Equal(4, result.Value.AwsManagedPolicies.Length);
        var prod = result.Value.Accounts[1];
        var lambda = prod.Roles.Single(r => r.Name == "orders-lambda-exec");
        Assert.Equal(new RoleLastUsed(DateTimeOffset.Parse("2026-11-27T23:59:01+00:00", System.Globalization.CultureInfo.InvariantCulture), "eu-west-1"), lambda.LastUsed);
        Assert.Equal("/service-role/", lambda.Path);
        var worker = prod.Roles.Single(r => r.Name == "app-worker");
        Assert.Equal("arn:aws:iam::222222222222:policy/AppBoundary", worker.PermissionsBoundaryArn);
        Assert.Equal("app-worker", Assert.Single(worker.InstanceProfiles).Name);
        var crossAccount = prod.Roles.Single(r => r.Name == "ReadOnlyCrossAccount");
        Assert.Contains("arn:aws:iam::111111111111:root", crossAccount.TrustPolicy, StringComparison.Ordinal);
        Assert.Equal(3600, crossAccount.MaxSessionDuration);
        var management = result.Value.Accounts[0];
        Assert.True(management.Roles.Single(r => r.Name == "AWSServiceRoleForOrganizations").IsServiceLinked);
        Assert.False(management.Roles.Single(r => r.Name.StartsWith("AWSReservedSSO_", StringComparison.Ordinal)).IsServiceLinked);
        var alice = management.Users.Single(u => u.Name == "alice.admin");
        Assert.Equal<string>(["Admins"], alice.GroupNames);
        Assert.Contains(new KeyValuePair<string, string>("team", "platform"), alice.Tags);
        Assert.NotNull(alice.PasswordLastUsed);
        Assert.True(result.Value.AwsManagedPolicies.All(p => p.IsAwsManaged));
    }

    [Fact]
    public void Add_NotJson_ErrorWithFileAndLine()
    {
        // Given text that is not JSON
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);

        // When it is read
        reader.Add(TestData.Stream("\n\nthis is not json"), "bad.json");
        var result = reader.Build();

        // Then one error says where
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ImportNotJson, diagnostic.Code);
        Assert.Equal(new SourceLocation("bad.json", 3), diagnostic.Location);
    }

    [Fact]
    public void Add_TruncatedFile_NothingFromTheFileIsImported()
    {
        // Given an export cut in the middle of a record, after complete records
        var text = File.ReadAllText(TestData.Shared("cloudsplaining-authz-details", "examples", "files", "example.json"));
        var cut = text[..(text.Length / 2)];
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);

        // When it is read
        reader.Add(TestData.Stream(cut), "cut.json");
        var result = reader.Build();

        // Then the file contributes nothing (a half account must not replace a whole one), and its records count as skipped
        Assert.Equal(DiagnosticCodes.ImportNotJson, Assert.Single(result.Diagnostics).Code);
        Assert.Empty(result.Value.Accounts);
        Assert.Equal(0, result.Counts.Imported);
        Assert.True(result.Counts.Skipped > 50);
    }

    [Fact]
    public void Add_RoleWithoutArn_QuarantinedAtItsPath()
    {
        // Given a page whose second role has no Arn
        var page = $$$"""{"RoleDetailList":[{{{GoodRole}}},{"RoleName":"orphan","AssumeRolePolicyDocument":{}}]}""";

        // When it is read
        var result = Read(page);

        // Then the first role is imported and the second quarantined with its text kept
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ImportMissingField, diagnostic.Code);
        Assert.Equal("$.RoleDetailList[1]", diagnostic.Location!.JsonPath);
        Assert.Equal("page.json", diagnostic.Location.File);
        Assert.Contains("`orphan`", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(new ImportCounts(1, 0, 1), result.Counts);
        Assert.Contains("orphan", Assert.Single(result.Quarantine).Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_TrustPolicyNotJson_QuarantinedAtTheDocument()
    {
        // Given a role whose trust policy is a string holding broken JSON
        var page = $$$"""{"RoleDetailList":[{{{Role("broken", trust: "\"{\\\"Version\\\": \"")}}}]}""";

        // When it is read
        var result = Read(page);

        // Then the role is quarantined and the diagnostic points at the document
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ImportBadPolicy, diagnostic.Code);
        Assert.Equal("$.RoleDetailList[0].AssumeRolePolicyDocument", diagnostic.Location!.JsonPath);
        Assert.Equal(Severity.Error, diagnostic.Severity);
        Assert.Equal(1, result.Counts.Quarantined);
        Assert.Empty(result.Value.Accounts);
    }

    [Fact]
    public void Add_InlinePolicyIsAnArray_QuarantinedAtTheInlineDocument()
    {
        // Given a user whose second inline policy document is an array
        var page = $$$"""
            {"UserDetailList":[{"UserName":"u","UserId":"AIDA1","Arn":"arn:aws:iam::{{{Acct}}}:user/u","Path":"/",
            "UserPolicyList":[{"PolicyName":"ok","PolicyDocument":{"Version":"2012-10-17","Statement":[]}},{"PolicyName":"bad","PolicyDocument":[1]}]}]}
            """;

        // When it is read
        var result = Read(page);

        // Then the diagnostic names the policy and its path
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ImportBadPolicy, diagnostic.Code);
        Assert.Equal("$.UserDetailList[0].UserPolicyList[1].PolicyDocument", diagnostic.Location!.JsonPath);
        Assert.Contains("`bad`", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_UrlEncodedPolicies_DecodedLikeTheRawApiReturnsThem()
    {
        // Given documents URL-encoded as the IAM API (not the CLI) returns them
        var document = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}""";
        var encoded = Uri.EscapeDataString(document);
        var trust = "\"" + Uri.EscapeDataString("""{"Version":"2012-10-17","Statement":[]}""") + "\"";
        var inline = $$"""[{"PolicyName":"p","PolicyDocument":"{{encoded}}"}]""";
        var roleJson = Role("enc", trust: trust, inline: inline);
        var page = $$$"""
            {"RoleDetailList":[{{{roleJson}}}],
             "Policies":[{"PolicyName":"m","PolicyId":"ANPA1","Arn":"arn:aws:iam::{{{Acct}}}:policy/m","Path":"/","DefaultVersionId":"v2",
               "PolicyVersionList":[{"Document":"{{{encoded}}}","VersionId":"v2","IsDefaultVersion":true}]}]}
            """;

        // When it is read
        var result = Read(page);

        // Then each document is its decoded JSON text
        Assert.Empty(result.Diagnostics);
        var account = Assert.Single(result.Value.Accounts);
        var role = Assert.Single(account.Roles);
        Assert.Equal("""{"Version":"2012-10-17","Statement":[]}""", role.TrustPolicy);
        Assert.Equal(document, Assert.Single(role.InlinePolicies).Document);
        Assert.Equal(document, Assert.Single(account.Policies).Document);
    }

    [Fact]
    public void Add_SamePageTwice_SecondCopySkippedAndReported()
    {
        // Given an array holding the same page twice
        var page = $$$"""{"RoleDetailList":[{{{GoodRole}}},{{{Role("other")}}}]}""";

        // When it is read
        var result = Read($"[{page},{page}]");

        // Then each repeated record is skipped with an info at its second location
        Assert.Equal(2, Assert.Single(result.Value.Accounts).Roles.Length);
        Assert.Equal(new ImportCounts(2, 2, 0), result.Counts);
        Assert.All(result.Diagnostics, d => Assert.Equal((DiagnosticCodes.ImportDuplicate, Severity.Info), (d.Code, d.Severity)));
        Assert.Equal(["$[1].RoleDetailList[0]", "$[1].RoleDetailList[1]"], result.Diagnostics.Select(d => d.Location!.JsonPath));
    }

    [Fact]
    public void Add_SameArnDifferentContent_LaterWinsWithWarning()
    {
        // Given two files holding the same role with different descriptions
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);
        reader.Add(TestData.Stream($$$"""{"RoleDetailList":[{{{Role("app", description: "old")}}}]}"""), "monday.json");
        reader.Add(TestData.Stream($$$"""{"RoleDetailList":[{{{Role("app", description: "new")}}}]}"""), "tuesday.json");

        // When they are merged
        var result = reader.Build();

        // Then the later one is kept and the replacement is reported
        Assert.Equal("new", Assert.Single(Assert.Single(result.Value.Accounts).Roles).Description);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.ImportDuplicate, Severity.Warning, "tuesday.json"), (diagnostic.Code, diagnostic.Severity, diagnostic.Location!.File));
    }

    [Theory]
    [InlineData("array")]
    [InlineData("concatenated")]
    [InlineData("files")]
    public void Add_PagesWithMarkers_MergedWhateverTheLayout(string layout)
    {
        // Given a two-page export as the raw API pages it
        var first = $$$"""{"UserDetailList":[{"UserName":"u","UserId":"AIDA1","Arn":"arn:aws:iam::{{{Acct}}}:user/u","Path":"/"}],"IsTruncated":true,"Marker":"AAA"}""";
        var second = $$$"""{"RoleDetailList":[{{{GoodRole}}}],"GroupDetailList":[],"Policies":[],"IsTruncated":false}""";
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);

        // When the pages are given in one layout
        switch (layout)
        {
            case "array": reader.Add(TestData.Stream($"[{first},{second}]"), "pages.json"); break;
            case "concatenated": reader.Add(TestData.Stream($"{first}\n{second}\n"), "pages.json"); break;
            default:
                reader.Add(TestData.Stream(first), "page1.json");
                reader.Add(TestData.Stream(second), "page2.json");
                break;
        }
        var result = reader.Build();

        // Then both pages land in one account snapshot
        var account = Assert.Single(result.Value.Accounts);
        Assert.Equal((1, 1), (account.Users.Length, account.Roles.Length));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Add_LastPageTruncated_IncompleteWarning()
    {
        // Given an export whose only page says more pages follow
        var page = $$$"""{"RoleDetailList":[{{{GoodRole}}}],"IsTruncated":true,"Marker":"NEXT"}""";

        // When it is read
        var result = Read(page);

        // Then the import goes ahead and warns that it is incomplete
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ImportIncomplete, diagnostic.Code);
        Assert.Contains("`NEXT`", diagnostic.Message, StringComparison.Ordinal);
        Assert.Single(result.Value.Accounts);
    }

    [Fact]
    public void Add_TwoAccountsInOnePage_OneSnapshotEachAndAwsPoliciesShared()
    {
        // Given principals from two accounts and one AWS-managed policy
        var page = $$$"""
            {"RoleDetailList":[{{{Role("a", account: "111111111111")}}},{{{Role("b", account: "222222222222")}}}],
             "Policies":[{"PolicyName":"ReadOnlyAccess","Arn":"arn:aws:iam::aws:policy/ReadOnlyAccess","DefaultVersionId":"v1",
               "PolicyVersionList":[{"Document":{"Version":"2012-10-17","Statement":[]},"VersionId":"v1","IsDefaultVersion":true}]}]}
            """;

        // When it is read
        var result = Read(page);

        // Then
        Assert.Empty(result.Diagnostics);
        Assert.Equal(["111111111111", "222222222222"], result.Value.Accounts.Select(a => a.AccountId));
        Assert.Equal("arn:aws:iam::aws:policy/ReadOnlyAccess", Assert.Single(result.Value.AwsManagedPolicies).Arn);
        Assert.All(result.Value.Accounts, a => Assert.Empty(a.Policies));
    }

    [Fact]
    public void Add_SameAwsManagedPolicyFromTwoAccounts_DifferentAttachmentCounts_NoWarning()
    {
        // Given two accounts' exports carrying the same AWS-managed policy with their own attachment counts
        static string Page(string account, int attachments) => $$$"""
            {"RoleDetailList":[{{{Role("r" + account, account: account)}}}],
             "Policies":[{"PolicyName":"ReadOnlyAccess","Arn":"arn:aws:iam::aws:policy/ReadOnlyAccess","DefaultVersionId":"v7","AttachmentCount":{{{attachments}}},
               "PolicyVersionList":[{"Document":{"Version":"2012-10-17","Statement":[]},"VersionId":"v7","IsDefaultVersion":true}]}]}
            """;

        // When both are read / Then the policy is one policy, and no "different content" warning is raised
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);
        reader.Add(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Page("111111111111", 3))), "a.json");
        reader.Add(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Page("222222222222", 9))), "b.json");
        var result = reader.Build();
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == Ciem.Core.Diagnostics.DiagnosticCodes.ImportDuplicate);
        Assert.Single(result.Value.AwsManagedPolicies);
    }

    [Fact]
    public void Add_TrickledStream_SameResultAsWholeFile()
    {
        // Given a real export delivered a few bytes at a time, so that every token crosses a buffer edge somewhere
        var path = TestData.Shared("cloudsplaining-authz-details", "examples", "files", "example.json");
        var whole = AuthorizationDetailsReader.ReadFiles([path], TestData.TakenAt);
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);

        // When it is read through the trickle
        using (var file = File.OpenRead(path)) { reader.Add(new TrickleStream(file, 7), path); }
        var trickled = reader.Build();

        // Then the inventory is identical
        Assert.Equal(JsonSerializer.Serialize(whole.Value), JsonSerializer.Serialize(trickled.Value));
    }

    [Fact]
    public void Add_RecordLargerThanTheBuffer_Read()
    {
        // Given a managed policy document of several hundred kilobytes, with a UTF-8 byte-order mark in front
        var actions = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"s3:Action{i}\""));
        var page = $$$"""
            {"Policies":[{"PolicyName":"big","Arn":"arn:aws:iam::{{{Acct}}}:policy/big","DefaultVersionId":"v1",
            "PolicyVersionList":[{"Document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[{{{actions}}}],"Resource":"*"}]},"VersionId":"v1","IsDefaultVersion":true}]}]}
            """;
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(page)).ToArray();
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);

        // When it is read
        reader.Add(new MemoryStream(bytes), "big.json");
        var result = reader.Build();

        // Then the document is whole
        Assert.Empty(result.Diagnostics);
        Assert.Contains("s3:Action19999", Assert.Single(Assert.Single(result.Value.Accounts).Policies).Document, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_EmptyFile_Error()
    {
        var result = Read("");
        Assert.Equal(DiagnosticCodes.ImportNotJson, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void AddFile_MissingFile_Throws()
    {
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);
        Assert.Throws<FileNotFoundException>(() => reader.AddFile(Path.Combine(Path.GetTempPath(), "no-such-ciem-export.json")));
    }

    private static ImportResult<AuthorizationDetails> Read(string text)
    {
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);
        reader.Add(TestData.Stream(text), "page.json");
        return reader.Build();
    }

    private static string Role(string name, string? trust = null, string inline = "[]", string account = Acct, string? description = null)
    {
        var trustText = trust ?? """{"Version":"2012-10-17","Statement":[]}""";
        var extra = description is null ? "" : $",\"Description\":\"{description}\"";
        return $$$"""
            {"Path":"/","RoleName":"{{{name}}}","RoleId":"AROA{{{name}}}","Arn":"arn:aws:iam::{{{account}}}:role/{{{name}}}","CreateDate":"2024-01-01T00:00:00Z",
             "AssumeRolePolicyDocument":{{{trustText}}},"RolePolicyList":{{{inline}}},"AttachedManagedPolicies":[],"Tags":[]{{{extra}}}}
            """;
    }

    /// <summary>Counts from the raw JSON, without the reader: principals in 12-digit accounts, policies by owner.</summary>
    private sealed record IndependentCounts(string[] Accounts, int Users, int Groups, int Roles, int CustomerPolicies, int AwsPolicies, int Records)
    {
        public static IndependentCounts Of(string path)
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            static string AccountOf(JsonElement e) => e.GetProperty("Arn").GetString()!.Split(':')[4];
            static bool Valid(string account) => account.Length == 12 && account.All(char.IsAsciiDigit);
            JsonElement[] List(string name) => root.TryGetProperty(name, out var list) ? [.. list.EnumerateArray()] : [];
            var principals = List("UserDetailList").Concat(List("GroupDetailList")).Concat(List("RoleDetailList")).Select(AccountOf).ToList();
            var policies = List("Policies").Select(AccountOf).ToList();
            return new IndependentCounts(
                [.. principals.Concat(policies).Where(Valid).Distinct().Order()],
                List("UserDetailList").Count(e => Valid(AccountOf(e))),
                List("GroupDetailList").Count(e => Valid(AccountOf(e))),
                List("RoleDetailList").Count(e => Valid(AccountOf(e))),
                policies.Count(Valid),
                policies.Count(a => a == "aws"),
                principals.Count + policies.Count);
        }
    }
}
