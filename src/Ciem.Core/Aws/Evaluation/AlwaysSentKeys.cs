using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Ciem.Core.Aws.Evaluation;

/// <summary>
/// Global condition keys whose value AWS sets on each request and an imported estate cannot know (IAM User Guide,
/// "AWS global condition context keys", the Availability of each key). In `can`, `who-can`, `effective` and the sweep
/// they are unknown unless given: a condition on one of them is Indeterminate ("allowed when …"), never evaluated as
/// if the key were missing. `aws:CurrentTime` and `aws:EpochTime` are the as-of time when the host passes one.
/// </summary>
public static class AlwaysSentKeys
{
    /// <summary>The keys, each with the availability the guide documents.</summary>
    public static readonly ImmutableArray<(string Key, string Availability)> Keys =
    [
        ("aws:CurrentTime", "always included"),
        ("aws:EpochTime", "always included"),
        ("aws:SecureTransport", "always included"),
        ("aws:RequestedRegion", "always included"),
        ("aws:SourceIp", "included except when the request comes through a VPC endpoint"),
        ("aws:ViaAWSService", "always included"),
        ("aws:userid", "always included"),
        ("aws:MultiFactorAuthPresent", "included when the request is signed with temporary credentials"),
        ("aws:MultiFactorAuthAge", "included when MFA was used"),
        ("aws:TokenIssueTime", "included when the request is signed with temporary credentials"),
        ("aws:CalledVia", "included when a service makes the request on the principal's behalf"),
        ("aws:SourceVpc", "included when the request comes through a VPC endpoint"),
        ("aws:SourceVpce", "included when the request comes through a VPC endpoint"),
        ("aws:VpcSourceIp", "included when the request comes through a VPC endpoint"),
        ("aws:UserAgent", "included when the client sends it"),
        ("aws:Referer", "included when the client sends it"),
    ];

    public static readonly FrozenSet<string> Names = Keys.Select(k => k.Key).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// <paramref name="context"/> with the always-sent keys unknown where not given, and the time keys set to
    /// <paramref name="asOf"/> when there is one (a given `aws:CurrentTime` or `aws:EpochTime` wins).
    /// </summary>
    public static RequestContext Apply(RequestContext context, DateTimeOffset? asOf)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (asOf is { } now)
        {
            var time = new List<KeyValuePair<string, ContextValue>>(2);
            if (!context.Contains("aws:CurrentTime"))
            {
                time.Add(new("aws:CurrentTime", ContextValue.Single(now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))));
            }
            if (!context.Contains("aws:EpochTime"))
            {
                time.Add(new("aws:EpochTime", ContextValue.Single(now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }
            if (time.Count > 0) { context = context.With(time); }
        }
        return context.WithUnknown(Names);
    }
}
