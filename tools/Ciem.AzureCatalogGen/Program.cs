using Ciem.AzureCatalogGen;
using Ciem.Core.Azure.Catalog;
using Ciem.Import.Azure;

// Ciem.AzureCatalogGen <folder of `az provider operation show` JSON files, or one `list` file> <source version> <output .tsv.gz>
//                      [<folder of `az role definition list --name X` JSON files, or one `list` file> <output .jsonl.gz>]
if (args.Length is not (3 or 5))
{
    Console.Error.WriteLine("usage: Ciem.AzureCatalogGen <operations folder or file> <source version> <output file> [<role definitions folder or file> <roles output file>]");
    return 3;
}

try
{
    var read = ProviderOperationsReader.ReadFiles(JsonInputs(args[0]));
    foreach (var diagnostic in read.Diagnostics) { Console.Error.WriteLine(diagnostic); }
    if (read.Diagnostics.HasErrors) { return 3; }
    var catalog = ProviderOperationsReader.ToCatalog(args[1], read.Value);
    using (var output = File.Create(args[2]))
    {
        AzureCatalogWriter.Write(catalog, output);
    }
    Console.WriteLine($"wrote {args[2]}: {catalog.Count} operations ({catalog.DataActions.Count} data actions) from {JsonInputs(args[0]).Length} files, {new FileInfo(args[2]).Length} bytes");
    if (args.Length == 5)
    {
        var definitions = RoleDefinitionsReader.ReadFiles(JsonInputs(args[3]));
        foreach (var diagnostic in definitions.Diagnostics) { Console.Error.WriteLine(diagnostic); }
        if (definitions.Diagnostics.HasErrors) { return 3; }
        // Custom roles in a `list` file are tenant content, not part of the shipped catalog.
        var roles = AzureBuiltInRoles.Create(args[1], definitions.Value.Where(d => d.IsBuiltIn));
        using (var output = File.Create(args[4]))
        {
            AzureBuiltInRoles.Write(roles, output);
        }
        Console.WriteLine($"wrote {args[4]}: {roles.Count} built-in roles ({roles.Roles.Count(r => r.Permissions.Any(p => !p.DataActions.IsEmpty))} with data actions), {new FileInfo(args[4]).Length} bytes");
    }
    return 0;
}
catch (IOException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}

static string[] JsonInputs(string path) => Directory.Exists(path)
    ? Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToArray()
    : [path];
