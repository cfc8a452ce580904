using Ciem.App.Iac;
using Ciem.Import.Iac;

namespace Ciem.Cli.Commands;

/// <summary>`--hcl DIR [--base-ref REF]` read through <see cref="TerraformFolder"/>; null after printing why it cannot be.</summary>
internal static class HclInput
{
    public static IacReadResult? Read(CliHost host, DirectoryInfo dir, string? baseRef)
    {
        var read = TerraformFolder.Read(dir, baseRef);
        if (read.Error is null) { return read.Result; }
        if (read.Result is { } unreadable) { StoreAccess.WriteDiagnostics(host, unreadable.Diagnostics); }
        host.Error.WriteLine($"error: {read.Error}");
        return null;
    }
}
