using Ciem.Collect.Aws;
using Ciem.Collect.Azure;
using Ciem.Core.Diagnostics;

namespace Ciem.Collect.Tests;

/// <summary>
/// The collectors' settings as a host receives them (<see cref="CollectSettings"/>), called directly: each refusal's code
/// and message, the credentials read from the environment, the values each option becomes.
/// </summary>
public sealed class CollectSettingsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    private static CollectException Refused(Action read) => Assert.Throws<CollectException>(read);

    [Theory]
    [InlineData(1)]
    [InlineData(45)]
    public void Call_PositiveTimeout_TheDefaultPolicyWithIt(int seconds)
    {
        var call = CollectSettings.Call(seconds);

        Assert.Equal(CallPolicy.Default with { Timeout = TimeSpan.FromSeconds(seconds) }, call);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Call_TimeoutBelowOne_RefusedAsABadArgument(int seconds)
    {
        var ex = Refused(() => CollectSettings.Call(seconds));

        Assert.Equal((DiagnosticCodes.CliBadArgument, "`--timeout` must be at least 1"), (ex.Code, ex.Message));
    }

    [Fact]
    public void ResourcePolicies_AllNoneAndAList_TheServicesNamed()
    {
        Assert.Same(AwsCollectOptions.AllResourcePolicyServices, CollectSettings.ResourcePolicies("all"));
        Assert.Empty(CollectSettings.ResourcePolicies("none"));
        Assert.Equal(["kms", "s3"], CollectSettings.ResourcePolicies(" s3 ,kms,"));
    }

    [Theory]
    [InlineData("s3,s4")]
    [InlineData(",")]
    [InlineData("All")]
    public void ResourcePolicies_UnknownOrEmpty_RefusedNamingTheValueAndTheChoices(string text)
    {
        var ex = Refused(() => CollectSettings.ResourcePolicies(text));

        Assert.Equal(DiagnosticCodes.CliBadArgument, ex.Code);
        Assert.StartsWith($"`--resource-policies` is `{text}`; expected `all`, `none` or a list of ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("secretsmanager", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_NotAbsolute_RefusedAsABadSettingNamingTheOption()
    {
        Assert.Null(CollectSettings.Url(null, "--admin-endpoint"));
        Assert.Equal(new Uri("http://127.0.0.1:9/"), CollectSettings.Url("http://127.0.0.1:9/", "--admin-endpoint"));

        var ex = Refused(() => CollectSettings.Url("admin.example", "--admin-endpoint"));

        Assert.Equal((DiagnosticCodes.CollectBadSetting, "`--admin-endpoint` `admin.example` is not an absolute url"), (ex.Code, ex.Message));
    }

    [Fact]
    public void Azure_CloudFromTheEnvironment_UsedWhenTheOptionIsAbsent()
    {
        var connection = CollectSettings.Azure(null, null, null, 30, Env(("AZURE_CLOUD", "AzureChinaCloud")));

        Assert.Equal(AzureCloud.China, connection.Cloud);
        Assert.Equal(TimeSpan.FromSeconds(30), connection.Call.Timeout);
    }

    [Fact]
    public void Azure_OptionOverTheEnvironmentAndEndpoints_Kept()
    {
        var connection = CollectSettings.Azure("azurecloud", "https://arm.example/", "https://graph.example/", 5,
            Env(("AZURE_CLOUD", "AzureChinaCloud")));

        Assert.Equal(AzureCloud.Public, connection.Cloud);
        Assert.Equal(new Uri("https://arm.example/"), connection.Arm);
        Assert.Equal(new Uri("https://graph.example/"), connection.Graph);
    }

    [Fact]
    public void Azure_UnknownCloud_RefusedListingTheClouds()
    {
        var ex = Refused(() => CollectSettings.Azure("AzureGermany", null, null, 30, Env()));

        Assert.Equal(DiagnosticCodes.CliBadArgument, ex.Code);
        Assert.Equal("`--cloud` is `AzureGermany`; expected one of `AzureCloud`, `AzureChinaCloud`, `AzureUSGovernment`", ex.Message);
    }

    [Fact]
    public void Okta_OrgFromTheEnvironmentAndToken_Options()
    {
        var options = CollectSettings.Okta(null, 10, dryRun: false,
            Env(("OKTA_ORG_URL", "https://example.okta.com"), ("OKTA_API_TOKEN", "00abc")));

        Assert.Equal(new Uri("https://example.okta.com"), options.OrgUrl);
        Assert.Equal("00abc", options.Token);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Call.Timeout);
        Assert.False(options.DryRun);
    }

    [Fact]
    public void Okta_NoToken_RefusedAsMissingCredentialsUnlessADryRun()
    {
        var env = Env(("OKTA_ORG_URL", "https://example.okta.com"));

        var ex = Refused(() => CollectSettings.Okta(null, 30, dryRun: false, env));
        var dry = CollectSettings.Okta(null, 30, dryRun: true, env);

        Assert.Equal(DiagnosticCodes.CollectCredentials, ex.Code);
        Assert.Contains("`OKTA_API_TOKEN`", ex.Message, StringComparison.Ordinal);
        Assert.Equal(("", true), (dry.Token, dry.DryRun));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("example.okta.com")]
    public void Okta_NoAbsoluteOrgUrl_RefusedAsABadArgument(string? url)
    {
        var ex = Refused(() => CollectSettings.Okta(url, 30, dryRun: true, Env()));

        Assert.Equal(DiagnosticCodes.CliBadArgument, ex.Code);
    }

    [Fact]
    public void Pull_SinceAndSettle_TheWindowRules()
    {
        var pull = CollectSettings.Pull("2026-10-01", 0, 2, dryRun: true);

        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), pull.Since);
        Assert.Equal((TimeSpan.Zero, 2, true), (pull.Settle, pull.Parallelism, pull.DryRun));
        Assert.Null(CollectSettings.Pull(null, 30, 4, dryRun: false).Since);
    }

    [Theory]
    [InlineData("2026-13-01", 30, 4, "`--since` is `2026-13-01`; expected a date `YYYY-MM-DD`")]
    [InlineData("01/10/2026", 30, 4, "`--since` is `01/10/2026`; expected a date `YYYY-MM-DD`")]
    [InlineData(null, -1, 4, "`--settle` must be at least 0 and `--parallel` at least 1")]
    [InlineData(null, 30, 0, "`--settle` must be at least 0 and `--parallel` at least 1")]
    public void Pull_Unusable_RefusedSayingWhy(string? since, int settle, int parallel, string message)
    {
        var ex = Refused(() => CollectSettings.Pull(since, settle, parallel, dryRun: false));

        Assert.Equal((DiagnosticCodes.CliBadArgument, message), (ex.Code, ex.Message));
    }

    [Theory]
    [InlineData(AccountStatus.Read, "read")]
    [InlineData(AccountStatus.NotRead, "not-read")]
    [InlineData(AccountStatus.Planned, "planned")]
    public void Status_AsTheDocumentsSpellIt(AccountStatus status, string expected) => Assert.Equal(expected, CollectJson.Status(status));
}
