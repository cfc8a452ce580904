using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Aws;

/// <summary>
/// Reads <c>aws iam get-account-authorization-details</c> output. Each input holds one page (the CLI's merged
/// output), a JSON array of pages, or pages written one after the other; pages and files are merged and the
/// records grouped by the account in their ARN. Records are read one at a time from the stream.
/// </summary>
/// <remarks>
/// Bad records are quarantined with a located diagnostic; a file that is not JSON or ends early contributes
/// nothing (its records are counted as skipped) so that a half-read account never replaces a whole one.
/// </remarks>
public sealed class AuthorizationDetailsReader
{
    private const string Users = "UserDetailList";
    private const string Groups = "GroupDetailList";
    private const string Roles = "RoleDetailList";
    private const string Policies = "Policies";

    private readonly DateTimeOffset _takenAt;
    private readonly DiagnosticBag _diagnostics = new();
    private readonly List<QuarantinedRecord> _quarantine = [];
    private readonly List<string> _files = [];
    private readonly Dictionary<string, Entry> _records = new(StringComparer.Ordinal);
    private ImportCounts _counts;
    private FileState? _truncatedFile;

    /// <param name="takenAt">when the export was taken (the host passes the file time or the current time).</param>
    public AuthorizationDetailsReader(DateTimeOffset takenAt) => _takenAt = takenAt;

