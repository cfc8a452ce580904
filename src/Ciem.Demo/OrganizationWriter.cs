using System.Text.Json;
using System.Text.Json.Nodes;
using static Ciem.Demo.PolicyDocuments;

namespace Ciem.Demo;

/// <summary>
/// Writes the OpenCIEM Organizations bundle (`openciem-aws-organizations/1`: the unmodified outputs of the
/// `aws organizations` calls, keyed as in docs/import-formats.md section 2) and the resource-policy file.
/// FullAWSAccess and RCPFullAWSAccess are attached to the root, every OU and every account, as AWS does.
/// </summary>
internal static class OrganizationWriter
{
    private static readonly JsonSerializerOptions ContentOptions = new() { WriteIndented = true, IndentSize = 4 };
    private static readonly string[] PolicyTypes = ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"];

    private sealed record OrgUnit(string Id, string Name, string ParentId, string Path);

    private sealed record OrgPolicy(string Id, string Name, string Description, string Type, bool AwsManaged, JsonObject Content, List<string> Targets);

    public static long Write(string path, DemoPopulation population, int seed)
    {
        var rng = StableRandom.For(seed, 20);
        var org = population.OrganizationId;
        var root = population.RootId;
        var management = population.Management.Id;
        var units = new List<OrgUnit>();
        OrgUnit Unit(string name, string parent, string unitPath)
        {
            var unit = new OrgUnit($"ou-{root[2..]}-{rng.LowerAlnum(8)}", name, parent, unitPath);
            units.Add(unit);
            return unit;
        }
        Unit("Security", root, "Security");
        Unit("Infrastructure", root, "Infrastructure");
        var workloads = Unit("Workloads", root, "Workloads");
        Unit("Prod", workloads.Id, "Workloads/Prod");
        Unit("PreProd", workloads.Id, "Workloads/PreProd");
        Unit("Sandbox", root, "Sandbox");
        string ParentOf(DemoAccount account) => account.Ou.Length == 0 ? root : units.First(u => u.Path == account.Ou).Id;
        string OuId(string unitPath) => units.First(u => u.Path == unitPath).Id;

        var everything = new List<string> { root };
        everything.AddRange(units.Select(u => u.Id));
        everything.AddRange(population.Accounts.Select(a => a.Id));
        string PolicyId() => "p-" + rng.LowerAlnum(8);
        var policies = new List<OrgPolicy>
        {
            new("p-FullAWSAccess", "FullAWSAccess", "Allows access to every operation", "SERVICE_CONTROL_POLICY", true,
                Document(Statement(null, "Allow", ["*"], ["*"])), [.. everything]),
            new(PolicyId(), "DenyOutsideApprovedRegions", "Deny all actions outside eu-west-1 and us-east-1, except global services", "SERVICE_CONTROL_POLICY", false,
                Document(RegionGuardrail()), [OuId("Workloads"), OuId("Infrastructure"), OuId("Sandbox")]),
            new(PolicyId(), "DenyLeavingOrganization", "Member accounts may not leave the organization", "SERVICE_CONTROL_POLICY", false,
                Document(Statement("DenyLeaveOrganization", "Deny", ["organizations:LeaveOrganization"], ["*"])), [root]),
            new(PolicyId(), "DenyRootUser", "The root user of member accounts may do nothing", "SERVICE_CONTROL_POLICY", false,
                Document(Statement("DenyRootUser", "Deny", ["*"], ["*"], Condition("StringLike", "aws:PrincipalArn", "arn:aws:iam::*:root"))), [root]),
            new(PolicyId(), "ProtectSecurityTooling", "Nobody but the security team changes CloudTrail, GuardDuty and Config", "SERVICE_CONTROL_POLICY", false,
                Document(Statement("ProtectSecurityTooling", "Deny", ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "guardduty:DeleteDetector", "guardduty:DisassociateFromMasterAccount", "config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder"], ["*"],
                    Condition("ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_SecurityAudit_*", "arn:aws:iam::*:role/OrganizationAccountAccessRole"))), [OuId("Workloads"), OuId("Security")]),
            new("p-RCPFullAWSAccess", "RCPFullAWSAccess", "Allows access to every operation", "RESOURCE_CONTROL_POLICY", true,
                Document(new JsonObject { ["Effect"] = "Allow", ["Principal"] = "*", ["Action"] = "*", ["Resource"] = "*" }), [.. everything]),
            new(PolicyId(), "EnforceOrgIdentities", "Only principals of this organization, or AWS services, may access S3, KMS and Secrets Manager", "RESOURCE_CONTROL_POLICY", false,
                Document(new JsonObject
                {
                    ["Sid"] = "EnforceOrgIdentities",
                    ["Effect"] = "Deny",
                    ["Principal"] = "*",
                    ["Action"] = new JsonArray("s3:*", "kms:*", "secretsmanager:*", "sqs:*"),
                    ["Resource"] = "*",
                    ["Condition"] = new JsonObject
                    {
                        ["StringNotEqualsIfExists"] = new JsonObject { ["aws:PrincipalOrgID"] = org },
                        ["BoolIfExists"] = new JsonObject { ["aws:PrincipalIsAWSService"] = "false" },
                    },
                }), [OuId("Workloads")]),
        };

