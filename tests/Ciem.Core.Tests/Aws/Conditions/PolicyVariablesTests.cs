using Ciem.Core.Aws.Conditions;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Matching;

namespace Ciem.Core.Tests.Aws.Conditions;

public sealed class PolicyVariablesTests
{
    private static readonly RequestContext Bob = RequestContext.Create(
    [
        new("aws:username", ContextValue.Single("bob")),
        new("aws:PrincipalTag/team", ContextValue.Single("da*ta?")),
        new("aws:TagKeys", ContextValue.Multi(["a"])),
    ]);

    [Fact]
    public void TryExpand_KnownVariable_SubstitutesValue()
    {
        // Given a resource template with the user name
        // When it is expanded for bob
        var ok = PolicyVariables.TryExpand("arn:aws:s3:::bucket/home/${aws:username}/*", Bob, PolicyLanguageVersion.V20121017, out var pattern);

        // Then the variable is replaced and the template's own wildcard kept
        Assert.True(ok);
        Assert.Equal("arn:aws:s3:::bucket/home/bob/*", pattern);
    }

    [Fact]
    public void TryExpand_ValueWithWildcards_EscapesSubstitutedValue()
    {
        // Given a tag value containing `*` and `?`
        Assert.True(PolicyVariables.TryExpand("team/${aws:PrincipalTag/team}", Bob, PolicyLanguageVersion.V20121017, out var pattern));

        // Then they are escaped and match only themselves
        Assert.Equal(@"team/da\*ta\?", pattern);
        Assert.True(Wildcard.IsMatch(pattern, "team/da*ta?", ignoreCase: false, escapes: true));
        Assert.False(Wildcard.IsMatch(pattern, "team/daXXtaY", ignoreCase: false, escapes: true));
    }

    [Theory]
    [InlineData("a${*}b", @"a\*b")]
    [InlineData("a${?}b", @"a\?b")]
    [InlineData("a${$}b", "a$b")]
    [InlineData("${ * }", @"\*")]
    [InlineData(@"back\slash*", @"back\\slash*")]
    public void TryExpand_SpecialCharacters_AreLiteral(string template, string expected)
    {
        // Given a template with special-character variables; When expanded; Then they are literal characters
        Assert.True(PolicyVariables.TryExpand(template, RequestContext.Empty, PolicyLanguageVersion.V20121017, out var pattern));
        Assert.Equal(expected, pattern);
    }

    [Fact]
    public void TryExpand_MissingKeyWithoutDefault_ReturnsFalse()
    {
        // Given no aws:username in the context; When expanded; Then the value cannot match
        Assert.False(PolicyVariables.TryExpand("home/${aws:username}", RequestContext.Empty, PolicyLanguageVersion.V20121017, out _));
    }

    [Fact]
    public void TryExpand_MissingKeyWithDefault_UsesDefault()
    {
        // Given a default value with a doubled quote and spaces around the key
        Assert.True(PolicyVariables.TryExpand("${ aws:PrincipalTag/owner , 'it''s*' }", RequestContext.Empty, PolicyLanguageVersion.V20121017, out var pattern));

        // Then the default is used, unquoted and escaped
        Assert.Equal(@"it's\*", pattern);
    }

    [Fact]
    public void TryExpand_MultivaluedKey_IsNotAVariable()
    {
        // Given aws:TagKeys, a multivalued key; When used as a variable; Then it does not resolve
        Assert.False(PolicyVariables.TryExpand("${aws:TagKeys}", Bob, PolicyLanguageVersion.V20121017, out _));
    }

    [Fact]
    public void TryExpand_Version20081017_KeepsTemplateLiteral()
    {
        // Given the 2008-10-17 language; When expanded; Then no substitution happens
        Assert.True(PolicyVariables.TryExpand("home/${aws:username}/*", Bob, PolicyLanguageVersion.V20081017, out var pattern));
        Assert.Equal("home/${aws:username}/*", pattern);
    }

    [Fact]
    public void TryExpand_KeyNameInOtherCase_Resolves()
    {
        Assert.True(PolicyVariables.TryExpand("${AWS:USERNAME}", Bob, PolicyLanguageVersion.V20121017, out var pattern));
        Assert.Equal("bob", pattern);
    }

    [Theory]
    [InlineData("${aws:username")]
    [InlineData("${}")]
    [InlineData("${aws:x, default}")]
    [InlineData("${aws:x, 'unterminated}")]
    public void IsWellFormed_Malformed_ReportsError(string template)
    {
        // Given a malformed variable; Then it is reported and expansion fails
        Assert.False(PolicyVariables.IsWellFormed(template, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.False(PolicyVariables.TryExpand(template, Bob, PolicyLanguageVersion.V20121017, out _));
    }
}
