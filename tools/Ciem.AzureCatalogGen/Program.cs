using Ciem.AzureCatalogGen;
using Ciem.Import.Azure;

// Ciem.AzureCatalogGen <folder of `az provider operation show` JSON files, or one `list` file> <source version> <output .tsv.gz>
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Ciem.AzureCatalogGen <operations folder or file> <source version> <output file>");
    return 3;
}

try
{
    var inputs = Directory.Exists(args[0])
        ? Directory.GetFiles(args[0], "*.json").Order(StringComparer.Ordinal).ToArray()
        : [args[0]];
    var read = ProviderOperationsReader.ReadFiles(inputs);
    foreach (var diagnostic in read.Diagnostics) { Console.Error.WriteLine(diagnostic); }
    if (read.Diagnostics.HasErrors) { return 3; }
    var catalog = ProviderOperationsReader.ToCatalog(args[1], read.Value);
    using (var output = File.Create(args[2]))
    {
        AzureCatalogWriter.Write(catalog, output);
    }
    Console.WriteLine($"wrote {args[2]}: {catalog.Count} operations ({catalog.DataActions.Count} data actions) from {inputs.Length} files, {new FileInfo(args[2]).Length} bytes");
    return 0;
}
catch (IOException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