        string Arn(string kind, string id) => $"arn:aws:organizations::{management}:{kind}/{org}/{id}";
        string PolicyArn(OrgPolicy p) => p.AwsManaged
            ? $"arn:aws:organizations::aws:policy/{p.Type.ToLowerInvariant()}/{p.Id}"
            : $"arn:aws:organizations::{management}:policy/{org}/{p.Type.ToLowerInvariant()}/{p.Id}";

        return InventoryWriter.WriteJson(path, json =>
        {
            json.WriteStartObject();
            json.WriteString("Format", "openciem-aws-organizations/1");
            json.WriteStartObject("describe-organization");
            json.WriteStartObject("Organization");
            json.WriteString("Id", org);
            json.WriteString("Arn", $"arn:aws:organizations::{management}:organization/{org}");
            json.WriteString("FeatureSet", "ALL");
            json.WriteString("MasterAccountArn", Arn("account", management));
            json.WriteString("MasterAccountId", management);
            json.WriteString("MasterAccountEmail", population.Management.Email);
            json.WriteStartArray("AvailablePolicyTypes");
            WritePolicyType(json, "SERVICE_CONTROL_POLICY");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject("list-roots");
            json.WriteStartArray("Roots");
            json.WriteStartObject();
            json.WriteString("Id", root);
            json.WriteString("Arn", Arn("root", root));
            json.WriteString("Name", "Root");
            json.WriteStartArray("PolicyTypes");
            WritePolicyType(json, "SERVICE_CONTROL_POLICY");
            WritePolicyType(json, "RESOURCE_CONTROL_POLICY");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            var parents = new List<string> { root };
            parents.AddRange(units.Select(u => u.Id));
            json.WriteStartObject("list-organizational-units-for-parent");
            foreach (var parent in parents)
            {
                json.WriteStartObject(parent);
                json.WriteStartArray("OrganizationalUnits");
                foreach (var unit in units.Where(u => u.ParentId == parent))
                {
                    json.WriteStartObject();
                    json.WriteString("Id", unit.Id);
                    json.WriteString("Arn", Arn("ou", unit.Id));
                    json.WriteString("Name", unit.Name);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();

            json.WriteStartObject("list-accounts-for-parent");
            foreach (var parent in parents)
            {
                json.WriteStartObject(parent);
                json.WriteStartArray("Accounts");
                foreach (var account in population.Accounts.Where(a => ParentOf(a) == parent))
                {
                    json.WriteStartObject();
                    json.WriteString("Id", account.Id);
                    json.WriteString("Arn", Arn("account", account.Id));
                    json.WriteString("Email", account.Email);
                    json.WriteString("Name", account.Name);
                    json.WriteString("Status", "ACTIVE");
                    json.WriteString("State", "ACTIVE");
                    json.WriteString("JoinedMethod", account == population.Management ? "INVITED" : "CREATED");
                    json.WriteString("JoinedTimestamp", account.Joined.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", System.Globalization.CultureInfo.InvariantCulture));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();

            json.WriteStartObject("list-policies");
            foreach (var type in PolicyTypes)
            {
                json.WriteStartObject(type);
                json.WriteStartArray("Policies");
                foreach (var policy in policies.Where(p => p.Type == type)) { WriteSummary(json, policy, PolicyArn(policy)); }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();

            json.WriteStartObject("describe-policy");
            foreach (var policy in policies)
            {
                json.WriteStartObject(policy.Id);
                json.WriteStartObject("Policy");
                json.WritePropertyName("PolicySummary");
                WriteSummary(json, policy, PolicyArn(policy));
                json.WriteString("Content", policy.Content.ToJsonString(ContentOptions));
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();

            json.WriteStartObject("list-targets-for-policy");
            foreach (var policy in policies)
            {
                json.WriteStartObject(policy.Id);
                json.WriteStartArray("Targets");
                foreach (var target in policy.Targets)
                {
                    json.WriteStartObject();
                    json.WriteString("TargetId", target);
                    if (target == root)
                    {
                        json.WriteString("Arn", Arn("root", root));
                        json.WriteString("Name", "Root");
                        json.WriteString("Type", "ROOT");
                    }
                    else if (units.FirstOrDefault(u => u.Id == target) is { } unit)
                    {
                        json.WriteString("Arn", Arn("ou", unit.Id));
                        json.WriteString("Name", unit.Name);
                        json.WriteString("Type", "ORGANIZATIONAL_UNIT");
                    }
                    else
                    {
                        var account = population.Accounts.First(a => a.Id == target);
                        json.WriteString("Arn", Arn("account", account.Id));
                        json.WriteString("Name", account.Name);
                        json.WriteString("Type", "ACCOUNT");
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    private static JsonObject RegionGuardrail()
    {
        var statement = Statement("DenyOutsideApprovedRegions", "Deny", ["*"], ["*"], new JsonObject
        {
            ["StringNotEquals"] = new JsonObject { ["aws:RequestedRegion"] = new JsonArray("eu-west-1", "us-east-1") },
            ["ArnNotLike"] = new JsonObject { ["aws:PrincipalARN"] = new JsonArray("arn:aws:iam::*:role/OrganizationAccountAccessRole") },
        });
        statement.Remove("Action");
        statement["NotAction"] = new JsonArray("iam:*", "organizations:*", "sts:*", "support:*", "cloudfront:*", "route53:*", "budgets:*", "ce:*", "sso:*", "health:*", "trustedadvisor:*");
        return statement;
    }

    /// <summary>The statement of the default key policy: the account, and so its IAM policies, may use the key.</summary>
    private static JsonObject DefaultKeyStatement(string accountId) =>
        new() { ["Sid"] = "Enable IAM User Permissions", ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{accountId}:root" }, ["Action"] = "kms:*", ["Resource"] = "*" };

    private static void WritePolicyType(Utf8JsonWriter json, string type)
    {
        json.WriteStartObject();
        json.WriteString("Type", type);
        json.WriteString("Status", "ENABLED");
        json.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter json, OrgPolicy policy, string arn)
    {
        json.WriteStartObject();
        json.WriteString("Id", policy.Id);
        json.WriteString("Arn", arn);
        json.WriteString("Name", policy.Name);
        json.WriteString("Description", policy.Description);
        json.WriteString("Type", policy.Type);
        json.WriteBoolean("AwsManaged", policy.AwsManaged);
        json.WriteEndObject();
    }

    /// <summary>A handful of bucket, key, queue and secret policies on the estate's own resources.</summary>
    public static long WriteResourcePolicies(string path, DemoPopulation population)
    {
        var prod = population.Accounts.Where(a => a.Env == "prod").ToList();
        var apps = prod.SelectMany(a => a.Apps.Take(2)).ToList();
        var orgId = population.OrganizationId;
        return InventoryWriter.WriteJson(path, json =>
        {
            json.WriteStartObject();
            foreach (var app in apps)
            {
                var reader = population.Principals.FirstOrDefault(p => p.Archetype == Archetype.CrossAccount && p.Account != app.Account && !p.IsUser && p.Name != "SecurityAuditRole");
                var statements = new List<JsonObject>
                {
                    new()
                    {
                        ["Sid"] = "DenyInsecureTransport",
                        ["Effect"] = "Deny",
                        ["Principal"] = "*",
                        ["Action"] = "s3:*",
                        ["Resource"] = new JsonArray(app.BucketArn, app.BucketArn + "/*"),
                        ["Condition"] = new JsonObject { ["Bool"] = new JsonObject { ["aws:SecureTransport"] = "false" } },
                    },
                };
                if (reader is not null)
                {
                    statements.Add(new JsonObject
                    {
                        ["Sid"] = "CrossAccountRead",
                        ["Effect"] = "Allow",
                        ["Principal"] = new JsonObject { ["AWS"] = reader.Arn },
                        ["Action"] = new JsonArray("s3:GetObject", "s3:ListBucket"),
                        ["Resource"] = new JsonArray(app.BucketArn, app.BucketArn + "/*"),
                    });
                }
                statements.Add(new JsonObject
                {
                    ["Sid"] = "OrgReadReports",
                    ["Effect"] = "Allow",
                    ["Principal"] = "*",
                    ["Action"] = "s3:GetObject",
                    ["Resource"] = app.BucketArn + "/reports/*",
                    ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["aws:PrincipalOrgID"] = orgId } },
                });
                json.WriteStartObject(app.BucketArn);
                json.WriteString("Policy", Document([.. statements]).ToJsonString());
                json.WriteEndObject();

                var keyPolicy = Document(
                    DefaultKeyStatement(app.Account.Id),
                    new JsonObject
                    {
                        ["Sid"] = "AllowUseViaServices",
                        ["Effect"] = "Allow",
                        ["Principal"] = new JsonObject { ["AWS"] = "*" },
                        ["Action"] = new JsonArray("kms:Decrypt", "kms:GenerateDataKey"),
                        ["Resource"] = "*",
                        ["Condition"] = new JsonObject
                        {
                            ["StringEquals"] = new JsonObject { ["kms:CallerAccount"] = app.Account.Id, ["kms:ViaService"] = new JsonArray($"s3.{app.Region}.amazonaws.com", $"sqs.{app.Region}.amazonaws.com") },
                        },
                    });
                json.WriteStartObject(app.KeyArn);
                json.WriteString("Policy", keyPolicy.ToJsonString());
                json.WriteString("PolicyName", "default");
                json.WriteEndObject();
            }
            // Every other key of the estate has the default key policy, which lets IAM policies of its account grant use.
            var custom = apps.Select(a => a.KeyArn).ToHashSet(StringComparer.Ordinal);
            foreach (var app in population.Accounts.SelectMany(a => a.Apps).Where(a => !custom.Contains(a.KeyArn)))
            {
                json.WriteStartObject(app.KeyArn);
                json.WriteString("Policy", Document(DefaultKeyStatement(app.Account.Id)).ToJsonString());
                json.WriteString("PolicyName", "default");
                json.WriteEndObject();
            }
            if (apps.Count > 0)
            {
                var app = apps[0];
                var queuePolicy = Document(new JsonObject
                {
                    ["Sid"] = "AllowSnsPublish",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["Service"] = "sns.amazonaws.com" },
                    ["Action"] = "sqs:SendMessage",
                    ["Resource"] = app.QueueArn,
                    ["Condition"] = new JsonObject { ["ArnEquals"] = new JsonObject { ["aws:SourceArn"] = $"arn:aws:sns:{app.Region}:{app.Account.Id}:{app.App}-topic" } },
                });
                json.WriteStartObject(app.QueueArn);
                json.WriteStartObject("Attributes");
                json.WriteString("Policy", queuePolicy.ToJsonString());
                json.WriteEndObject();
                json.WriteEndObject();

                var secretPolicy = Document(new JsonObject
                {
                    ["Sid"] = "DenyOutsideApplication",
                    ["Effect"] = "Deny",
                    ["Principal"] = "*",
                    ["Action"] = "secretsmanager:GetSecretValue",
                    ["Resource"] = "*",
                    ["Condition"] = new JsonObject { ["ArnNotLike"] = new JsonObject { ["aws:PrincipalArn"] = new JsonArray($"arn:aws:iam::{app.Account.Id}:role/app/{app.App}-*", $"arn:aws:iam::{app.Account.Id}:role/service-role/{app.App}-*") } },
                });
                json.WriteStartObject(app.SecretArn);
                json.WriteString("ARN", app.SecretArn);
                json.WriteString("Name", $"{app.App}/{app.Account.Env}/db");
                json.WriteString("ResourcePolicy", secretPolicy.ToJsonString());
                json.WriteEndObject();
            }
            json.WriteEndObject();
        });
    }
}
