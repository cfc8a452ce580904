using System.Collections.Frozen;
using Ciem.Core.Aws.Catalog;

namespace Ciem.Core.Aws.Usage;

/// <summary>
/// Which CloudTrail data events the ingested logs show recorded in a window: per account and IAM service prefix
/// (`s3`, `lambda`, `dynamodb`, `sqs`…), from the `log_coverage` rows the ingestion writes (log
/// <see cref="LogName"/>, service `ACCOUNT/PREFIX`). A service whose data events a trail of the account delivered in
/// the window records its data events: an unseen data action of it is *unused*, not *unknown*. With
/// <see cref="AllRecorded"/> (`--data-events`) the user asserts every trail records every data event.
/// </summary>
public sealed class DataEventCoverage
{
    /// <summary>The `log` column of the `log_coverage` rows CloudTrail data events produce.</summary>
    public const string LogName = "cloudtrail-data";

    private readonly FrozenSet<string> _seen;
    private readonly CloudTrailCoverage _coverage;

    public DataEventCoverage(IEnumerable<(string Account, string Service)> seen, bool allRecorded = false, CloudTrailCoverage? coverage = null)
    {
        ArgumentNullException.ThrowIfNull(seen);
        _seen = seen.Select(s => Key(s.Account, s.Service)).ToFrozenSet(StringComparer.Ordinal);
        AllRecorded = allRecorded;
        _coverage = coverage ?? CloudTrailCoverage.Default;
    }

    /// <summary>No data events seen, and none asserted.</summary>
    public static DataEventCoverage None { get; } = new([]);

    public bool AllRecorded { get; }

    /// <summary>The (account, service) pairs with data events in the window, as `ACCOUNT/PREFIX`.</summary>
    public IReadOnlyCollection<string> Seen => _seen;

    /// <summary>`ACCOUNT/PREFIX`: the `service` column of a data-event coverage row.</summary>
    public static string Key(string account, string service) => $"{account}/{service}";

    /// <summary>Parses a coverage row's service column; false for anything else.</summary>
    public static bool TryParseKey(string key, out string account, out string service)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        account = slash > 0 ? key[..slash] : "";
        service = slash > 0 ? key[(slash + 1)..] : "";
        return slash > 0 && service.Length > 0;
    }

    /// <summary>Whether the action is a data event and the account's trails recorded that service's data events.</summary>
    public bool Records(string account, AwsAction action)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(action);
        return _coverage.IsRecorded(action) == CloudTrailRecording.DataEvent
            && (AllRecorded || _seen.Contains(Key(account, action.Service)));
    }
}
