using System.Diagnostics;
using System.Text;
using Ciem.Core.Diagnostics;
using Ciem.Import.Aws;
using Ciem.Import.Gcp;
using Ciem.Import.Iac;

namespace Ciem.Import.Tests.Fuzz;

/// <summary>Inputs an attacker or a careless operator hands the readers: bytes, encodings, special files, nesting.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ciem-hostile-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static byte[] Gaad => File.ReadAllBytes(TestData.Sample("aws", "authorization-details.json"));

    [Fact]
    public void AuthorizationDetails_InvalidUtf8InARoleName_LocatedErrorNothingImported()
    {
        // Given the sample export with two bytes that are not UTF-8 inside a role name on line 126
        var bytes = Gaad;
        var at = Encoding.UTF8.GetString(bytes).IndexOf("\"RoleName\": \"", StringComparison.Ordinal) + 13;
        var bad = bytes[..at].Concat(new byte[] { 0xFF, 0xFE }).Concat(bytes[at..]).ToArray();
        var line = bytes[..at].Count(b => b == '\n') + 1;

        // When it is read
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);
        reader.Add(new MemoryStream(bad), "gaad.json");
        var result = reader.Build();

        // Then one located error names the byte offset, and nothing of the half-read file is imported
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(DiagnosticCodes.ImportNotJson, error.Code);
        Assert.Contains($"not valid utf-8: an invalid byte sequence at byte {at} (line {line})", error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Location!.Line);
        Assert.Empty(result.Value.Accounts);
    }

    [Fact]
    public void AuthorizationDetails_EscapedLoneSurrogate_ErrorNotCrash()
    {
        // Given a record whose name is valid JSON but not Unicode: an escaped lone surrogate
        const string json = """{"RoleDetailList":[{"RoleName":"a\ud800b","Arn":"arn:aws:iam::111111111111:role/a"}]}""";

        // When it is read
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);
        reader.Add(TestData.Stream(json), "gaad.json");
        var result = reader.Build();

        // Then it is an error naming the string, not an exception
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Contains("not valid unicode", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-8 bom")]
    [InlineData("utf-16le bom")]
    [InlineData("utf-16be bom")]
    [InlineData("utf-16le no bom")]
    public void AuthorizationDetails_OtherTextEncodings_ReadAsUtf8(string encoding)
    {
        // Given the sample export saved in another encoding (PowerShell's `>` writes UTF-16 little-endian with a BOM)
        var text = Encoding.UTF8.GetString(Gaad);
        byte[] bytes = encoding switch
        {
            "utf-8 bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
            "utf-16le bom" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
            "utf-16be bom" => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)],
            _ => Encoding.Unicode.GetBytes(text),
        };

        // When both are read through a stream that hands out 3 bytes at a time
        var plain = new AuthorizationDetailsReader(TestData.TakenAt);
        plain.Add(new MemoryStream(Gaad), "gaad.json");
        var other = new AuthorizationDetailsReader(TestData.TakenAt);
        other.Add(new TrickleStream(new MemoryStream(bytes), 3), "gaad.json");
        var expected = plain.Build();
        var actual = other.Build();

        // Then the same records are imported
        Assert.DoesNotContain(actual.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(expected.Counts, actual.Counts);
        Assert.Equal(expected.Value.Accounts.Select(a => a.Roles.Length), actual.Value.Accounts.Select(a => a.Roles.Length));
    }

    [Fact]
    public void ResourcePolicies_InvalidUtf8SplitAcrossReads_Located()
    {
        // Given a truncated 3-byte sequence (E2 82 then `"`) read one byte at a time
        var prefix = "{\"arn:aws:s3:::b\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"x"u8.ToArray();
        var bytes = prefix.Concat(new byte[] { 0xE2, 0x82 }).Concat("\"}]}}"u8.ToArray()).ToArray();

        // When it is read
        var result = ResourcePoliciesReader.Read(new TrickleStream(new MemoryStream(bytes), 1), "policies.json");

        // Then the error gives the offset of the sequence
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Contains($"at byte {prefix.Length} (line 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GcpAssets_InvalidUtf8_ErrorNotCrash()
    {
        // Given the IAM policy sample with an encoded surrogate (ED A0 80: not valid UTF-8) before a role name
        var bytes = File.ReadAllBytes(TestData.Sample("gcp", "iam-policies.json"));
        var at = Encoding.UTF8.GetString(bytes).IndexOf("roles/", StringComparison.Ordinal);
        var bad = bytes[..at].Concat(new byte[] { 0xED, 0xA0, 0x80 }).Concat(bytes[at..]).ToArray();

        // When it is read
        var result = GcpAssetReader.Read(new MemoryStream(bad), "iam.json");

        // Then one located error, nothing imported
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Contains($"at byte {at}", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, result.Counts.Imported);
    }

    [Fact]
    public void GcpRoles_TwentyThousandEmptyRecords_DiagnosticsCappedWithCount()
    {
        // Given 20,000 empty records (each one an error)
        var json = "[" + string.Join(",", Enumerable.Repeat("{}", 20_000)) + "]";

        // When they are read
        var result = GcpRoleReader.Read(TestData.Stream(json), "roles.json");

        // Then the first 1,000 are listed and one summary counts the rest, with the severity of what it stands for
        Assert.Equal(DiagnosticBag.DefaultMaxPerFile + 1, result.Diagnostics.Count);
        var summary = result.Diagnostics[^1];
        Assert.Equal(DiagnosticCodes.InputTooManyDiagnostics, summary.Code);
        Assert.Equal(Severity.Error, summary.Severity);
        Assert.StartsWith($"{20_000 - DiagnosticBag.DefaultMaxPerFile} more diagnostics", summary.Message, StringComparison.Ordinal);
        Assert.Equal(20_000, result.Counts.Quarantined + result.Counts.Skipped);
    }

    [Fact]
    public void DiagnosticBag_TwoFiles_CappedEachApart()
    {
        // Given a bag of 2 per file, three warnings for `a` and one error for `b`
        var bag = new DiagnosticBag(2);
        for (var i = 0; i < 3; i++) { bag.Warning("CIEM3002", $"w{i}", new SourceLocation("a")); }
        bag.Error("CIEM3002", "e", new SourceLocation("b"));

        // Then `a` lists two and counts one; `b` is untouched
        Assert.Equal(["w0", "w1", "1 more diagnostics of this file are not listed (the first 2 are)", "e"], bag.Select(d => d.Message).ToArray());
        Assert.True(bag.HasErrors);
    }

    [Fact]
    public void OpenRead_CharacterDevice_RefusedBeforeReading()
    {
        if (!OperatingSystem.IsLinux()) { return; }
        // Given /dev/zero, which never ends
        // When it is opened as an input, Then it is refused, naming what it is
        var error = Assert.Throws<InputFileException>(() => InputFiles.OpenRead("/dev/zero"));
        Assert.Equal("`/dev/zero` is a character device, not a regular file: only regular files are read", error.Message);
    }

    [Fact]
    public async Task Expand_FifoAndLoop_ReportedAndRegularFilesKept()
    {
        if (!OperatingSystem.IsLinux()) { return; }
        // Given a folder with a log file, a FIFO (which would block on open) and a link back to the folder itself
        var logs = _dir.CreateSubdirectory("logs");
        File.WriteAllText(Path.Combine(logs.FullName, "a.json"), "{}");
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(logs.FullName, "pipe.json"))) { mkfifo.WaitForExit(); }
        Directory.CreateSymbolicLink(Path.Combine(logs.FullName, "again"), logs.FullName);

        // When it is expanded (within a bounded time: a loop must not be walked for ever)
        var diagnostics = new DiagnosticBag();
        var files = await Task.Run(() => InputFiles.Expand([logs.FullName], f => f.EndsWith(".json", StringComparison.Ordinal), diagnostics, "CIEM3103"))
            .WaitAsync(TimeSpan.FromSeconds(20));

        // Then the regular file is kept, the FIFO refused and the loop reported once
        Assert.Equal([Path.Combine(logs.FullName, "a.json")], files);
        Assert.Contains(diagnostics, d => d.Code == DiagnosticCodes.InputNotRegularFile && d.Message.Contains("a named pipe (fifo)", StringComparison.Ordinal));
        Assert.Single(diagnostics, d => d.Code == DiagnosticCodes.InputFolderLoop);
    }

    [Fact]
    public void CloudFormation_AliasBomb_RefusedQuickly()
    {
        // Given the 481-byte kind of YAML whose nine levels of nine aliases expand to 387 million strings
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fuzz", "Corpus", "alias-bomb.yaml"));

        // When it is read as a template
        var watch = Stopwatch.StartNew();
        var result = CloudFormationReader.Read(null, null, yaml, "bomb.yaml");

        // Then it is refused in well under a second, with a located error
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Contains("expands to more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CloudFormation_DeepYamlNesting_RefusedNotStackOverflow()
    {
        // Given a template nested 100,000 levels deep (flow sequences)
        var yaml = "Resources: " + new string('[', 100_000) + new string(']', 100_000);

        // When it is read, Then the depth is refused with a located error
        var result = CloudFormationReader.Read(null, null, yaml, "deep.yaml");
        Assert.Contains(result.Diagnostics, d => d.Severity == Severity.Error && d.Message.Contains("nested deeper than 64", StringComparison.Ordinal));
    }

    [Fact]
    public void Hcl_DeepJsonEncode_RefusedNotStackOverflow()
    {
        // Given a policy whose jsonencode nests 100,000 tuples
        var tf = $$"""
            resource "aws_iam_role_policy" "p" {
              role   = "app"
              policy = jsonencode({{new string('[', 100_000)}}{{new string(']', 100_000)}})
            }
            """;

        // When the module is read
        var result = TerraformHclReader.Read(null, new TerraformModule([("main.tf", tf)], _ => null));

        // Then the policy is unknown (indeterminate), not a crash
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("nested deeper than 64", StringComparison.Ordinal));
    }

    [Fact]
    public void WorkTreeFiles_OutsideLinksAndDevices_NotRead()
    {
        if (!OperatingSystem.IsLinux()) { return; }
        // Given a work tree with a policy file, a link to /etc/hostname and a link to /dev/zero
        var root = _dir.CreateSubdirectory("repo").FullName;
        File.WriteAllText(Path.Combine(root, "policy.json"), "{}");
        File.CreateSymbolicLink(Path.Combine(root, "escape.json"), "/etc/hostname");
        File.CreateSymbolicLink(Path.Combine(root, "zero.json"), "/dev/zero");

        // Then only the file inside is read; the others, absolute paths and `..` out of the tree are not
        Assert.Equal("{}", WorkTreeFiles.Read(root, root, "policy.json"));
        Assert.Null(WorkTreeFiles.Read(root, root, "escape.json"));
        Assert.Null(WorkTreeFiles.Read(root, root, "zero.json"));
        Assert.Null(WorkTreeFiles.Read(root, root, "/etc/hostname"));
        Assert.Null(WorkTreeFiles.Read(root, root, "../repo/../../etc/hostname"));
    }

    [Theory]
    [InlineData("x\" } resource \"null_resource\" \"pwn\" {", false)]
    [InlineData("deploy${file(\"/etc/passwd\")}", false)]
    [InlineData("name\nwith-newline", false)]
    [InlineData("rôle", false)]
    [InlineData("Deploy_role+=,.@-1", true)]
    public void AuthorizationDetails_RoleNameOutsideIamCharacters_Quarantined(string name, bool valid)
    {
        // Given a role whose name is, or is not, within IAM's documented characters
        var json = $$"""
            {"RoleDetailList":[{"RoleName":{{System.Text.Json.JsonSerializer.Serialize(name)}},"Path":"/","RoleId":"AROAEXAMPLE",
              "Arn":"arn:aws:iam::111111111111:role/app","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[]},
              "RolePolicyList":[],"AttachedManagedPolicies":[]}]}
            """;

        // When it is read
        var reader = new AuthorizationDetailsReader(TestData.TakenAt);
        reader.Add(TestData.Stream(json), "gaad.json");
        var result = reader.Build();

        // Then a name IAM would not accept is quarantined with CIEM1309; a valid one is imported
        Assert.Equal(valid ? 1 : 0, result.Counts.Imported);
        Assert.Equal(valid ? 0 : 1, result.Counts.Quarantined);
        Assert.Equal(!valid, result.Diagnostics.Any(d => d.Code == DiagnosticCodes.InputBadName));
    }
}
