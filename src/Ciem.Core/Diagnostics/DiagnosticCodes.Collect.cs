namespace Ciem.Core.Diagnostics;

/// <summary>Live collectors (`ciem collect …`) (CIEM69xx): what a cloud's API did not let a collector read.</summary>
public static partial class DiagnosticCodes
{
    /// <summary>A call was refused or failed (access denied, not found, a server error after the retries): what it would have read is missing.</summary>
    public const string CollectCallFailed = "CIEM6901";

    /// <summary>An account could not be read (its role could not be assumed, or a call it needs failed): it is listed as not read, the rest is written.</summary>
    public const string CollectAccountNotRead = "CIEM6902";

    /// <summary>A call did not answer within the time-out, after the retries.</summary>
    public const string CollectTimedOut = "CIEM6903";

    /// <summary>No usable credentials, or the service refused them (invalid or expired): nothing was read and nothing written.</summary>
    public const string CollectCredentials = "CIEM6904";

    /// <summary>The account is not in an organization (or may not read it): only the caller's account is read.</summary>
    public const string CollectNoOrganization = "CIEM6905";

    /// <summary>Resource policies of some account could not be read: the resource-policy snapshot is not replaced.</summary>
    public const string CollectResourcePoliciesKept = "CIEM6906";

    /// <summary>The IAM credential report could not be produced in time or read.</summary>
    public const string CollectCredentialReport = "CIEM6907";

    /// <summary>A CloudTrail trail's bucket or an object in it could not be read.</summary>
    public const string CollectCloudTrail = "CIEM6908";

    /// <summary>A collector setting is unusable (an endpoint URL that is not absolute http(s), an unknown profile or region).</summary>
    public const string CollectBadSetting = "CIEM6909";

    /// <summary>A subscription could not be read: its previous records are kept in the new snapshot.</summary>
    public const string CollectSubscriptionNotRead = "CIEM6910";

    /// <summary>The management-group tree could not be read: the previous tree is kept in the new snapshot.</summary>
    public const string CollectManagementGroupsNotRead = "CIEM6911";

    /// <summary>Group memberships could not be read from Microsoft Graph: the previous memberships are kept.</summary>
    public const string CollectGroupMembershipsNotRead = "CIEM6912";

    /// <summary>A record was listed by more than one call (an inherited assignment under each subscription): kept once.</summary>
    public const string CollectDuplicateRecord = "CIEM6913";

    /// <summary>A GCP project could not be read: its previous service accounts, keys and custom roles are kept.</summary>
    public const string CollectProjectNotRead = "CIEM6914";

    /// <summary>Something the collector does not read (GCP deny policies, group memberships) is kept from the current snapshot.</summary>
    public const string CollectKeptFromImport = "CIEM6915";

    /// <summary>A log stream (an Azure subscription's Activity Log, a GCP container's audit logs) was not read: its cursor stays, the
    /// next run reads it.</summary>
    public const string CollectLogStreamNotRead = "CIEM6916";

    /// <summary>A log stream's window was ingested by another run first: nothing of it was written this time.</summary>
    public const string CollectLogWindowTaken = "CIEM6917";

    /// <summary>GCP deny policies of an attachment point (organization, folder, project) could not be read: the previous ones are
    /// kept.</summary>
    public const string CollectDenyPoliciesNotRead = "CIEM6918";

    /// <summary>GCP group memberships could not be read from Cloud Identity: the previous memberships are kept.</summary>
    public const string CollectGcpGroupsNotRead = "CIEM6919";
}
