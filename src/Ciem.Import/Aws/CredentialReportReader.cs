using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;

namespace Ciem.Import.Aws;

/// <summary>
/// Reads IAM credential reports: the CSV itself (decoded), or the JSON output of `aws iam get-credential-report`
/// (`{"Content": base64, "ReportFormat": "text/csv", "GeneratedTime": …}`). Columns are found by their header names,
/// so extra columns are ignored; `N/A`, `not_supported` and `no_information` become null. Rows are grouped by the
/// account of their ARN (a report is per account; several reports may be concatenated into one import). A bad row is
/// quarantined with its file and line; a missing header column rejects the file.
/// </summary>
public static class CredentialReportReader
{
    /// <summary>The report's columns, in AWS order.</summary>
    public static readonly ImmutableArray<string> Columns =
    [
        "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed", "password_next_rotation",
        "mfa_active",
        "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
        "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region", "access_key_2_last_used_service",
        "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
    ];

    /// <summary>True when <paramref name="head"/> (the start of a file) is a credential report, CSV or JSON.</summary>
    public static bool Looks(string head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var text = head.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith("user,arn,user_creation_time", StringComparison.Ordinal)) { return true; }
        return text.StartsWith('{') && text.Contains("\"ReportFormat\"", StringComparison.Ordinal) && text.Contains("\"Content\"", StringComparison.Ordinal);
    }

    public static ImportResult<ImmutableArray<AwsCredentialReport>> ReadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var state = new State();
        foreach (var path in paths)
        {
            state.Sources.Add(path);
            Read(File.ReadAllText(path), path, state);
        }
        return state.Build();
    }

    public static ImportResult<ImmutableArray<AwsCredentialReport>> Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var state = new State();
        state.Sources.Add(name);
        Read(reader.ReadToEnd(), name, state);
        return state.Build();
    }

    private static void Read(string text, string name, State state)
    {
        DateTimeOffset? generated = null;
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(trimmed);
                var root = doc.RootElement;
                if (!root.TryGetProperty("Content", out var content) || content.ValueKind != JsonValueKind.String)
                {
                    state.Diagnostics.Error(DiagnosticCodes.ImportMissingField, "credential report output has no `Content`", new SourceLocation(name, JsonPath: "$.Content"));
                    state.Skipped++;
                    return;
                }
                if (root.TryGetProperty("GeneratedTime", out var g) && g.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(g.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
                {
                    generated = when;
                }
                text = Encoding.UTF8.GetString(Convert.FromBase64String(content.GetString()!));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                state.Diagnostics.Error(DiagnosticCodes.ImportNotJson, $"credential report output is not readable: {e.Message}", new SourceLocation(name, JsonPath: "$.Content"));
                state.Skipped++;
                return;
            }
        }
        ReadCsv(text, name, generated, state);
    }

    private static void ReadCsv(string text, string name, DateTimeOffset? generated, State state)
    {
        var lines = text.Split('\n');
        var headerLine = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (headerLine < 0)
        {
            state.Diagnostics.Error(DiagnosticCodes.ImportIncomplete, "credential report is empty", new SourceLocation(name, Line: 1));
            return;
        }
        var header = Split(lines[headerLine].TrimEnd('\r').TrimStart('\uFEFF'));
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++) { index.TryAdd(header[i].Trim(), i); }
        var missing = Columns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            state.Diagnostics.Error(DiagnosticCodes.ImportMissingField, $"credential report header lacks {string.Join(", ", missing.Select(m => $"`{m}`"))}: the file is not read", new SourceLocation(name, Line: headerLine + 1));
            state.Skipped++;
            return;
        }
        for (var n = headerLine + 1; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r');
            if (line.Trim().Length == 0) { continue; }
            var location = new SourceLocation(name, Line: n + 1);
            var cells = Split(line);
            if (cells.Count != header.Count)
            {
                state.Quarantine(location, DiagnosticCodes.ImportBadRecord, $"credential report row has {cells.Count} values, the header {header.Count}", line);
                continue;
            }
            var row = new Row(cells, index);
            if (!TryParseRow(row, out var entry, out var account, out var problem))
            {
                state.Quarantine(location, DiagnosticCodes.ImportBadRecord, $"credential report row of `{row["user"]}`: {problem}", line);
                continue;
            }
            state.Add(account, generated, entry, location);
        }
    }

    private static bool TryParseRow(Row row, out CredentialReportEntry entry, out string account, out string problem)
    {
        entry = null!;
        account = "";
        problem = "";
        var user = row["user"];
        var arn = row["arn"];
        if (user.Length == 0) { problem = "`user` is empty"; return false; }
        if (!Arn.TryParse(arn, out var parsed) || parsed.Service != "iam" || parsed.Account.Length != 12)
        {
            problem = $"`arn` `{arn}` is not an IAM user or root ARN";
            return false;
        }
        account = parsed.Account;
        var errors = new List<string>();
        DateTimeOffset? Date(string column)
        {
            var v = row[column];
            if (IsEmpty(v)) { return null; }
            if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)) { return d.ToUniversalTime(); }
            errors.Add($"`{column}` `{v}` is not a date");
            return null;
        }
        bool? Bool(string column)
        {
            var v = row[column];
            if (IsEmpty(v)) { return null; }
            if (bool.TryParse(v, out var b)) { return b; }
            errors.Add($"`{column}` `{v}` is not true or false");
            return null;
        }
        string? Text(string column) => IsEmpty(row[column]) ? null : row[column];
        AccessKeyStatus Key(int k) => new(
            Bool($"access_key_{k}_active") ?? false, Date($"access_key_{k}_last_rotated"), Date($"access_key_{k}_last_used_date"),
            Text($"access_key_{k}_last_used_region"), Text($"access_key_{k}_last_used_service"));
        SigningCertificateStatus Cert(int k) => new(Bool($"cert_{k}_active") ?? false, Date($"cert_{k}_last_rotated"));
        entry = new CredentialReportEntry(
            user, arn, Date("user_creation_time"), Bool("password_enabled"), Date("password_last_used"), Date("password_last_changed"),
            Date("password_next_rotation"), Bool("mfa_active") ?? false, Key(1), Key(2), Cert(1), Cert(2));
        if (errors.Count > 0) { problem = string.Join("; ", errors); return false; }
        return true;
    }

    private static bool IsEmpty(string value) => value.Length == 0 || value is "N/A" or "not_supported" or "no_information";

    /// <summary>Splits one CSV line; fields may be quoted (`""` inside quotes is a quote).</summary>
    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { cell.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else { cell.Append(c); }
        }
        cells.Add(cell.ToString());
        return cells;
    }

    private readonly struct Row(List<string> cells, Dictionary<string, int> index)
    {
        public string this[string column] => cells[index[column]].Trim();
    }

    private sealed class State
    {
        private readonly Dictionary<string, (DateTimeOffset? Generated, Dictionary<string, CredentialReportEntry> Entries)> _accounts = new(StringComparer.Ordinal);
        private readonly ImmutableArray<QuarantinedRecord>.Builder _quarantine = ImmutableArray.CreateBuilder<QuarantinedRecord>();

        public DiagnosticBag Diagnostics { get; } = new();

        public List<string> Sources { get; } = [];

        public int Imported { get; private set; }

        public int Skipped { get; set; }

        public void Quarantine(SourceLocation location, string code, string message, string line)
        {
            Diagnostics.Warning(code, message, location);
            _quarantine.Add(new QuarantinedRecord(location, code, line));
        }

        public void Add(string account, DateTimeOffset? generated, CredentialReportEntry entry, SourceLocation location)
        {
            if (!_accounts.TryGetValue(account, out var report))
            {
                report = (generated, new Dictionary<string, CredentialReportEntry>(StringComparer.Ordinal));
                _accounts[account] = report;
            }
            if (!report.Entries.TryAdd(entry.User, entry))
            {
                Diagnostics.Warning(DiagnosticCodes.ImportDuplicate, $"user `{entry.User}` of account `{account}` appears twice in the credential reports; the first row is kept", location);
                Skipped++;
                return;
            }
            Imported++;
        }

        public ImportResult<ImmutableArray<AwsCredentialReport>> Build() => new(
            [.. _accounts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new AwsCredentialReport(a.Key, a.Value.Generated, [.. a.Value.Entries.Values]))],
            Diagnostics,
            new ImportCounts(Imported, Skipped, _quarantine.Count),
            _quarantine.ToImmutable(),
            [.. Sources]);
    }
}
