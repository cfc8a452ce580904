using System.Collections.Immutable;
using Ciem.Core.Model;

namespace Ciem.Core.Paths.Clouds;

/// <summary>
/// One way a principal of Azure, Entra ID, GCP or across clouds becomes another (or an administrator of a scope):
/// <see cref="Needs"/> names what must already exist, <see cref="Source"/> the documentation it comes from.
/// </summary>
public sealed record CloudTechnique(string Id, string Provider, string Title, string? Needs, string Source);

/// <summary>The Azure, Entra ID, GCP and cross-cloud techniques the multi-cloud graph models (docs/attack-paths.md).</summary>
public static class CloudTechniques
{
    public const string Entra = "entra";
    public const string CrossCloud = "cross-cloud";
    private const string AzureRbac = "Azure RBAC documentation (built-in roles, role assignments, ABAC conditions)";
    private const string AzureCompute = "Azure documentation of the service (run command, extensions, deployment)";
    private const string EntraRoles = "Microsoft Entra built-in roles documentation";
    private const string GcpIam = "Google Cloud IAM documentation (service account impersonation, roles)";
    private const string GcpActAs = "Google Cloud documentation: attaching a service account to a resource (iam.serviceAccounts.actAs)";
    private const string Federation = "providers' federation documentation (workload identity federation, web identity)";

    private static CloudTechnique Azure(string id, string title, string source = AzureRbac, string? needs = null) => new(id,
        Provider.AzureName, title, needs, source);

    private static CloudTechnique Gcp(string id, string title, string source = GcpIam) => new(id, Provider.GcpName, title, null, source);

    // ---------- Azure ----------
    public static readonly CloudTechnique AzureAdministrator = Azure("azure-administrator",
        "administrator of the scope: Owner-level control (role assignments and every service's writes), conditions evaluated");
    public static readonly CloudTechnique AzureRoleAssignmentWrite = Azure("azure-role-assignment-write",
        "Microsoft.Authorization/roleAssignments/write at the scope: assigns itself Owner (User Access"
        + " Administrator, RBAC Administrator, custom roles)");
    public static readonly CloudTechnique AzureRoleDefinitionWrite = Azure("azure-role-definition-write",
        "Microsoft.Authorization/roleDefinitions/write on a custom role it holds at the scope: adds `*` to its own role");
    public static readonly CloudTechnique AzurePimActivation = Azure("azure-pim-activation",
        "activates a PIM-eligible role assignment, then uses it");
    public static readonly CloudTechnique AzureVmRunCommand = Azure("azure-vm-run-command",
        "runs code on a virtual machine (runCommand, runCommands/write or extensions/write) and takes its managed identity's token",
        AzureCompute, "a virtual machine with the identity");
    public static readonly CloudTechnique AzureVmssRunCommand = Azure("azure-vmss-run-command",
        "runs code on a scale set's instances (runCommand or extensions/write) as its managed identity", AzureCompute,
            "a scale set with the identity");
    public static readonly CloudTechnique AzureWebAppDeploy = Azure("azure-web-app-deploy",
        "deploys code to an App Service or Function app (publishing profile, app settings) that runs as the identity", AzureCompute,
            "a web or function app with the identity");
    public static readonly CloudTechnique AzureAutomationRunbook = Azure("azure-automation-runbook",
        "writes and starts a runbook of an Automation account that runs as the identity", AzureCompute,
            "an Automation account with the identity");
    public static readonly CloudTechnique AzureLogicApp = Azure("azure-logic-app",
        "rewrites and triggers a Logic App workflow that authenticates as the identity", AzureCompute, "a workflow with the identity");
    public static readonly CloudTechnique AzureContainerExec = Azure("azure-container-exec",
        "executes a command in (or rewrites) a container group that runs as the identity", AzureCompute,
            "a container group with the identity");
    public static readonly CloudTechnique AzureUserAssignedIdentity = Azure("azure-assign-user-assigned-identity",
        "assigns a user-assigned identity (userAssignedIdentities/assign/action) to a virtual machine"
        + " it may create in the identity's resource group",
        AzureCompute);
    public static readonly CloudTechnique AzureFederatedCredential = Azure("azure-federated-credential",
        "adds a federated identity credential to a user-assigned identity"
        + " (federatedIdentityCredentials/write) trusting an issuer it controls",
        "Microsoft Entra workload identity federation documentation");
    public static readonly CloudTechnique AzureResourceWrite = Azure("azure-resource-write",
        "writes a resource of a type the catalogue does not model that carries the identity (may or may not run code)", AzureCompute,
            "the resource");

