using System.Text;
using Ciem.Core.Diagnostics;
using Ciem.Import.Aws;

namespace Ciem.Import.Tests.Aws;

[Trait("Category", "SharedData")]
public sealed class CredentialReportReaderTests
{
    private static readonly string Header = string.Join(',', CredentialReportReader.Columns);

    private const string Root = "<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2025-01-10T10:05:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";

    private const string Service = "deployer,arn:aws:iam::123456789012:user/deployer,2023-05-22T10:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-10-03T08:00:00+00:00,2026-11-27T16:42:00+00:00,eu-west-1,lambda,true,2021-07-15T12:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A";

    [Fact]
    public void Read_RealColumnLayout_ParsesRootAndUserRows()
    {
        // Given a report with the AWS columns, a root row and a user with two active keys
        var csv = $"{Header}\n{Root}\n{Service}\n";

        // When it is read
        var result = CredentialReportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "report.csv");

        // Then both rows are kept under the ARN's account; N/A, not_supported and no_information are null
        Assert.Empty(result.Diagnostics);
        Assert.Equal(new ImportCounts(2, 0, 0), result.Counts);
        var report = Assert.Single(result.Value);
        Assert.Equal("123456789012", report.AccountId);
        var root = report.Entries.Single(e => e.IsRoot);
        Assert.Null(root.PasswordEnabled);
        Assert.Null(root.PasswordLastChanged);
        Assert.True(root.MfaActive);
        var user = report.Find("deployer")!;
        Assert.False(user.PasswordEnabled);
        Assert.Null(user.PasswordLastUsed);
        Assert.True(user.HasActiveKeys);
        Assert.Equal(new DateTimeOffset(2021, 7, 15, 12, 0, 0, TimeSpan.Zero), user.OldestActiveKey);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 16, 42, 0, TimeSpan.Zero), user.LastUsed);
        Assert.Equal(("eu-west-1", "lambda"), (user.AccessKey1.LastUsedRegion, user.AccessKey1.LastUsedService));
        Assert.Null(user.AccessKey2.LastUsedDate);
    }

    [Fact]
    public void Read_GetCredentialReportJson_DecodesBase64Content()
    {
        // Given the `aws iam get-credential-report` output with the CSV base64-encoded
        var content = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Header}\n{Service}"));
        var json = $$"""{"Content": "{{content}}", "ReportFormat": "text/csv", "GeneratedTime": "2026-11-28T06:00:00+00:00"}""";

        // When it is read
        var result = CredentialReportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "report.json");

        // Then the row is there with the report's generation time
        Assert.Empty(result.Diagnostics);
        var report = Assert.Single(result.Value);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero), report.GeneratedAt);
        Assert.Equal("deployer", Assert.Single(report.Entries).User);
        Assert.True(CredentialReportReader.Looks(json));
        Assert.True(CredentialReportReader.Looks(Header));
    }

    [Fact]
    public void Read_BadRows_QuarantinedWithFileAndLine()
    {
        // Given a short row (line 3) and a row with a bad date (line 4) between good ones
        var bad = Service.Replace("2026-10-03T08:00:00+00:00", "yesterday", StringComparison.Ordinal).Replace("deployer", "other", StringComparison.Ordinal);
        var csv = $"{Header}\n{Root}\nshort,arn:aws:iam::123456789012:user/short\n{bad}\n{Service}\n";

        // When it is read
        var result = CredentialReportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "report.csv");

        // Then the two bad rows are quarantined and located, the good ones kept
        Assert.Equal(new ImportCounts(2, 0, 2), result.Counts);
        Assert.Equal([3L, 4L], result.Diagnostics.Select(d => d.Location!.Line!.Value));
        Assert.All(result.Diagnostics, d => Assert.Equal(("report.csv", DiagnosticCodes.ImportBadRecord), (d.Location!.File, d.Code)));
        Assert.Contains("`access_key_1_last_rotated` `yesterday` is not a date", result.Diagnostics[1].Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Quarantine.Length);
    }

    [Fact]
    public void Read_HeaderWithoutRequiredColumns_RejectsFile()
    {
        var result = CredentialReportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("user,arn\nx,arn:aws:iam::123456789012:user/x\n")), "r.csv");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((Severity.Error, 1L), (error.Severity, error.Location!.Line));
        Assert.Contains("`mfa_active`", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Value);
    }

    [Fact]
    public void ReadFiles_Samples_BothAccounts()
    {
        var result = CredentialReportReader.ReadFiles([TestData.Sample("aws", "credential-report.csv"), TestData.Sample("aws", "credential-report-management.csv")]);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["111111111111", "222222222222"], result.Value.Select(r => r.AccountId));
        Assert.Equal(new ImportCounts(8, 0, 0), result.Counts);
    }
}
