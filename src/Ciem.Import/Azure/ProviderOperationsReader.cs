using System.Collections.Immutable;
using System.Text.Json;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Diagnostics;
using Ciem.Import.Json;

namespace Ciem.Import.Azure;

/// <summary>One operation as `az provider operation list` prints it.</summary>
public sealed record ProviderOperation(string Provider, string Name, bool IsDataAction, string? DisplayName, string? Description);

/// <summary>
/// Reads `az provider operation list` (an array of providers) or `az provider operation show --namespace X` (one
/// provider): each provider has `operations` and `resourceTypes[].operations`, each operation `name`, `isDataAction`,
/// `displayName`, `description`. An operation without `name` is quarantined.
/// </summary>
public static class ProviderOperationsReader
{
    public static ImportResult<ImmutableArray<ProviderOperation>> Read(Stream stream, string name)
    {
        var run = NewRun();
        run.Visit(stream, name, record => Provider(run, record));
        return Build(run);
    }

    public static ImportResult<ImmutableArray<ProviderOperation>> ReadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var run = NewRun();
        foreach (var path in paths)
        {
            using var stream = InputFiles.OpenRead(path, 1 << 16);
            run.Visit(stream, path, record => Provider(run, record));
        }
        return Build(run);
    }

    /// <summary>A catalog of the operations read (duplicates ignoring case dropped).</summary>
    public static AzureOperationCatalog ToCatalog(string sourceVersion, IEnumerable<ProviderOperation> operations) =>
        AzureOperationCatalog.Create(sourceVersion, operations.Select(o => (o.Name, o.IsDataAction, o.DisplayName)));

    // The same operation is often listed by several resource types or providers: duplicates are counted, not warned.
    private static AzureReaderRun<ProviderOperation> NewRun() =>
        new("operation", o => (o.IsDataAction ? "D:" : "C:") + o.Name, warnDuplicates: false);

    private static ImportResult<ImmutableArray<ProviderOperation>> Build(AzureReaderRun<ProviderOperation> run)
    {
        if (run.Skipped > 0)
        {
            run.Diagnostics.Add(Diagnostic.Info(DiagnosticCodes.AzureDuplicate,
                $"{run.Skipped} operations were listed more than once (ignoring case); each was kept once"));
        }
        return run.Build();
    }

    private static bool Provider(AzureReaderRun<ProviderOperation> run, AzureRecord record)
    {
        var provider = record.Required("name", "a resource provider");
        if (provider is null) { return false; }
        Operations(run, record, record.Value("operations"), record.PathOf("operations"), provider);
        var i = 0;
        foreach (var (type, _) in record.Element.Items("resourceTypes"))
        {
            Operations(run, record, type.Property("operations"), $"{record.PathOf("resourceTypes")}[{i++}].operations", provider);
        }
        return true;
    }

    private static void Operations(AzureReaderRun<ProviderOperation> run, AzureRecord owner, JsonElement? operations, string path, string provider)
    {
        if (operations is not { ValueKind: JsonValueKind.Array } array) { return; }
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var location = owner.Location.Under($"{path}[{i++}]");
            if (item.String("name") is not { Length: > 0 } name)
            {
                run.Diagnostics.Error(DiagnosticCodes.AzureMissingField, $"an operation of provider `{provider}` has no `name`; it was skipped", location);
                continue;
            }
            run.Add(new ProviderOperation(provider, name, item.Bool("isDataAction") ?? false, item.String("displayName"), item.String("description")), location);
        }
    }
}