    // ---------- Entra ID ----------
    public static readonly CloudTechnique EntraAppOwner = new("entra-app-owner", Entra,
        "owner of an application registration: adds a client secret or certificate and signs in as its service principal", null,
            EntraRoles);
    public static readonly CloudTechnique EntraServicePrincipalOwner = new("entra-sp-owner", Entra,
        "owner of a service principal: adds a credential to it and signs in as it", null, EntraRoles);
    public static readonly CloudTechnique EntraApplicationAdministrator = new("entra-application-administrator", Entra,
        "Application Administrator or Cloud Application Administrator (or Global Administrator): adds"
        + " credentials to any application's service principal",
        null, EntraRoles);
    public static readonly CloudTechnique EntraElevateAccess = new("entra-elevate-access", Entra,
        "Global Administrator: elevates itself to User Access Administrator at the root scope `/`"
        + " (Microsoft.Authorization/elevateAccess/action)",
        null, EntraRoles);
    public static readonly CloudTechnique EntraPrivilegedRoleAdministrator = new("entra-privileged-role-administrator", Entra,
        "Privileged Role Administrator: assigns itself Global Administrator, then elevates to User Access Administrator at `/`", null,
            EntraRoles);
    public static readonly CloudTechnique EntraPasswordReset = new("entra-reset-credentials", Entra,
        "resets the password (and, for the authentication roles, the sign-in methods) of users its directory role may manage", null,
            EntraRoles);

    // ---------- GCP ----------
    public static readonly CloudTechnique GcpAdministrator = Gcp("gcp-administrator",
        "administrator of the project, folder or organisation: setIamPolicy and every service's writes,"
        + " conditions and deny policies evaluated");
    public static readonly CloudTechnique GcpSetIamPolicy = Gcp("gcp-set-iam-policy",
        "setIamPolicy on the project, folder or organisation: grants itself roles/owner");
    public static readonly CloudTechnique GcpUpdateCustomRole = Gcp("gcp-update-custom-role",
        "iam.roles.update on a custom role it holds: adds any permission to its own role where it is bound");
    public static readonly CloudTechnique GcpGetAccessToken = Gcp("gcp-get-access-token",
        "iam.serviceAccounts.getAccessToken (Service Account Token Creator): mints an access token of the service account");
    public static readonly CloudTechnique GcpSignJwt = Gcp("gcp-sign-jwt",
        "iam.serviceAccounts.signJwt: signs a JWT assertion as the service account and exchanges it for a token");
    public static readonly CloudTechnique GcpSignBlob = Gcp("gcp-sign-blob",
        "iam.serviceAccounts.signBlob: signs a self-made JWT as the service account and exchanges it for a token");
    public static readonly CloudTechnique GcpImplicitDelegation = Gcp("gcp-implicit-delegation",
        "iam.serviceAccounts.implicitDelegation on a service account that may mint tokens of another: a delegation chain");
    public static readonly CloudTechnique GcpServiceAccountKey = Gcp("gcp-service-account-key",
        "iam.serviceAccountKeys.create: creates and downloads a key of the service account");
    public static readonly CloudTechnique GcpServiceAccountSetIamPolicy = Gcp("gcp-service-account-set-iam-policy",
        "iam.serviceAccounts.setIamPolicy on the service account: grants itself Token Creator on it");
    public static readonly CloudTechnique GcpActAsCompute = Gcp("gcp-actas-compute",
        "iam.serviceAccounts.actAs + compute.instances.create (with disks and subnetwork use): a VM running as the service account",
            GcpActAs);
    public static readonly CloudTechnique GcpActAsFunctions = Gcp("gcp-actas-cloudfunctions",
        "iam.serviceAccounts.actAs + cloudfunctions.functions.create or sourceCodeSet: a function running as the service account",
            GcpActAs);
    public static readonly CloudTechnique GcpActAsRun = Gcp("gcp-actas-run",
        "iam.serviceAccounts.actAs + run.services.create or run.jobs.create: a Cloud Run service running as the service account", GcpActAs);
    public static readonly CloudTechnique GcpActAsCloudBuild = Gcp("gcp-actas-cloudbuild",
        "iam.serviceAccounts.actAs + cloudbuild.builds.create: a build running as the service account", GcpActAs);
    public static readonly CloudTechnique GcpActAsDataflow = Gcp("gcp-actas-dataflow",
        "iam.serviceAccounts.actAs + dataflow.jobs.create: a Dataflow job whose workers run as the service account", GcpActAs);
    public static readonly CloudTechnique GcpActAsComposer = Gcp("gcp-actas-composer",
        "iam.serviceAccounts.actAs + composer.environments.create: a Composer environment running as the service account", GcpActAs);

