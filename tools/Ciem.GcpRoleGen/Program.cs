using Ciem.Core.Gcp.Catalog;
using Ciem.GcpRoleGen;

// Ciem.GcpRoleGen <iam-dataset gcp/roles folder> <source version> <output .tsv.gz>
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Ciem.GcpRoleGen <gcp roles folder> <source version> <output file>");
    return 3;
}

try
{
    var roles = RoleSource.Read(args[0]);
    using (var output = File.Create(args[2]))
    {
        GcpRoleCatalog.Write(args[1], roles.Select(r => (r.Name, r.Stage, r.Title, (IEnumerable<string>)r.Permissions)), output);
    }
    var pairs = roles.Sum(r => r.Permissions.Distinct(StringComparer.Ordinal).Count());
    var distinct = roles.SelectMany(r => r.Permissions).Distinct(StringComparer.Ordinal).Count();
    Console.WriteLine($"wrote {args[2]}: {roles.Count} roles, {distinct} permissions, {pairs} role-permission pairs, {new FileInfo(args[2]).Length} bytes");
    return 0;
}
catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
