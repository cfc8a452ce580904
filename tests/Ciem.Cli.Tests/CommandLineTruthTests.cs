using System.Text.Json;
using Ciem.App.Names;
using Ciem.Tests;

namespace Ciem.Cli.Tests;

/// <summary>Issue #19: argument errors name the option, the value and what is expected; incomplete questions say so.</summary>
public sealed class CommandLineTruthTests
{
    private const string Reports = "arn:aws:s3:::acme-prod-reports/q3.csv";

    [Fact]
    public void Run_MisspeltCommand_OneErrorWithSuggestion()
    {
        // Given a misspelt command
        using var cli = new CliRunner();

        // When it is run
        var (code, _, err) = cli.Run("identitys");

        // Then one error names it and suggests the command meant
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Single(err.Split('\n'), l => l.StartsWith("error", StringComparison.Ordinal));
        Assert.Contains("unknown command `identitys` for `ciem`; did you mean `identities`?", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MisspeltOptionTakenAsArgument_NamesTheOptionNotItsValue()
    {
        // Given `--windows 30` where gap takes `--window` and an optional identity argument
        using var cli = new CliRunner();

        // When it is run
        var (code, _, err) = cli.Run("gap", "--windows", "30");

        // Then the option is blamed, with the closest option, not `30`
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("unknown option `--windows` for `ciem gap`; did you mean `--window`?", err, StringComparison.Ordinal);
        Assert.DoesNotContain("'30'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MisspeltOptionAlone_IsAnErrorNotAnIdentityName()
    {
        // Given a misspelt option that would otherwise be taken as the identity argument
        using var cli = new CliRunner();

        // When it is run with nothing after it
        var (code, _, err) = cli.Run("gap", "--tpo");

        // Then it is an unknown option
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("unknown option `--tpo` for `ciem gap`; did you mean `--top`?", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InvalidDate_NamesOptionValueAndFormWithoutTypeNames()
    {
        // Given a date that does not exist
        using var cli = new CliRunner();

        // When it is given to --as-of
        var (code, _, err) = cli.Run("gap", "--as-of", "2026-13-45");

        // Then the message names the option, the value and the expected form, and no .NET type
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("`--as-of` `2026-13-45` is not a valid date: expected e.g. `2026-11-28`", err, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ValueNotAmongChoices_ListsChoicesAndClosest()
    {
        using var cli = new CliRunner();
        var (code, _, err) = cli.Run("identities", "--format", "jsno");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("`--format` `jsno` is not one of `text`, `json`, `csv`; did you mean `json`?", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_GroupWithoutCommand_ListsItsCommands()
    {
        using var cli = new CliRunner();
        var (code, _, err) = cli.Run("import");
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("`ciem import` needs a command: one of `aws`, `cloudtrail`", err, StringComparison.Ordinal);
        Assert.Single(err.Split('\n'), l => l.StartsWith("error", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_FolderWhereFileExpected_SaysItIsAFolder()
    {
        // Given a folder given to --plan and to --input
        using var cli = new CliRunner();

        // When each is run
        var (planCode, _, planErr) = cli.Run("check", "--plan", cli.Home);
        var (inputCode, _, inputErr) = cli.Run("aws", "simulate", "--input", cli.Home);
        var (missingCode, _, missingErr) = cli.Run("check", "--plan", Path.Combine(cli.Home, "nope.json"));

        // Then the option, the value and the problem are named (not "access denied", not "does not exist")
        Assert.Equal(ExitCodes.InvalidInput, planCode);
        Assert.Contains($"`--plan` `{cli.Home}` is a folder: expected a file", planErr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, inputCode);
        Assert.Contains($"`--input` `{cli.Home}` is a folder: expected a file", inputErr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidInput, missingCode);
        Assert.Contains("nope.json` does not exist: expected a file", missingErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Can_MisspeltAction_WarnsWithClosestKnownAction()
    {
        // Given the sample estate
        using var cli = new CliRunner();
        cli.ImportSamples();

        // When a misspelt action and its correct twin are asked about
        var (code, _, err) = cli.Run("can", "carol.oncall", "s3:GetObjekt", Reports, "--resource-account", "222222222222", "--db", cli.Db);
        var (_, _, twin) = cli.Run("can", "carol.oncall", "s3:GetObject", Reports, "--resource-account", "222222222222", "--db", cli.Db);

        // Then the misspelling is warned with the one closest name, the correct name is not
        Assert.Equal(0, code);
        Assert.Contains("unknown AWS action `s3:GetObjekt`; did you mean `s3:GetObject`?", err, StringComparison.Ordinal);
        Assert.DoesNotContain("PutObject", err, StringComparison.Ordinal);
        Assert.DoesNotContain("CIEM6602", twin, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws", "iam:PassRol", "`iam:PassRole`")]
    [InlineData("aws", "s4:GetObject", "unknown AWS service `s4`")]
    [InlineData("azure", "Microsoft.Compute/virtualMachines/delet", "`Microsoft.Compute/virtualMachines/delete`")]
    [InlineData("azure", "Microsoft.Computer/virtualMachines/delete", "`Microsoft.Compute`")]
    [InlineData("gcp", "storage.objects.gte", "`storage.objects.get`")]
    [InlineData("gcp", "storaeg.objects.get", "`storage`")]
    public void KnownPermissions_Misspelt_SuggestsFromShippedCatalog(string provider, string name, string expected)
    {
        // When a misspelt name is checked against the provider's catalog
        var problem = KnownPermissions.Check(provider, name);

        // Then the closest known name is suggested
        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws", "s3:GetObject")]
    [InlineData("aws", "s3:Get*")]
    [InlineData("azure", "Microsoft.Compute/virtualMachines/delete")]
    [InlineData("azure", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read")]
    [InlineData("gcp", "storage.objects.get")]
    public void KnownPermissions_Known_NoWarning(string provider, string name) => Assert.Null(KnownPermissions.Check(provider, name));

    [Fact]
    public void WhoCan_MisspeltAction_WarnsWithClosestKnownAction()
    {
        // Given the sample estate
        using var cli = new CliRunner();
        cli.ImportSamples();

        // When who-can is asked about a misspelt action and its correct twin
        var (_, _, err) = cli.Run("who-can", "iam:PassRol", "arn:aws:iam::222222222222:role/app-worker", "--db", cli.Db);
        var (_, _, twin) = cli.Run("who-can", "iam:PassRole", "arn:aws:iam::222222222222:role/app-worker", "--db", cli.Db);

        // Then the misspelling is warned with the closest known action, the correct one is not
        Assert.Contains("unknown AWS action `iam:PassRol`; did you mean `iam:PassRole`?", err, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown AWS action", twin, StringComparison.Ordinal);
    }

    [Fact]
    public void Effective_UnknownService_WarnsWithClosest()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (_, _, err) = cli.Run("effective", "carol.oncall", "--service", "s4", "--db", cli.Db);
        Assert.Contains("unknown AWS service `s4`; did you mean `s3`?", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Can_ExitCode_DistinguishesAllowDenyIndeterminate()
    {
        // Given the sample estate
        using var cli = new CliRunner();
        cli.ImportSamples();
        string[] full = ["--resource-account", "222222222222", "-c", "aws:RequestedRegion=eu-west-1", "-c", "aws:SecureTransport=true", "--db", cli.Db];

        // When an allowed, a denied and an indeterminate question are asked with --exit-code, and a denied one without
        var allowed = cli.Run(["can", "carol.oncall", "s3:GetObject", Reports, .. full, "--exit-code"]).Code;
        var denied = cli.Run(["can", "ci-deploy", "iam:CreateUser", "*", .. full, "--exit-code"]).Code;
        var deniedPlain = cli.Run(["can", "ci-deploy", "iam:CreateUser", "*", .. full]).Code;
        var open = cli.Run("can", "carol.oncall", "s3:GetObject", Reports, "--resource-account", "222222222222", "--db", cli.Db, "--exit-code").Code;

        // Then the documented codes come back
        Assert.Equal(ExitCodes.Ok, allowed);
        Assert.Equal(ExitCodes.Denied, denied);
        Assert.Equal(ExitCodes.Ok, deniedPlain);
        Assert.Equal(ExitCodes.Indeterminate, open);
    }

    [Fact]
    public void Can_RegionScpWithoutRegion_NamesTheMissingKey()
    {
        // Given the samples' region SCP
        using var cli = new CliRunner();
        cli.ImportSamples();

        // When asked without the region, then with it
        var (_, open, _) = cli.Run("can", "carol.oncall", "s3:GetObject", Reports, "--resource-account", "222222222222", "-c", "aws:SecureTransport=true",
            "--db", cli.Db, "--format", "json");
        var (_, given, _) = cli.Run("can", "carol.oncall", "s3:GetObject", Reports, "--resource-account", "222222222222", "-c", "aws:SecureTransport=true",
            "-c", "aws:RequestedRegion=eu-west-1", "--db", cli.Db, "--format", "json");

        // Then the first answer names aws:RequestedRegion as the key it lacked, the second names none
        using var a = JsonDocument.Parse(open);
        Assert.Equal(["aws:RequestedRegion"], a.RootElement.GetProperty("missingContextKeys").EnumerateArray().Select(k => k.GetString()));
        using var b = JsonDocument.Parse(given);
        Assert.Equal(0, b.RootElement.GetProperty("missingContextKeys").GetArrayLength());
        Assert.Equal("Allow", b.RootElement.GetProperty("decision").GetString());
    }

    [Fact]
    public void WhoCan_BucketWithoutAccountAcrossAccounts_AsksForResourceAccount()
    {
        // Given two accounts and an S3 object ARN (no account in it)
        using var cli = new CliRunner();
        cli.ImportSamples();

        // When who-can is asked without --resource-account
        var (code, output, err) = cli.Run("who-can", "s3:GetObject", Reports, "--db", cli.Db);

        // Then no answer is given as if every caller owned the bucket: the accounts to choose from are named
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Equal("", output);
        Assert.Contains("give `--resource-account`, one of `111111111111`, `222222222222`", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_File_WrittenWhole0600AndNothingOnStdout()
    {
        // Given the sample estate
        using var cli = new CliRunner();
        cli.ImportSamples();
        var target = Path.Combine(cli.Home, "ids.json");

        // When identities are written with --output
        var (code, output, err) = cli.Run("identities", "--db", cli.Db, "--format", "json", "--output", target);

        // Then the file holds the JSON, owner-only, and stdout is empty; no temporary file is left
        Assert.Equal(0, code);
        Assert.Equal("", output);
        Assert.Contains("wrote", err, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(target));
        Assert.Equal(14, doc.RootElement.GetProperty("items").GetArrayLength());
        if (!OperatingSystem.IsWindows()) { Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target)); }
        Assert.DoesNotContain(Directory.GetFiles(cli.Home), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Output_FailingCommand_LeavesPreviousFileAndNoTemporary()
    {
        // Given an existing output file
        using var cli = new CliRunner();
        var target = Path.Combine(cli.Home, "out.txt");
        File.WriteAllText(target, "previous");

        // When a command that fails writes to it, and another names a missing folder
        var (code, _, err) = cli.Run("effective", "nobody", "--db", cli.Db, "--output", target);
        var (missing, _, missingErr) = cli.Run("identities", "--db", cli.Db, "--output", Path.Combine(cli.Home, "no", "x.txt"));

        // Then the previous content stays, nothing temporary is left, and the missing folder is named before any work
        Assert.NotEqual(0, code);
        Assert.Equal("previous", File.ReadAllText(target));
        Assert.Contains("nothing written", err, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(cli.Home), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.InvalidInput, missing);
        Assert.Contains("does not exist", missingErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_NotATerminal_TablesWithoutBoxDrawing()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (_, output, _) = cli.Run("identities", "--db", cli.Db);
        Assert.Contains("alice.admin", output, StringComparison.Ordinal);
        Assert.DoesNotContain(output, c => c is '│' or '┌' or '─' or '═');
    }

    [Fact]
    public void Quiet_DropsWarningsKeepsErrors()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (_, _, warned) = cli.Run("effective", "carol.oncall", "--service", "s4", "--db", cli.Db, "--quiet");
        var (_, _, failed) = cli.Run("effective", "nobody", "--db", cli.Db, "--quiet");
        Assert.DoesNotContain("warning", warned, StringComparison.Ordinal);
        Assert.Contains("error", failed, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnexpectedFailure_OneLineWithoutTypeNamesOrStackTrace()
    {
        // Given an output that fails in an unexpected way
        using var cli = new CliRunner();
        cli.ImportSamples();
        var error = new StringWriter();

        // When a command writes to it
        var code = CiemApp.Run(["identities", "--db", cli.Db, "--format", "json"], cli.Host(new BrokenWriter(), error));

        // Then one message, no type name and no stack trace, exit 1
        Assert.Equal(ExitCodes.Failure, code);
        var text = error.ToString();
        Assert.Contains("error CIEM6608: the pipe broke", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbose_UnexpectedFailure_AddsTheDetailsForABugReport()
    {
        // Given the same unexpected failure
        using var cli = new CliRunner();
        cli.ImportSamples();
        var error = new StringWriter();

        // When the command runs with `--verbose`
        var code = CiemApp.Run(["identities", "--db", cli.Db, "--format", "json", "--verbose"], cli.Host(new BrokenWriter(), error));

        // Then the one-line message comes first, then the exception's type and where it was thrown; exit 1 still
        Assert.Equal(ExitCodes.Failure, code);
        var lines = error.ToString().Split('\n');
        Assert.StartsWith("error CIEM6608: the pipe broke", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("System.InvalidOperationException: the pipe broke", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("   at ", StringComparison.Ordinal)
            && l.Contains("BrokenWriter", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bash", "\"import aws\") words=")]
    [InlineData("zsh", "bashcompinit")]
    [InlineData("fish", "__fish_seen_subcommand_from import")]
    [InlineData("pwsh", "Register-ArgumentCompleter")]
    public void Completion_EachShell_CoversNestedCommands(string shell, string expected)
    {
        using var cli = new CliRunner();
        var (code, output, _) = cli.Run("completion", shell);
        Assert.Equal(0, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Contains("identities", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("identitys", "identities", 2)]
    [InlineData("GetObjekt", "GetObject", 1)]
    [InlineData("ab", "ba", 1)]
    [InlineData("", "abc", 3)]
    public void ClosestNames_Distance_CountsEditsAndSwaps(string a, string b, int expected) => Assert.Equal(expected, ClosestNames.Distance(a, b));

    [Theory]
    [InlineData("`git push -q -- https://ghp_secret@github.com/a/b.git x` failed", "`git push -q -- https://***@github.com/a/b.git x` failed")]
    [InlineData("fatal: unable to access 'https://oauth2:glpat-xyz@gitlab.example/a.git/'", "fatal: unable to access 'https://***@gitlab.example/a.git/'")]
    [InlineData("no url here", "no url here")]
    public void RedactUserInfo_CredentialedUrl_TokenHidden(string text, string expected) => Assert.Equal(expected, Ciem.App.Iac.GitRepository.RedactUserInfo(text));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void CsvCell_UntrustedText_QuotedAndNeverAFormula(string value, string expected) =>
        Assert.Equal(expected, Ciem.App.Metrics.CsvText.Field(value));

    [Fact]
    public void Gap_Csv_EveryIdentityNoTopCut()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, output, err) = cli.Run("gap", "--db", cli.Db, "--format", "csv", "--top", "3", "--as-of", "2026-11-28");
        Assert.True(code == 0, err);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(15, lines.Length);
        Assert.Contains("lastUsedIam", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void WhoCan_Csv_OneRowPerIdentityWithStatementsJoined()
    {
        using var cli = new CliRunner();
        cli.ImportSamples();
        var (code, csv, err) = cli.Run("who-can", "s3:GetObject", Reports, "--resource-account", "222222222222", "--db", cli.Db, "--format", "csv");
        var (_, json, _) = cli.Run("who-can", "s3:GetObject", Reports, "--resource-account", "222222222222", "--db", cli.Db, "--format", "json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(doc.RootElement.GetProperty("items").GetArrayLength() + 1, csv.TrimEnd('\n').Split('\n').Length);
        Assert.StartsWith("identity,kind,decision,conditional,allowedWhen,statements", csv, StringComparison.Ordinal);
    }

    private sealed class BrokenWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new InvalidOperationException("the pipe broke");

        public override void Write(string? value) => throw new InvalidOperationException("the pipe broke");
    }
}