    /// <summary>Reads the files in order; later files win over earlier ones for the same ARN.</summary>
    public static ImportResult<AuthorizationDetails> ReadFiles(IEnumerable<string> paths, DateTimeOffset takenAt)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var reader = new AuthorizationDetailsReader(takenAt);
        foreach (var path in paths) { reader.AddFile(path); }
        return reader.Build();
    }

    /// <summary>Adds a file. A missing or unreadable file throws (an environment error, not bad input).</summary>
    public void AddFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = InputFiles.OpenRead(path);
        Add(stream, path);
    }

    /// <summary>Adds one input; <paramref name="name"/> is used in diagnostics and in the snapshot's sources.</summary>
    public void Add(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        _files.Add(name);
        var file = new FileState(name);
        try
        {
            ReadInput(new JsonStream(stream), file);
        }
        catch (JsonException ex)
        {
            _diagnostics.Add(PolicyText.NotJson(ex, name));
            _counts += new ImportCounts(0, file.Parsed.Count, 0);
            file.Parsed.Clear();
        }
        // A file ending in a truncated page may be continued by the next file (pages saved one per file).
        _truncatedFile = file.LastPageTruncated ? file : null;
        foreach (var parsed in file.Parsed) { Merge(parsed); }
    }

    public ImportResult<AuthorizationDetails> Build()
    {
        if (_truncatedFile is { } truncated)
        {
            _diagnostics.Warning(DiagnosticCodes.ImportIncomplete,
                $"the last page has `IsTruncated: true`: the pages after marker `{truncated.LastMarker}` are missing",
                new SourceLocation(truncated.Name, Record: truncated.PageCount - 1));
            _truncatedFile = null;
        }
        var byAccount = new SortedDictionary<string, AccountBuilder>(StringComparer.Ordinal);
        var awsManaged = new List<ManagedPolicy>();
        foreach (var entry in _records.Values)
        {
            if (entry.Account == Arn.AwsAccount)
            {
                awsManaged.Add((ManagedPolicy)entry.Record);
                continue;
            }
            if (!byAccount.TryGetValue(entry.Account, out var account))
            {
                byAccount[entry.Account] = account = new AccountBuilder();
            }
            account.Add(entry);
        }
        foreach (var account in byAccount.Values) { CheckReferences(account); }
        var accounts = byAccount.Select(kv => kv.Value.Build(kv.Key, _takenAt)).ToImmutableArray();
        var value = new AuthorizationDetails(accounts, [.. awsManaged.OrderBy(p => p.Arn, StringComparer.Ordinal)]);
        return new ImportResult<AuthorizationDetails>(value, _diagnostics, _counts, [.. _quarantine], [.. _files]);
    }

    private void ReadInput(JsonStream json, FileState file)
    {
        if (!json.Read())
        {
            _diagnostics.Error(DiagnosticCodes.ImportNotJson, "the file is empty", new SourceLocation(file.Name));
            return;
        }
        switch (json.TokenType)
        {
            case JsonTokenType.StartArray:
                ReadPageArray(json, file);
                return;
            case JsonTokenType.StartObject:
                do
                {
                    if (json.TokenType != JsonTokenType.StartObject)
                    {
                        UnknownFormat(file, $"expected another page object after page {file.PageCount - 1}, found {json.TokenType}");
                        return;
                    }
                    if (!ReadStreamedPage(json, file)) { return; }
                }
                while (json.Read());
                return;
            default:
                UnknownFormat(file, $"the top-level value is {json.TokenType}, not an object or an array of pages");
                return;
        }
    }

    /// <summary>A top-level object, walked property by property so that its lists are never materialised.</summary>
    private bool ReadStreamedPage(JsonStream json, FileState file)
    {
        var page = file.StartPage(concatenated: true);
        var unknown = new List<string>();
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var property = json.Text!;
            if (IsList(property))
            {
                page.SawList = true;
                using var first = PeekList(json, page.Location($"{page.Prefix}.{property}"));
                if (first is not null) { continue; } // a non-array value was reported and consumed
                var index = 0;
                while (json.ReadValue() is { } record)
                {
                    using (record) { ReadRecord(property, record.RootElement, page, index++); }
                }
                continue;
            }
            using var value = json.ReadValue();
            page.ReadPaging(property, value?.RootElement, unknown);
        }
        return FinishPage(file, page, unknown);
    }

    /// <summary>
    /// After a list property name: consumes the <c>[</c> and returns null, or consumes a non-array value,
    /// reports it and returns it (the caller disposes it and moves on).
    /// </summary>
    private JsonDocument? PeekList(JsonStream json, SourceLocation location)
    {
        var value = json.ReadValueOrArrayStart();
        if (value is null) { return null; }
        if (value.RootElement.ValueKind != JsonValueKind.Null)
        {
            _diagnostics.Warning(DiagnosticCodes.ImportBadRecord, $"expected an array, found {value.RootElement.ValueKind}; the value was ignored", location);
        }
        return value;
    }

    private void ReadPageArray(JsonStream json, FileState file)
    {
        while (json.ReadValue() is { } pageDocument)
        {
            using (pageDocument)
            {
                var page = file.StartPage(concatenated: false);
                var root = pageDocument.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    UnknownFormat(file, $"element {page.Index} of the top-level array is {root.ValueKind}, not a page object");
                    return;
                }
                var unknown = new List<string>();
                foreach (var property in root.EnumerateObject())
                {
                    if (!IsList(property.Name))
                    {
                        page.ReadPaging(property.Name, property.Value, unknown);
                        continue;
                    }
                    page.SawList = true;
                    if (property.Value.ValueKind != JsonValueKind.Array) { continue; }
                    var index = 0;
                    foreach (var record in property.Value.EnumerateArray()) { ReadRecord(property.Name, record, page, index++); }
                }
                if (!FinishPage(file, page, unknown)) { return; }
            }
        }
    }

    private bool FinishPage(FileState file, PageState page, List<string> unknown)
    {
        if (!page.SawList)
        {
            UnknownFormat(file, page.Index == 0
                ? "no `UserDetailList`, `GroupDetailList`, `RoleDetailList` or `Policies`: this is not `get-account-authorization-details` output"
                : $"page {page.Index} has no `UserDetailList`, `GroupDetailList`, `RoleDetailList` or `Policies`");
            return false;
        }
        foreach (var name in unknown)
        {
            _diagnostics.Warning(DiagnosticCodes.ImportUnknownFormat, $"unknown property `{name}` ignored", page.Location($"$.{name}"));
        }
        file.EndPage(page);
        return true;
    }

    private void UnknownFormat(FileState file, string message)
    {
        _diagnostics.Error(DiagnosticCodes.ImportUnknownFormat, $"{message}, so nothing from this file was imported", new SourceLocation(file.Name));
        _counts += new ImportCounts(0, file.Parsed.Count, 0);
        file.Parsed.Clear();
    }

    private static bool IsList(string name) => name is Users or Groups or Roles or Policies;

    private void ReadRecord(string list, JsonElement element, PageState page, int index)
    {
        var path = $"{page.Prefix}.{list}[{index}]";
        var record = new RecordReader(element, page.File.Name, path, page.ConcatenatedIndex);
        object? value = list switch
        {
            Users => record.User(),
            Groups => record.Group(),
            Roles => record.Role(),
            _ => record.Policy(),
        };
        _diagnostics.AddRange(record.Diagnostics);
        if (value is null)
        {
            _quarantine.Add(new QuarantinedRecord(record.Location(), record.FailureCode, element.GetRawText()));
            _counts += new ImportCounts(0, 0, 1);
            return;
        }
        var hash = new HashCode();
        if (value is ManagedPolicy policy)
        {
            // A managed policy is the same policy when its default version's document is: each account's export
            // carries its own `AttachmentCount` and `PermissionsBoundaryUsageCount`, which say nothing about content.
            hash.Add(policy.Arn);
            hash.Add(policy.DefaultVersionId);
            hash.Add(policy.Document);
        }
        else
        {
            hash.AddBytes(JsonMarshal.GetRawUtf8Value(element));
        }
        page.File.Parsed.Add(new Entry(record.Account!, record.Arn!, value, hash.ToHashCode(), record.Location()));
    }

    private void Merge(Entry entry)
    {
        var key = entry.Record.GetType().Name + " " + entry.Arn;
        if (!_records.TryGetValue(key, out var existing))
        {
            _records[key] = entry;
            _counts += new ImportCounts(1, 0, 0);
            return;
        }
        _counts += new ImportCounts(0, 1, 0);
        if (existing.Hash == entry.Hash)
        {
            // Every account's export carries the AWS-managed policies it uses: repeats are expected, not news.
            if (entry.Account == Arn.AwsAccount) { return; }
            _diagnostics.Add(Diagnostic.Info(DiagnosticCodes.ImportDuplicate,
                $"`{entry.Arn}` appears again with the same content (a repeated page?); the copy was skipped", entry.Location));
            return;
        }
        _records[key] = entry;
        _diagnostics.Warning(DiagnosticCodes.ImportDuplicate,
            $"`{entry.Arn}` appears again with different content; this later record replaces the one at {existing.Location}", entry.Location);
    }

    private void CheckReferences(AccountBuilder account)
    {
        var policies = new HashSet<string>(account.Policies.Select(p => p.Record).Cast<ManagedPolicy>().Select(p => p.Arn), StringComparer.Ordinal);
        var groups = new HashSet<string>(account.Groups.Select(g => ((IamGroup)g.Record).Name), StringComparer.Ordinal);
        bool Known(string arn) => policies.Contains(arn) || _records.ContainsKey(nameof(ManagedPolicy) + " " + arn);
        void Check(Entry owner, IEnumerable<string> arns, string what)
        {
            foreach (var arn in arns.Where(a => !Known(a)))
            {
                _diagnostics.Warning(DiagnosticCodes.ImportDanglingReference,
                    $"`{owner.Arn}` {what} `{arn}`, which is not in the export (exported with a `--filter` that left policies out?)", owner.Location);
            }
        }
        foreach (var entry in account.Users)
        {
            var user = (IamUser)entry.Record;
            Check(entry, user.AttachedPolicyArns, "has attached policy");
            Check(entry, user.PermissionsBoundaryArn is null ? [] : [user.PermissionsBoundaryArn], "has permissions boundary");
            foreach (var group in user.GroupNames.Where(g => !groups.Contains(g)))
            {
                _diagnostics.Warning(DiagnosticCodes.ImportDanglingReference, $"`{user.Arn}` is in group `{group}`, which is not in the export", entry.Location);
            }
        }
        foreach (var entry in account.Groups) { Check(entry, ((IamGroup)entry.Record).AttachedPolicyArns, "has attached policy"); }
        foreach (var entry in account.Roles)
        {
            var role = (IamRole)entry.Record;
            Check(entry, role.AttachedPolicyArns, "has attached policy");
            Check(entry, role.PermissionsBoundaryArn is null ? [] : [role.PermissionsBoundaryArn], "has permissions boundary");
        }
    }

    private sealed record Entry(string Account, string Arn, object Record, int Hash, SourceLocation Location);

    private sealed class AccountBuilder
    {
        public List<Entry> Users { get; } = [];
        public List<Entry> Groups { get; } = [];
        public List<Entry> Roles { get; } = [];
        public List<Entry> Policies { get; } = [];

        public void Add(Entry entry)
        {
            var list = entry.Record switch
            {
                IamUser => Users,
                IamGroup => Groups,
                IamRole => Roles,
                _ => Policies,
            };
            list.Add(entry);
        }

        public AwsAccountSnapshot Build(string accountId, DateTimeOffset takenAt) => new(
            accountId,
            takenAt,
            Sorted<IamUser>(Users),
            Sorted<IamGroup>(Groups),
            Sorted<IamRole>(Roles),
            Sorted<ManagedPolicy>(Policies));

        private static ImmutableArray<T> Sorted<T>(List<Entry> entries) =>
            [.. entries.OrderBy(e => e.Arn, StringComparer.Ordinal).Select(e => (T)e.Record)];
    }

    private sealed class FileState(string name)
    {
        public string Name { get; } = name;
        public List<Entry> Parsed { get; } = [];
        public int PageCount { get; private set; }
        public bool LastPageTruncated { get; private set; }
        public string? LastMarker { get; private set; }

        public PageState StartPage(bool concatenated) => new(this, PageCount++, concatenated);

        public void EndPage(PageState page)
        {
            LastPageTruncated = page.IsTruncated;
            LastMarker = page.Marker;
        }
    }

    private sealed class PageState(FileState file, int index, bool concatenated)
    {
        public FileState File { get; } = file;
        public int Index { get; } = index;
        public bool SawList { get; set; }
        public bool IsTruncated { get; private set; }
        public string? Marker { get; private set; }

        /// <summary>JSON path prefix: <c>$</c> for a lone or concatenated page, <c>$[i]</c> inside an array of pages.</summary>
        public string Prefix => concatenated ? "$" : $"$[{Index}]";

        /// <summary>The page number for concatenated pages (JSON paths cannot say which top-level value).</summary>
        public long? ConcatenatedIndex => concatenated && (Index > 0 || File.PageCount > 1) ? Index : null;

        public SourceLocation Location(string path) => new(File.Name, JsonPath: path, Record: ConcatenatedIndex);

        public void ReadPaging(string property, JsonElement? value, List<string> unknown)
        {
            switch (property)
            {
                case "IsTruncated":
                    IsTruncated = value?.ValueKind == JsonValueKind.True;
                    break;
                case "Marker":
                    Marker = value?.ValueKind == JsonValueKind.String ? value.Value.GetString() : null;
                    break;
                case "ResponseMetadata":
                    break;
                default:
                    unknown.Add(property);
                    break;
            }
        }
    }
}
