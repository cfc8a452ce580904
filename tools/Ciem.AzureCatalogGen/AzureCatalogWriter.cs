using System.IO.Compression;
using System.Text;
using Ciem.Core.Azure.Catalog;

namespace Ciem.AzureCatalogGen;

/// <summary>
/// Writes the compact line format <see cref="AzureOperationCatalog.Load"/> reads: a header
/// <c>ciem-azure-operations TAB 1 TAB source TAB count</c>, then <c>name TAB C|D TAB displayName</c> per operation in
/// catalog order. Deterministic: the same catalog gives the same bytes.
/// </summary>
public static class AzureCatalogWriter
{
    public static void Write(AzureOperationCatalog catalog, Stream output)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        writer.WriteLine(string.Join('\t', AzureOperationCatalog.FormatMagic, AzureOperationCatalog.FormatVersion, Field(catalog.SourceVersion), catalog.Count));
        foreach (var operation in catalog.Operations)
        {
            writer.WriteLine(string.Join('\t', Field(operation.Name), operation.IsDataAction ? "D" : "C", Field(operation.DisplayName ?? "")));
        }
    }

    private static string Field(string text) => text.ReplaceLineEndings(" ").Replace('\t', ' ').Trim();
}
