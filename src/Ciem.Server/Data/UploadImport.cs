using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Ciem.App;
using Ciem.App.Imports;
using Ciem.Core.Diagnostics;
using Ciem.Core.Directories;
using Ciem.Import.Aws;
using Ciem.Storage;
using Microsoft.AspNetCore.Http;

namespace Ciem.Server.Data;

/// <summary>An upload's outcome: the files as named by the browser, the snapshots written, the counts and every diagnostic (located in those files).</summary>
public sealed record UploadResult(ImmutableArray<string> Files, ImmutableArray<SnapshotWrite> Snapshots, ImportCounts Counts, ImmutableArray<string> Diagnostics);

/// <summary>
/// Exports uploaded through the browser or the API, imported as `ciem import aws|azure|gcp|directory` imports them
/// (App's <see cref="AwsImport"/>, <see cref="AzureImport"/>, <see cref="GcpImport"/>, <see cref="DirectoryImport"/>):
/// each file streamed to a private temp folder under its own name, its kind recognised from its content, all of them in
/// one transaction. A file that is not a recognised export, two Organizations bundles, or files with any error are
/// refused with the file named, and the store is left unchanged.
/// </summary>
public static partial class UploadImport
{
    /// <summary>The largest upload (all files together).</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    public const int MaxFiles = 50;

    /// <summary>What the server imports from uploads (the route's last segment), as the CLI's `ciem import` verbs.</summary>
    public static readonly ImmutableArray<string> Kinds = ["aws", "azure", "gcp", "directory"];

    public static Task<Answer<UploadResult>> AwsAsync(StoreLocation location, IReadOnlyList<IFormFile> files, DateTimeOffset now,
        CancellationToken cancel) =>
        ImportAsync("aws", location, files, null, now, cancel);

