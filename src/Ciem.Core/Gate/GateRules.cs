using System.Collections.Immutable;

namespace Ciem.Core.Gate;

/// <summary>
/// The CI gate's rules, for every provider: their ids, default severities and titles. The AWS rules' logic is
/// `Ciem.Core.Aws.Gate.AwsGateRules`; Azure's and GCP's are `AzureGate` and `GcpGate`.
/// </summary>
public static class GateRules
{
    public const string NewAdmin = "new-admin";
    public const string NewEscalation = "new-escalation";
    public const string SensitiveWildcard = "sensitive-wildcard";
    public const string NewPublicTrust = "new-public-trust";
    public const string NewCrossAccountTrust = "new-cross-account-trust";
    public const string RemovedUsedPermission = "removed-used-permission";
    public const string UnusedGrant = "unused-grant";
    public const string IndeterminateChange = "indeterminate-change";
    public const string BroadScope = "broad-scope";
    public const string InvalidPolicy = "invalid-policy";
    public const string RegrownReduction = "regrown-reduction";
    public const string NewEscalationPath = "new-escalation-path";

    public static readonly ImmutableArray<GateRule> All =
    [
        new(NewAdmin, FindingSeverity.Critical, "new administrative access", "the principal becomes administrative: allowed on every resource an action that lets it grant itself any permission (docs/effective-permissions.md); in Azure and GCP also a new Owner, Contributor, User Access Administrator, roles/owner or roles/editor grant, or a role with `*` actions or resourcemanager.*.setIamPolicy"),
        new(NewEscalation, FindingSeverity.High, "new privilege-escalation path", "newly allowed: a policy-writing action, iam:PassRole with a compute service, sts:AssumeRole on `*`, iam:CreateAccessKey for other users; in Azure role assignment or definition writes, or assigning a managed identity with a compute service; in GCP acting as or minting tokens for a service account, creating its keys, or setting an IAM policy"),
        new(SensitiveWildcard, FindingSeverity.High, "wildcard on a sensitive service", "a new Allow statement uses `*`, `NotAction` or a wildcard action on iam, kms, s3, sts, organizations, secretsmanager, ssm, lambda or cloudtrail; an Azure role definition with `*` or a wildcard on Authorization, KeyVault, ManagedIdentity or Storage; a GCP admin role of iam, resourcemanager, cloudkms, secretmanager or storage"),
        new(NewPublicTrust, FindingSeverity.Critical, "new public access", "a trust or resource policy newly lets anyone (`Principal: *` without a restricting condition) assume the role or use the resource, or a GCP binding newly names allUsers or allAuthenticatedUsers"),
        new(NewCrossAccountTrust, FindingSeverity.High, "new cross-account access", "a trust or resource policy newly lets another AWS account (outside the known organisation) in, an Azure assignment is delegated to another tenant, or a GCP binding names a member of a foreign domain"),
        new(RemovedUsedPermission, FindingSeverity.High, "removes used permissions", "the change removes actions the principal used in the usage window (breakage risk)"),
        new(UnusedGrant, FindingSeverity.Low, "grants beyond observed usage", "the change grants actions the principal did not use in the usage window"),
        new(IndeterminateChange, FindingSeverity.Medium, "content unknown before apply", "a policy's content is known only after apply: its effect cannot be checked"),
        new(BroadScope, FindingSeverity.Medium, "grant at a broad scope", "a new Azure role assignment at the root, a management group or a subscription, or a GCP binding on an organization or folder"),
        new(InvalidPolicy, FindingSeverity.High, "policy AWS would reject", "a policy repeats a JSON name (`{\"Effect\":\"Allow\",…,\"Effect\":\"Deny\"}`): IAM rejects it while JSON readers silently keep the last value, so the statement decides nothing and is indeterminate"),
        new(RegrownReduction, FindingSeverity.High, "re-adds removed permissions",
            "the change grants the principal again permissions that a delivered least-privilege reduction removed (needs --db with recorded reductions)"),
        new(NewEscalationPath, FindingSeverity.High, "new multi-hop path to an administrator",
            "with the estate (--db), a principal that could not become an administrator before the change can after it, through two or more steps (assume a role, pass it to a service, write a policy …), reported with the path; group and standalone managed-policy changes are not applied to the graph"),
    ];

    public static GateRule Find(string id) => All.First(r => r.Id == id);
}