    // ---------- across clouds ----------
    public static readonly CloudTechnique WorkloadIdentityFromAws = new("gcp-workload-identity-aws", CrossCloud,
        "a GCP workload identity pool principal bound in IAM that names the AWS role's sessions (attribute.aws_role or subject)",
            null, Federation);
    public static readonly CloudTechnique WorkloadIdentityFromAzure = new("gcp-workload-identity-azure", CrossCloud,
        "a GCP workload identity pool principal whose subject is the Azure principal's object id (a token of its Entra tenant)", null,
            Federation);
    public static readonly CloudTechnique AwsWebIdentityFromGoogle = new("aws-web-identity-google", CrossCloud,
        "sts:AssumeRoleWithWebIdentity with a Google ID token of the service account (trust of `accounts.google.com`)", null, Federation);
    public static readonly CloudTechnique AwsWebIdentityFromEntra = new("aws-web-identity-entra", CrossCloud,
        "sts:AssumeRoleWithWebIdentity with an Entra ID token of the service principal or managed identity (trust of the tenant's issuer)",
            null, Federation);
    public static readonly CloudTechnique PersonFederation = new("person-federation", CrossCloud,
        "the person signs in to each cloud identity their directory accounts federate into (the identity linking of `ciem person`)", null,
        "the directories' federation (Identity Center, SAML apps, Entra, Google)");
    public static readonly CloudTechnique AwsPath = new("aws-attack-path", Provider.AwsName,
        "the AWS attack graph's path from the role to an administrator of its account", null, "docs/attack-paths.md, AWS catalogue");
    public static readonly CloudTechnique AwsAdministrator = new("aws-administrator", Provider.AwsName,
        "administrator of the AWS account (AwsAdminProbe)", null, "docs/attack-paths.md, AWS catalogue");

    /// <summary>A hub's edge to each member of its class (one decision reaches them all).</summary>
    public static readonly CloudTechnique ClassMember = new("class-member", CrossCloud, "a member of the class", null,
        "graph construction");

    public static ImmutableArray<CloudTechnique> Modelled { get; } =
    [
        AzureAdministrator, AzureRoleAssignmentWrite, AzureRoleDefinitionWrite, AzurePimActivation, AzureVmRunCommand, AzureVmssRunCommand,
        AzureWebAppDeploy, AzureAutomationRunbook, AzureLogicApp, AzureContainerExec, AzureUserAssignedIdentity, AzureFederatedCredential,
        AzureResourceWrite, EntraAppOwner, EntraServicePrincipalOwner, EntraApplicationAdministrator, EntraElevateAccess,
        EntraPrivilegedRoleAdministrator, EntraPasswordReset, GcpAdministrator, GcpSetIamPolicy, GcpUpdateCustomRole, GcpGetAccessToken,
        GcpSignJwt, GcpSignBlob, GcpImplicitDelegation, GcpServiceAccountKey, GcpServiceAccountSetIamPolicy, GcpActAsCompute,
        GcpActAsFunctions, GcpActAsRun, GcpActAsCloudBuild, GcpActAsDataflow, GcpActAsComposer, WorkloadIdentityFromAws,
        WorkloadIdentityFromAzure, AwsWebIdentityFromGoogle, AwsWebIdentityFromEntra, PersonFederation, AwsPath, AwsAdministrator,
    ];
}
