using Ciem.CatalogGen;

// ciem-catalog-gen <iam-data data/ folder> <source version> <output .tsv.gz>
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Ciem.CatalogGen <iam-data data folder> <source version> <output file>");
    return 3;
}

try
{
    var source = CatalogGenerator.ReadSource(args[0]);
    using (var output = File.Create(args[2]))
    {
        CatalogGenerator.Write(source, args[1], output);
    }
    foreach (var warning in source.Warnings) { Console.Error.WriteLine($"warning: {warning}"); }
    Console.WriteLine($"wrote {args[2]}: {source.Services.Count} services, {source.ActionCount} actions, {new FileInfo(args[2]).Length} bytes");
    return 0;
}
catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
