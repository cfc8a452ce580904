namespace Ciem.Server.Tests;

/// <summary>`ciem-server.yml`: read whole or refused with the file, line and key.</summary>
public sealed class ServerOptionsTests
{
    private static string? Env(string name) => name == "CIEM_OIDC_SECRET" ? "s3cret" : null;

    [Fact]
    public void Parse_FullFile_EveryValueRead()
    {
        // Given a file with every key
        const string yaml = """
            db: postgres://ciem@db/ciem
            urls: http://0.0.0.0:8080;http://127.0.0.1:9090
            secureCookies: false
            keys: /var/lib/ciem/keys
            login: { permits: 3, windowSeconds: 30 }
            oidc:
              authority: https://accounts.google.com
              clientId: abc.apps.googleusercontent.com
              clientSecretEnv: CIEM_OIDC_SECRET
              displayName: Google
            """;

        // When it is parsed
        var (options, errors) = ServerOptions.Parse(yaml, "ciem-server.yml", Env);

        // Then every value is taken, the secret from the environment
        Assert.Empty(errors);
        Assert.Equal("postgres://ciem@db/ciem", options!.Db);
        Assert.Equal("http://0.0.0.0:8080;http://127.0.0.1:9090", options.Urls);
        Assert.False(options.SecureCookies);
        Assert.Equal((3, 30), (options.LoginPermits, options.LoginWindowSeconds));
        Assert.Equal(("https://accounts.google.com", "abc.apps.googleusercontent.com", "s3cret", "Google"),
            (options.Oidc!.Authority, options.Oidc.ClientId, options.Oidc.ClientSecret, options.Oidc.DisplayName));
    }

    [Theory]
    [InlineData("ports: 8080\n", "ciem-server.yml, line 1: unknown key `ports`")]
    [InlineData("login:\n  permits: 0\n", "line 2: `login.permits` `0` is not a whole number of 1 or more")]
    [InlineData("secureCookies: yes\n", "`secureCookies` `yes` is not `true` or `false`")]
    [InlineData("oidc:\n  authority: accounts.google.com\n  clientId: x\n", "`oidc.authority` `accounts.google.com` is not an absolute http(s) URL")]
    [InlineData("oidc:\n  authority: https://a.example\n", "`oidc.clientId` is missing")]
    [InlineData("oidc:\n  authority: https://a.example\n  clientId: x\n  clientSecretEnv: NOT_SET\n", "names `NOT_SET`, which is not set")]
    [InlineData("db: [a, b\n", "not valid yaml")]
    public void Parse_BadFile_LocatedErrorAndNoOptions(string yaml, string expected)
    {
        // Given a file with one mistake; When it is parsed
        var (options, errors) = ServerOptions.Parse(yaml, "ciem-server.yml", Env);

        // Then nothing is returned and the error says where and why
        Assert.Null(options);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal) && e.StartsWith("error CIEM7201: ciem-server.yml, line ", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_JobsSection_LeftToTheJobsReader()
    {
        // Given a server file with a `jobs:` section (read by Ciem.App.Jobs.JobsConfigReader, which `ciem serve` runs)
        const string yaml = "urls: http://127.0.0.1:5077\njobs:\n  - name: alerts\n    kind: alerts\n    schedule: \"15 * * * *\"\n    rules: ciem-alerts.yml\n";

        // When it is parsed
        var (options, errors) = ServerOptions.Parse(yaml, "ciem-server.yml", Env);

        // Then the server's own keys are read and the section is no error (a misspelt top key still is)
        Assert.Empty(errors);
        Assert.Equal("http://127.0.0.1:5077", options!.Urls);
        Assert.Contains(ServerOptions.Parse("job:\n  - name: x\n", "ciem-server.yml", Env).Errors, e => e.Contains("unknown key `job`", StringComparison.Ordinal));
    }
}
