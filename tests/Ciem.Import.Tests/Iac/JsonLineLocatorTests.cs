using Ciem.Import.Json;

namespace Ciem.Import.Tests.Iac;

public sealed class JsonLineLocatorTests
{
    private const string Json = "{\n  \"a\": [\n    {\"b\": 1},\n    {\n      \"b\": \"{\\\"Statement\\\":[]}\"\n    }\n  ]\n}";

    [Theory]
    [InlineData("$", 1L)]
    [InlineData("$.a", 2L)]
    [InlineData("$.a[0].b", 3L)]
    [InlineData("$.a[1].b", 5L)]
    public void LineOf_Path_LineOfValue(string path, long line) => Assert.Equal(line, JsonLineLocator.LineOf(Json, path));

    [Fact]
    public void LineOfClosest_PathInsideStringValue_LineOfString()
    {
        // Given a path into a policy held as a JSON string
        Assert.Null(JsonLineLocator.LineOf(Json, "$.a[1].b.Statement[0]"));
        // Then the closest enclosing value's line is used
        Assert.Equal(5L, JsonLineLocator.LineOfClosest(Json, "$.a[1].b.Statement[0]"));
    }
}
