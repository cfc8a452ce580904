using Ciem.Tests;

namespace Ciem.Import.Tests.Azure;

/// <summary>Paths of the Azure samples (our own, in `Azure/Samples`) and of the shared built-in role snapshot.</summary>
internal static class AzureSamples
{
    public static string Sample(string name) => TestPaths.Repo("tests", "Ciem.Import.Tests", "Azure", "Samples", name);

    public static FileStream Open(string name) => File.OpenRead(Sample(name));

    public static string[] BuiltInRoleFiles() =>
        Directory.GetFiles(TestPaths.Shared("azure-builtin-roles-and-operations", "azure-roles"), "*.json").Order(StringComparer.Ordinal).ToArray();

    public static string[] OperationFiles() =>
        Directory.GetFiles(TestPaths.Shared("azure-builtin-roles-and-operations", "azure-provider-operations"), "*.json").Order(StringComparer.Ordinal).ToArray();
}
