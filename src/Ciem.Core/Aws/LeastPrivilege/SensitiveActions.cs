using System.Collections.Frozen;

namespace Ciem.Core.Aws.LeastPrivilege;

/// <summary>
/// Data-plane actions a reviewer must see when a proposal keeps them without evidence of use: they bypass
/// retention, change who can read data, copy it elsewhere or destroy its history.
/// </summary>
public static class SensitiveActions
{
    private static readonly FrozenDictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["s3:BypassGovernanceRetention"] = "governance bypass",
        ["s3:PutObjectRetention"] = "retention change",
        ["s3:PutObjectLegalHold"] = "legal hold change",
        ["s3:PutObjectAcl"] = "ACL write",
        ["s3:PutObjectVersionAcl"] = "ACL write",
        ["s3:PutBucketAcl"] = "ACL write",
        ["s3:PutReplicationConfiguration"] = "replication",
        ["s3:ReplicateObject"] = "replication",
        ["s3:ReplicateDelete"] = "replication",
        ["s3:ReplicateTags"] = "replication",
        ["s3:ObjectOwnerOverrideToBucketOwner"] = "replication",
        ["s3:DeleteObjectVersion"] = "version deletion",
        ["s3:DeleteObjectVersionTagging"] = "version deletion",
        ["dynamodb:DeleteBackup"] = "backup deletion",
        ["lambda:AddPermission"] = "resource policy write",
        ["sqs:AddPermission"] = "resource policy write",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Why an action is sensitive, or null.</summary>
    public static string? ReasonFor(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Reasons.TryGetValue(action, out var why) ? why : null;
    }
}
