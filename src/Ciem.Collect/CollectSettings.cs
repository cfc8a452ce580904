using System.Globalization;
using Ciem.Collect.Aws;
using Ciem.Collect.Azure;
using Ciem.Collect.Okta;
using Ciem.Collect.Usage;
using Ciem.Core.Diagnostics;

namespace Ciem.Collect;

/// <summary>
/// A collector's settings as a host receives them (text and numbers from a command line, a job or a form) checked
/// once and turned into its options, with the credentials the environment holds. An unusable setting throws a
/// <see cref="CollectException"/> whose code is <see cref="DiagnosticCodes.CliBadArgument"/> (a value out of range),
/// <see cref="DiagnosticCodes.CollectBadSetting"/> (an unusable url) or <see cref="DiagnosticCodes.CollectCredentials"/>
/// (a missing credential), and whose message names the option as the command line spells it.
/// </summary>
public static class CollectSettings
{
    /// <summary>The call policy with <paramref name="timeoutSeconds"/> per call (at least 1).</summary>
    public static CallPolicy Call(int timeoutSeconds) => timeoutSeconds < 1
        ? throw Bad("`--timeout` must be at least 1")
        : CallPolicy.Default with { Timeout = TimeSpan.FromSeconds(timeoutSeconds) };

    /// <summary>`all`, `none` or a comma-separated list of <see cref="AwsCollectOptions.AllResourcePolicyServices"/>.</summary>
    public static IReadOnlySet<string> ResourcePolicies(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "all") { return AwsCollectOptions.AllResourcePolicyServices; }
        if (text == "none") { return new SortedSet<string>(StringComparer.Ordinal); }
        var services = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return services.Count > 0 && services.All(AwsCollectOptions.AllResourcePolicyServices.Contains)
            ? new SortedSet<string>(services, StringComparer.Ordinal)
            : throw Bad($"`--resource-policies` is `{text}`; expected `all`, `none` or a list of "
                + string.Join(", ", AwsCollectOptions.AllResourcePolicyServices));
    }

    /// <summary>An endpoint override: null when not given, else an absolute url.</summary>
    public static Uri? Url(string? text, string option)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (text is null) { return null; }
        return Uri.TryCreate(text, UriKind.Absolute, out var uri)
            ? uri
            : throw new CollectException(DiagnosticCodes.CollectBadSetting, $"`{option}` `{text}` is not an absolute url");
    }

    /// <summary>
    /// The Azure connection: <paramref name="cloud"/> (default $AZURE_CLOUD, else AzureCloud), the endpoint overrides and
    /// the call timeout, its endpoints checked before any call.
    /// </summary>
    public static AzureConnection Azure(string? cloud, string? arm, string? graph, int timeoutSeconds, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var name = cloud ?? environment("AZURE_CLOUD") ?? AzureCloud.Public.Name;
        if (AzureCloud.Find(name) is not { } found)
        {
            throw Bad($"`--cloud` is `{name}`; expected one of {string.Join(", ", AzureCloud.All.Select(c => $"`{c.Name}`"))}");
        }
        var call = Call(timeoutSeconds);
        var connection = new AzureConnection
        {
            Cloud = found, ArmEndpoint = Url(arm, "--arm-endpoint"), GraphEndpoint = Url(graph, "--graph-endpoint"), Call = call,
        };
        _ = connection.Arm;
        _ = connection.Graph;
        return connection;
    }

    /// <summary>
    /// The Okta org (<paramref name="orgUrl"/>, default $OKTA_ORG_URL) and its API token ($OKTA_API_TOKEN, needed unless
    /// it is a dry run).
    /// </summary>
    public static OktaCollectOptions Okta(string? orgUrl, int timeoutSeconds, bool dryRun, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var url = orgUrl ?? environment("OKTA_ORG_URL");
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var org) || timeoutSeconds < 1)
        {
            throw Bad("`--org-url` (or $OKTA_ORG_URL) must be the org's absolute url, and `--timeout` at least 1");
        }
        var token = environment("OKTA_API_TOKEN");
        if (string.IsNullOrEmpty(token) && !dryRun)
        {
            throw new CollectException(DiagnosticCodes.CollectCredentials,
                "no okta api token: set `OKTA_API_TOKEN` (a read-only administrator's token)");
        }
        return new OktaCollectOptions(org, token ?? "") { Call = Call(timeoutSeconds), DryRun = dryRun };
    }

    /// <summary>
    /// The window rules of a log pull: <paramref name="since"/> (`YYYY-MM-DD`, where a first collection starts), the
    /// minutes each window ends before now, the streams read at once.
    /// </summary>
    public static LogPullOptions Pull(string? since, int settleMinutes, int parallelism, bool dryRun)
    {
        DateTimeOffset? start = null;
        if (since is not null)
        {
            if (!DateOnly.TryParseExact(since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw Bad($"`--since` is `{since}`; expected a date `YYYY-MM-DD`");
            }
            start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        if (settleMinutes < 0 || parallelism < 1) { throw Bad("`--settle` must be at least 0 and `--parallel` at least 1"); }
        return new LogPullOptions
        {
            Since = start, Settle = TimeSpan.FromMinutes(settleMinutes), Parallelism = parallelism, DryRun = dryRun,
        };
    }

    /// <summary>A value outside what the option accepts (the command line's own code).</summary>
    public static CollectException Bad(string message) => new(DiagnosticCodes.CliBadArgument, message);
}
