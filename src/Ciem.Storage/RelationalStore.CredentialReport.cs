using System.Collections.Immutable;
using Ciem.Core.Aws.Inventory;
using System.Data.Common;

namespace Ciem.Storage;

/// <summary>
/// IAM credential reports: only the current report of each account is kept (one row per user, the root row included);
/// importing an account's report replaces the previous one inside the import's transaction.
/// </summary>
public abstract partial class RelationalStore
{
    private const string CredentialColumns =
        "account_id, \"user\", arn, generated_at, imported_at, user_creation_time, password_enabled, "
            + "password_last_used, password_last_changed, " +
        "password_next_rotation, mfa_active, key1_active, key1_last_rotated, key1_last_used, key1_last_used_region, "
            + "key1_last_used_service, " +
        "key2_active, key2_last_rotated, key2_last_used, key2_last_used_region, key2_last_used_service, "
            + "cert1_active, cert1_last_rotated, " +
        "cert2_active, cert2_last_rotated";

    private void WriteCredentialReports(DbTransaction transaction, ImmutableArray<AwsCredentialReport> reports, DateTimeOffset importedAt)
    {
        if (reports.IsDefaultOrEmpty) { return; }
        using var insert = Writer(transaction, TableWrite.Insert("aws_credential_report", CredentialColumns.Split(", ")));
        foreach (var report in reports)
        {
            using (var delete = Command(transaction, "DELETE FROM aws_credential_report WHERE account_id = @a", ("@a", report.AccountId)))
                { delete.ExecuteNonQuery(); }
            foreach (var e in report.Entries)
            {
                insert.Add(report.AccountId, e.User, e.Arn, FormatDate(report.GeneratedAt), FormatDate(importedAt),
                    FormatDate(e.UserCreationTime),
                    e.PasswordEnabled is { } p ? (p ? 1 : 0) : null, FormatDate(e.PasswordLastUsed), FormatDate(e.PasswordLastChanged),
                    FormatDate(e.PasswordNextRotation), e.MfaActive ? 1 : 0,
                    e.AccessKey1.Active ? 1 : 0, FormatDate(e.AccessKey1.LastRotated), FormatDate(e.AccessKey1.LastUsedDate),
                        e.AccessKey1.LastUsedRegion, e.AccessKey1.LastUsedService,
                    e.AccessKey2.Active ? 1 : 0, FormatDate(e.AccessKey2.LastRotated), FormatDate(e.AccessKey2.LastUsedDate),
                        e.AccessKey2.LastUsedRegion, e.AccessKey2.LastUsedService,
                    e.Cert1.Active ? 1 : 0, FormatDate(e.Cert1.LastRotated), e.Cert2.Active ? 1 : 0, FormatDate(e.Cert2.LastRotated));
            }
        }
    }

    private ImmutableArray<AwsCredentialReport> ReadCredentialReports()
    {
        using var command = Command(null, $"SELECT {CredentialColumns} FROM aws_credential_report ORDER BY account_id, \"user\"");
        using var r = command.ExecuteReader();
        var rows = new List<(string Account, DateTimeOffset? Generated, CredentialReportEntry Entry)>();
        while (r.Read())
        {
            var entry = new CredentialReportEntry(
                r.GetString(1), r.GetString(2), Date(r, 5), r.IsDBNull(6) ? null : r.GetInt64(6) == 1, Date(r, 7), Date(r, 8), Date(r, 9),
                    r.GetInt64(10) == 1,
                new AccessKeyStatus(r.GetInt64(11) == 1, Date(r, 12), Date(r, 13), Text(r, 14), Text(r, 15)),
                new AccessKeyStatus(r.GetInt64(16) == 1, Date(r, 17), Date(r, 18), Text(r, 19), Text(r, 20)),
                new SigningCertificateStatus(r.GetInt64(21) == 1, Date(r, 22)),
                new SigningCertificateStatus(r.GetInt64(23) == 1, Date(r, 24)));
            rows.Add((r.GetString(0), Date(r, 3), entry));
        }
        return [.. rows.GroupBy(x => x.Account, StringComparer.Ordinal)
            .Select(g => new AwsCredentialReport(g.Key, g.First().Generated, [.. g.Select(x => x.Entry)]))];
    }
}
