using Ciem.App.Reports;

namespace Ciem.App.Tests.Reports;

/// <summary>The scripts the sweep's report inlines are embedded in Ciem.App, whole and of the version the docs name.</summary>
public sealed class ReportAssetsTests
{
    [Fact]
    public void Cytoscape_Embedded_IsTheBundledReleaseWithItsNotice()
    {
        // Given the assembly / When the embedded library and its licence are read
        var script = ReportAssets.Cytoscape;
        var license = ReportAssets.CytoscapeLicense;

        // Then the script starts with the Cytoscape Consortium's copyright and permission notice, declares version 3.35.0,
        // is the whole minified release (it ends with its UMD wrapper's close) and cannot end a script element early
        Assert.StartsWith("/**\n * Copyright (c) 2016-2026, The Cytoscape Consortium.\n *\n * Permission is hereby granted, free of charge",
            script, StringComparison.Ordinal);
        Assert.Equal("3.35.0", ReportAssets.CytoscapeVersion);
        Assert.Contains("cf.version=\"3.35.0\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("cf.version=\"3.34", script, StringComparison.Ordinal);
        Assert.InRange(script.Length, 400_000, 500_000);
        Assert.EndsWith("cf}));\n", script, StringComparison.Ordinal);
        Assert.DoesNotContain("</script", script, StringComparison.OrdinalIgnoreCase);

        // And the licence is the package's MIT text
        Assert.StartsWith("Copyright (c) 2016-2026, The Cytoscape Consortium.", license, StringComparison.Ordinal);
        Assert.Contains("THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND", license, StringComparison.Ordinal);
    }
}
