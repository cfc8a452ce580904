using Ciem.Core.Aws.Effective;

namespace Ciem.Core.Tests.Aws.Effective;

public sealed class OidcTrustTests
{
    private static string Trust(string provider, string conditions, string action = "sts:AssumeRoleWithWebIdentity", string effect = "Allow") => $$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"{{effect}}","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/{{provider}}"},"Action":"{{action}}","Condition":{{conditions}}}]}
        """;

    [Fact]
    public void Repositories_GitHubSubInStringLikeAndArrays_EachRepositoryOnce()
    {
        // Given a GitHub Actions trust naming one repository by branch and another by environment, and the first again
        var trust = Trust(OidcTrust.GitHubProvider, """
            {"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},
             "StringLike":{"token.actions.githubusercontent.com:sub":["repo:example-org/data-pipelines:ref:refs/heads/main","repo:example-org/infra:environment:prod","repo:example-org/data-pipelines:pull_request"]}}
            """);

        // When / Then
        Assert.Equal(["github:example-org/data-pipelines", "github:example-org/infra"], OidcTrust.Repositories(trust).ToArray());
        Assert.Equal("github:example-org/data-pipelines, github:example-org/infra", OidcTrust.OwnerHint(trust));
    }

    [Fact]
    public void Repositories_GitLabProjectPath_GitLabRepository()
    {
        var trust = Trust("gitlab.com", """{"StringEquals":{"gitlab.com:sub":"project_path:data/etl:ref_type:branch:ref:main"}}""");

        Assert.Equal(["gitlab:data/etl"], OidcTrust.Repositories(trust).ToArray());
    }

    [Theory]
    [InlineData("""{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}""", "sts:AssumeRoleWithWebIdentity", "Allow")]
    [InlineData("""{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:example-org/x:*"}}""", "sts:AssumeRoleWithWebIdentity", "Deny")]
    [InlineData("""{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:example-org/x:*"}}""", "sts:AssumeRole", "Allow")]
    public void Repositories_NoSubOrDenyOrOtherAction_None(string conditions, string action, string effect)
    {
        // Given a trust that names no repository, denies, or is not for web identity / Then no hint
        Assert.Empty(OidcTrust.Repositories(Trust(OidcTrust.GitHubProvider, conditions, action, effect)));
    }

    [Fact]
    public void Repositories_NotJsonOrEmpty_None()
    {
        Assert.Empty(OidcTrust.Repositories("{not json"));
        Assert.Null(OidcTrust.OwnerHint(null));
    }
}
