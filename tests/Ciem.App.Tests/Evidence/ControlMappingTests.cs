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
    public void Default_References_PinnedToTheOfficialTexts()
    {
        // Given the shipped mapping, checked against the EUR-Lex texts (docs/evidence.md, "Control mapping")
        var controls = ControlMapping.Default.Frameworks.SelectMany(f => f.Controls.Select(c => (Framework: f.Key, Control: c)))
            .ToDictionary(x => $"{x.Framework} {x.Control.Id}", x => x.Control);

        // Then each reference names the article, paragraph and point as the texts number them
        Assert.Equal("Directive (EU) 2022/2555, Article 21(2), point (i)", controls["nis2 Art. 21(2)(i)"].Source);
        Assert.Equal(["CIR 2024/2690 Annex 11.1", "CIR 2024/2690 Annex 11.2", "CIR 2024/2690 Annex 11.3"],
            controls.Keys.Where(k => k.StartsWith("nis2 CIR", StringComparison.Ordinal)).Select(k => k[5..]).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("Privileged accounts and system administration accounts", controls["nis2 CIR 2024/2690 Annex 11.3"].Title);
        // And the implementing regulation's scope (only the entity types of its Article 1) is said on each of its points
        Assert.All(controls.Where(c => c.Key.StartsWith("nis2 CIR", StringComparison.Ordinal)),
            c => Assert.EndsWith("(the entities of its Article 1)", c.Value.Source, StringComparison.Ordinal));
        Assert.Equal("Regulation (EU) 2022/2554, Article 9(4), point (c)", controls["dora Art. 9(4)(c)"].Source);
        Assert.EndsWith("and ensure a sound administration thereof", controls["dora Art. 9(4)(c)"].Title, StringComparison.Ordinal);
        // And the RTS has two access-control articles: 21 (full framework) and 33 (simplified framework, DORA Article 16(1))
        Assert.Equal("Delegated Regulation (EU) 2024/1774, Article 21", controls["dora RTS 2024/1774 Art. 21"].Source);
        Assert.Equal("Access control", controls["dora RTS 2024/1774 Art. 33"].Title);
        Assert.Contains("Article 16(1) of Regulation (EU) 2022/2554", controls["dora RTS 2024/1774 Art. 33"].Source, StringComparison.Ordinal);
        // And ISO/IEC 27001 gives numbers and titles only (the standard's text is not freely published)
        Assert.Equal(["A.5.15", "A.5.16", "A.5.18", "A.8.2"],
            controls.Where(c => c.Key.StartsWith("iso27001 ", StringComparison.Ordinal)).Select(c => c.Value.Id).Order(StringComparer.Ordinal).ToArray());
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