    /// <summary>
    /// Imports the uploaded <paramref name="files"/> as <paramref name="kind"/> (one of <see cref="Kinds"/>; a directory
    /// upload names its <paramref name="source"/>: identity-center, entra, okta or google).
    /// </summary>
    public static async Task<Answer<UploadResult>> ImportAsync(string kind, StoreLocation location, IReadOnlyList<IFormFile> files,
        string? source, DateTimeOffset now, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(files);
        if (!Kinds.Contains(kind)) { throw new ArgumentException($"no upload of kind `{kind}`", nameof(kind)); }
        var directory = DirectorySource.Entra;
        if (kind == "directory" && !DirectorySources.TryParse(source, out directory))
        {
            return Fail($"`source` `{source}` is not a directory: use `identity-center`, `entra`, `okta` or `google`");
        }
        if (files.Count == 0) { return Fail($"choose one or more files to import (`files`)"); }
        if (files.Count > MaxFiles) { return Fail($"{files.Count} files in one upload: at most {MaxFiles}"); }
        var folder = Directory.CreateTempSubdirectory("ciem-upload-");
        try
        {
            var saved = new List<(string Path, string Name)>();
            foreach (var file in files)
            {
                var name = SafeName(file.FileName, saved.Select(s => s.Name));
                var path = Path.Combine(folder.FullName, name);
                await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    await file.CopyToAsync(target, cancel).ConfigureAwait(false);
                }
                saved.Add((path, name));
            }
            var prefix = folder.FullName + Path.DirectorySeparatorChar;
            string Located(Diagnostic d) => d.ToString().Replace(prefix, "", StringComparison.Ordinal);
            if (kind == "aws") { return Aws(location, saved, now, Located); }
            using var session = new CiemSession(location);
            string[] paths = [.. saved.Select(s => s.Path)];
            var result = kind switch
            {
                "azure" => AzureImport.Import(session, paths, null, null, now, allOrNothing: true),
                "gcp" => GcpImport.Import(session, paths, null, null, now, allOrNothing: true),
                _ => DirectoryImport.Import(session, directory, paths, null, now, allOrNothing: true).Result,
            };
            if (!result.Refusals.IsEmpty)
            {
                return Fail(Refused([.. result.Refusals.Select(Located)]), result.Refusals[0].Code);
            }
            var diagnostics = result.Diagnostics.Select(Located).ToImmutableArray();
            if (!result.Imported)
            {
                var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(Located).ToList();
                return Fail(errors.Count > 0 ? Refused(errors)
                    : $"nothing could be imported; the store was not changed: {string.Join("; ", diagnostics)}");
            }
            return Answer.Ok(new UploadResult([.. saved.Select(s => s.Name)], result.Writes, result.Counts, diagnostics));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Answer<UploadResult> Aws(StoreLocation location, List<(string Path, string Name)> saved, DateTimeOffset now,
        Func<Diagnostic, string> located)
    {
        var kinds = saved.Select(s => (s.Path, Kind: AwsImport.Detect(s.Path))).ToList();
        var unknown = saved.Where((_, i) => kinds[i].Kind == AwsInputKind.Unknown).Select(s => s.Name).ToList();
        if (unknown.Count > 0)
        {
            return Fail(string.Join("; ", unknown.Select(n => $"`{n}` is not an AWS authorization-details export, an Organizations bundle, "
                + "a resource-policy file or a credential report (docs/import-formats.md)")), DiagnosticCodes.ImportUnknownFormat);
        }
        var bundles = saved.Where((_, i) => kinds[i].Kind == AwsInputKind.Organization).Select(s => s.Name).ToList();
        if (bundles.Count > 1)
        {
            var named = string.Join(", ", bundles.Select(b => $"`{b}`"));
            return Fail($"more than one Organizations bundle ({named}): import one organization at a time");
        }
        // All or nothing: a file with any error (truncated, not the format its start promised, a record that cannot
        // be read) is refused before anything is written; `ciem import aws` is the way to import around bad records.
        var errors = kinds.SelectMany(k => Read(k.Path, k.Kind, now)).Where(d => d.Severity == Severity.Error).Select(located).ToList();
        if (errors.Count > 0) { return Fail(Refused(errors)); }
        using var session = new CiemSession(location);
        var result = AwsImport.Import(session, kinds, now, now);
        var diagnostics = result.Diagnostics.Select(located).ToImmutableArray();
        if (result.Summary is not { } summary)
        {
            return Fail($"nothing could be imported; the store was not changed: {string.Join("; ", diagnostics)}");
        }
        return Answer.Ok(new UploadResult([.. saved.Select(s => s.Name)], summary.Snapshots, result.Counts, diagnostics));
    }

    private static string Refused(List<string> errors) =>
        $"the upload was refused and nothing was imported: {string.Join("; ", errors.Take(20))}"
        + (errors.Count > 20 ? $"; and {errors.Count - 20} more" : "");

    /// <summary>One file read by the reader of its kind (what <see cref="AwsImport.Import"/> reads), for its diagnostics only.</summary>
    private static IEnumerable<Diagnostic> Read(string path, AwsInputKind kind, DateTimeOffset takenAt) => kind switch
    {
        AwsInputKind.AuthorizationDetails => AuthorizationDetailsReader.ReadFiles([path], takenAt).Diagnostics,
        AwsInputKind.Organization => OrganizationsReader.ReadFile(path, takenAt).Diagnostics,
        AwsInputKind.ResourcePolicies => ResourcePoliciesReader.ReadFiles([path]).Diagnostics,
        AwsInputKind.CredentialReport => CredentialReportReader.ReadFiles([path]).Diagnostics,
        _ => Array.Empty<Diagnostic>(),
    };

    /// <summary>The browser's file name without any folder, limited to plain characters, distinct from those before it.</summary>
    private static string SafeName(string? given, IEnumerable<string> taken)
    {
        var name = Unsafe().Replace(Path.GetFileName((given ?? "").Replace('\\', '/')), "_").TrimStart('.');
        if (name.Length == 0) { name = "upload"; }
        if (name.Length > 100) { name = name[^100..]; }
        var used = taken.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var candidate = name;
        for (var n = 2; used.Contains(candidate); n++) { candidate = $"{n}-{name}"; }
        return candidate;
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex Unsafe();

    private static Answer<UploadResult> Fail(string message, string code = ServerCodes.BadUpload) =>
        Answer.Fail<UploadResult>(StatusCodes.Status400BadRequest, $"error {code}: {message}");
}
