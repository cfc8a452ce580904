namespace Ciem.App.Reports;

/// <summary>
/// The third-party scripts the sweep's HTML report inlines, embedded in this assembly (never fetched: the report is one
/// file that opens offline): Cytoscape.js, which draws the risk section's attack paths.
/// </summary>
public static class ReportAssets
{
    /// <summary>The bundled Cytoscape.js (npm `cytoscape`, MIT, `Reports/Assets/cytoscape.LICENSE.txt`).</summary>
    public const string CytoscapeVersion = "3.35.0";

    private static readonly Lazy<string> CytoscapeText = new(() => Load("cytoscape.min.js"));

    /// <summary>`cytoscape.min.js`, starting with its copyright and permission notice.</summary>
    public static string Cytoscape => CytoscapeText.Value;

    /// <summary>Cytoscape.js's licence, as the package ships it.</summary>
    public static string CytoscapeLicense => Load("cytoscape.LICENSE.txt");

    private static string Load(string name)
    {
        using var stream = typeof(ReportAssets).Assembly.GetManifestResourceStream("Ciem.App.Reports.Assets." + name)
            ?? throw new InvalidOperationException($"the report asset `{name}` is not embedded in Ciem.App");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
