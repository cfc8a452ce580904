using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Import;
using Ciem.Import.Aws;
using Ciem.Storage;

namespace Ciem.App.Imports;

/// <summary>What an AWS input file holds, recognised from its content.</summary>
public enum AwsInputKind
{
    Unknown,
    AuthorizationDetails,
    Organization,
    ResourcePolicies,
    CredentialReport,
}

/// <summary>
/// An AWS import's outcome: the inventory read, the store's summary (null when nothing could be imported and the
/// store was left unchanged), the counts and every diagnostic; <see cref="Refusals"/>: the input errors (a missing
/// path, a file of no known kind, two Organizations bundles) that stopped it before anything was read.
/// </summary>
public sealed record AwsImportResult(AwsInventory Inventory, AwsImportSummary? Summary, ImportCounts Counts, ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<Diagnostic> Refusals = default)
{
    public ImmutableArray<Diagnostic> Refusals { get; init; } = Refusals.IsDefault ? [] : Refusals;
}

/// <summary>
/// `ciem import aws` (and `ciem sweep --aws`): authorization-details exports, one Organizations bundle, resource
/// policies and credential reports read into one inventory and written to the session's store in one transaction.
/// </summary>
public static class AwsImport
{
    /// <summary>
    /// Reads the files <paramref name="paths"/> name (folders: their `*.json` and `*.csv` files), taken at
    /// <paramref name="takenAt"/> (default: <paramref name="now"/>), and stores them unless nothing was readable.
    /// </summary>
    public static AwsImportResult Import(CiemSession session, IEnumerable<string> paths, DateTimeOffset? takenAt, DateTimeOffset now)
    {
        var problems = new DiagnosticBag();
        var files = ImportFiles.Expand(paths, Detect, problems, "*.json", "*.csv");
        if (files is null) { return Refused(problems); }
        var unknown = files.Where(f => f.Kind == AwsInputKind.Unknown).Select(f => ImportFiles.Unknown(f.Path,
            "an authorization-details export, an Organizations bundle, a resource-policy file or a credential report")).ToList();
        if (unknown.Count > 0) { return Refused(unknown); }
        var orgFiles = files.Where(f => f.Kind == AwsInputKind.Organization).Select(f => f.Path).ToList();
        if (orgFiles.Count > 1)
        {
            return Refused([Diagnostic.Error(DiagnosticCodes.CliBadArgument,
                $"more than one Organizations bundle given ({string.Join(", ", orgFiles)}); import one organization at a time")]);
        }
        return Import(session, files, takenAt ?? now, now);

        static AwsImportResult Refused(IEnumerable<Diagnostic> refusals) => new(AwsInventory.Empty, null, default, [], [.. refusals]);
    }

    /// <summary>
    /// Reads <paramref name="files"/> (kinds from <see cref="Detect"/>; no <see cref="AwsInputKind.Unknown"/>, at most
    /// one Organizations bundle) taken at <paramref name="takenAt"/> and stores them, unless nothing was readable.
    /// </summary>
    public static AwsImportResult Import(CiemSession session, IReadOnlyList<(string Path, AwsInputKind Kind)> files, DateTimeOffset takenAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(files);
        List<string> Of(AwsInputKind kind) => [.. files.Where(f => f.Kind == kind).Select(f => f.Path)];
        var (authzFiles, orgFiles, rpFiles, credentialFiles) =
            (Of(AwsInputKind.AuthorizationDetails), Of(AwsInputKind.Organization), Of(AwsInputKind.ResourcePolicies), Of(AwsInputKind.CredentialReport));
        if (files.Any(f => f.Kind == AwsInputKind.Unknown) || orgFiles.Count > 1)
        {
            throw new ArgumentException("every file must be known and at most one an Organizations bundle", nameof(files));
        }
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var counts = default(ImportCounts);
        var sources = ImmutableArray.CreateBuilder<string>();
        var inventory = AwsInventory.Empty;
        if (authzFiles.Count > 0)
        {
            var authz = AuthorizationDetailsReader.ReadFiles(authzFiles, takenAt);
            diagnostics.AddRange(authz.Diagnostics);
            counts += authz.Counts;
            sources.AddRange(authz.SourceFiles);
            inventory = authz.Value.ToInventory();
        }
        if (orgFiles.Count == 1)
        {
            var org = OrganizationsReader.ReadFile(orgFiles[0], takenAt);
            diagnostics.AddRange(org.Diagnostics);
            counts += org.Counts;
            sources.AddRange(org.SourceFiles);
            inventory = inventory with { Organization = org.Value };
        }
        if (rpFiles.Count > 0)
        {
            var rp = ResourcePoliciesReader.ReadFiles(rpFiles);
            diagnostics.AddRange(rp.Diagnostics);
            counts += rp.Counts;
            sources.AddRange(rp.SourceFiles);
            inventory = inventory with { ResourcePolicies = rp.Value, ResourcePoliciesTakenAt = takenAt };
        }
        if (credentialFiles.Count > 0)
        {
            var reports = CredentialReportReader.ReadFiles(credentialFiles);
            diagnostics.AddRange(reports.Diagnostics);
            counts += reports.Counts;
            sources.AddRange(reports.SourceFiles);
            inventory = inventory with { CredentialReports = [.. reports.Value.Select(r => r with { GeneratedAt = r.GeneratedAt ?? takenAt })] };
        }
        if (counts.Imported == 0 && diagnostics.Any(d => d.Severity == Severity.Error))
        {
            return new AwsImportResult(inventory, null, counts, diagnostics.ToImmutable());
        }
        session.Imported();
        var summary = session.Store.ImportAws(new AwsImportRequest(inventory, now, sources.ToImmutable(), counts));
        return new AwsImportResult(inventory, summary, counts, diagnostics.ToImmutable());
    }

    /// <summary>Recognises an input file from its first top-level property names (a credential report from its header or `ReportFormat`).</summary>
    public static AwsInputKind Detect(string path)
    {
        try
        {
            // UTF-16 and a byte order mark are read through; the readers report invalid UTF-8 later.
            var (buffer, whole) = Ciem.Import.InputFiles.ReadHead(path, 64 * 1024);
            var read = buffer.Length;
            if (CredentialReportReader.Looks(System.Text.Encoding.UTF8.GetString(buffer, 0, read))) { return AwsInputKind.CredentialReport; }
            var reader = new Utf8JsonReader(buffer.AsSpan(0, read), isFinalBlock: whole, state: default);
            var depth = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        depth++;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        depth--;
                        break;
                    case JsonTokenType.PropertyName when depth is 1 or 2:
                        var name = reader.GetString() ?? "";
                        if (name is "UserDetailList" or "GroupDetailList" or "RoleDetailList" or "Policies") { return AwsInputKind.AuthorizationDetails; }
                        if (name is "Format" or OrganizationsReader.DescribeOrganization or OrganizationsReader.ListRoots) { return AwsInputKind.Organization; }
                        if (name.StartsWith("arn:", StringComparison.Ordinal)) { return AwsInputKind.ResourcePolicies; }
                        reader.Skip();
                        break;
                    default:
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or IOException)
        {
            // Not JSON at all (or truncated early), or a name that is not text: unknown.
        }
        return AwsInputKind.Unknown;
    }
}
