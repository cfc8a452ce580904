using Ciem.App.Evidence;

namespace Ciem.App.Tests.Evidence;

public sealed class ControlMappingTests
{
    [Fact]
    public void Default_ShippedFile_EveryControlValidAndEverySectionMapped()
    {
        // Given the mapping shipped as an embedded resource
        var mapping = ControlMapping.Default;

        // When it is checked
        var problems = mapping.Problems();

        // Then every referenced section exists, every section is mapped in every framework, and the controls are there
        Assert.Empty(problems);
        Assert.Equal(["dora", "iso27001", "nis2"], mapping.Frameworks.Select(f => f.Key).Order(StringComparer.Ordinal).ToArray());
        var iso = mapping.Frameworks.Single(f => f.Key == "iso27001").Controls.ToDictionary(c => c.Id, c => c.Title);
        Assert.Equal("Access control", iso["A.5.15"]);
        Assert.Equal("Identity management", iso["A.5.16"]);
        Assert.Equal("Access rights", iso["A.5.18"]);
        Assert.Equal("Privileged access rights", iso["A.8.2"]);
        var nis2 = mapping.Frameworks.Single(f => f.Key == "nis2").Controls.ToDictionary(c => c.Id, c => c.Title);
        Assert.Equal("human resources security, access control policies and asset management", nis2["Art. 21(2)(i)"]);
        Assert.Equal("Management of access rights", nis2["CIR 2024/2690 Annex 11.2"]);
        var dora = mapping.Frameworks.Single(f => f.Key == "dora").Controls.ToDictionary(c => c.Id, c => c.Title);
        Assert.StartsWith("implement policies that limit the physical or logical access", dora["Art. 9(4)(c)"], StringComparison.Ordinal);
        Assert.Equal("Access control", dora["RTS 2024/1774 Art. 21"]);
    }

    [Fact]
    public void Problems_UnknownAndUnmappedSections_Named()
    {
        // Given a mapping whose control names a section that does not exist and leaves one section unmapped
        var yaml = """
            sections:
              inventory: Identity inventory
              trend: Trend
            frameworks:
              iso27001:
                name: ISO
                controls:
                  - { id: A.5.16, title: Identity management, source: Annex A 5.16, sections: [inventory, invntory] }
            """;

        // When it is checked
        var problems = ControlMapping.Parse(yaml).Problems();

        // Then each mistake is named
        Assert.Contains("iso27001 control `A.5.16` names unknown section `invntory`", problems);
        Assert.Contains("section `trend` is mapped to no iso27001 control", problems);
        Assert.Contains("framework `nis2` is missing", problems);
    }
}
