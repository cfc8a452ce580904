using System.Text.Json;
using Ciem.Tests;

namespace Ciem.Cli.Tests.Paths;

/// <summary>
/// The cloudsplaining example export (a real account prepared with Rhino Security Labs' escalation scenarios): each
/// `privesc…` user is found with the technique its name says, and principals without a way up are not flagged.
/// </summary>
[Trait("Category", "SharedData")]
public sealed class SharedDataPathsTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public SharedDataPathsTests()
    {
        var (code, _, err) = _cli.Run("import", "aws", TestPaths.Shared("cloudsplaining-authz-details", "examples", "files", "example.json"), "--db", _cli.Db);
        Assert.True(code == 0, err);
    }

    public void Dispose() => _cli.Dispose();

    private JsonElement Paths(string identity)
    {
        var (code, output, err) = _cli.Run("paths", identity, "--db", _cli.Db, "--format", "json");
        Assert.True(code == 0, err);
        return JsonDocument.Parse(output).RootElement;
    }

    private static string[] Techniques(JsonElement path) => [.. path.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("technique").GetString()!)];

    [Theory]
    [InlineData("privesc1-CreateNewPolicyVersion-user", "iam-create-policy-version", "certain")]
    [InlineData("privesc2-SetExistingDefaultPolicyVersion-user", "iam-set-default-policy-version", "possible if the resource exists")]
    [InlineData("privesc3-CreateEC2WithExistingInstanceProfile-user", "passrole-ec2", "certain")]
    [InlineData("privesc4-CreateAccessKey-user", "iam-create-access-key", "certain")]
    [InlineData("privesc5-CreateLoginProfile-user", "iam-create-login-profile", "certain")]
    [InlineData("privesc6-UpdateLoginProfile-user", "iam-update-login-profile", "certain")]
    [InlineData("privesc7-AttachUserPolicy-user", "iam-write-policy", "certain")]
    [InlineData("privesc8-AttachGroupPolicy-user", "iam-write-policy", "certain")]
    [InlineData("privesc10-PutUserPolicy-user", "iam-write-policy", "certain")]
    [InlineData("privesc11-PutGroupPolicy-user", "iam-write-policy", "certain")]
    [InlineData("privesc14-UpdatingAssumeRolePolicy-user", "iam-update-assume-role-policy", "certain")]
    [InlineData("privesc15-PassExistingRoleToNewLambdaThenInvoke-user", "passrole-lambda", "certain")]
    [InlineData("privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo-user", "passrole-lambda", "certain")]
    [InlineData("privesc17-EditExistingLambdaFunctionWithRole-user", "lambda-update-code", "possible if the resource exists")]
    [InlineData("privesc18-PassExistingRoleToNewGlueDevEndpoint-user", "passrole-glue-endpoint", "certain")]
    [InlineData("privesc19-UpdateExistingGlueDevEndpoint-user", "glue-update-endpoint", "possible if the resource exists")]
    [InlineData("privesc20-PassExistingRoleToCloudFormation-user", "passrole-cloudformation", "certain")]
    [InlineData("privesc21-PassExistingRoleToNewDataPipeline-user", "passrole-datapipeline", "certain")]
    [InlineData("privesc-codeBuildCreateProjectPassRole-user", "passrole-codebuild", "certain")]
    [InlineData("privesc-sageMakerCreateNotebookPassRole-user", "passrole-sagemaker-notebook", "certain")]
    [InlineData("privesc-sageMakerCreateProcessingJobPassRole-user", "passrole-sagemaker-job", "certain")]
    [InlineData("privesc-sageMakerCreateTrainingJobPassRole-user", "passrole-sagemaker-job", "certain")]
    [InlineData("privesc-sageMakerCreatePresignedNotebookURL-user", "sagemaker-existing-notebook", "possible if the resource exists")]
    [InlineData("privesc-ssmSendCommand-user", "ssm-instance", "possible if the resource exists")]
    [InlineData("privesc-ssmStartSession-user", "ssm-instance", "possible if the resource exists")]
    public void Paths_RhinoScenarioUser_FoundWithItsTechnique(string user, string technique, string certainty)
    {
        // Given the export / When the user's paths to administrator are asked
        var result = Paths(user);

        // Then it can become an administrator, and its shortest path starts with the technique its name describes
        Assert.Equal("can-become-administrator", result.GetProperty("category").GetString());
        var shortest = result.GetProperty("shortest");
        Assert.Equal(technique, Techniques(shortest)[0]);
        Assert.Equal(certainty, shortest.GetProperty("certainty").GetString());
    }

    [Theory]
    [InlineData("privesc9-AttachRolePolicy-user")]
    [InlineData("privesc12-PutRolePolicy-user")]
    public void Paths_WritesRolePoliciesButCannotBecomeARole_IsPrivilegeAdministrator(string user)
    {
        // Given a user that may write any role's policy but assume none / When its standing is asked
        var result = Paths(user);

        // Then it can make others administrators, not itself
        Assert.Equal("privilege-administrator", result.GetProperty("category").GetString());
        Assert.True(result.GetProperty("grantsAdministratorTo").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("shortest").ValueKind);
    }

    [Fact]
    public void Paths_AssumeRoleChain_FollowsEveryHop()
    {
        // Given the starting role of the three-role chain / When its paths are asked
        var result = Paths("privesc-AssumeRole-starting-role");

        // Then it assumes the intermediate role, then the ending role, which is an administrator
        var shortest = result.GetProperty("shortest");
        Assert.Equal(["sts-assume-role", "sts-assume-role", "account-administrator"], Techniques(shortest));
        Assert.Equal(2, shortest.GetProperty("hops").GetInt32());
    }

    [Fact]
    public void Paths_AddUserToGroupWithoutAdministratorsGroup_NoPath()
    {
        // Given the AddUserToGroup user, in an account without a group whose policies make administrators
        var result = Paths("privesc13-AddUserToGroup-user");

        // Then there is nothing to join: no path
        Assert.Equal("none", result.GetProperty("category").GetString());
    }

    [Fact]
    public void WhoCanTransitive_SecretOfTheAccount_AddsPathsBeyondTheDirectHolders()
    {
        // Given the export / When who can read a secret is asked directly and transitively
        const string secret = "arn:aws:secretsmanager:us-east-1:200611803367:secret:prod-db";
        var (_, direct, _) = _cli.Run("who-can", "secretsmanager:GetSecretValue", secret, "--db", _cli.Db, "--format", "json");
        var (code, transitive, err) = _cli.Run("who-can", "secretsmanager:GetSecretValue", secret, "--transitive", "--db", _cli.Db, "--format", "json");

        // Then every direct holder is there with 0 hops, and more identities reach it through a path
        Assert.True(code == 0, err);
        var directIds = JsonDocument.Parse(direct).RootElement.GetProperty("items").EnumerateArray().Where(r => r.GetProperty("decision").GetString() == "Allow")
            .Select(r => r.GetProperty("identity").GetString()).ToHashSet();
        var rows = JsonDocument.Parse(transitive).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.All(directIds, id => Assert.Contains(rows, r => r.GetProperty("identity").GetString() == id));
        var viaPaths = rows.Where(r => r.GetProperty("hops").GetInt32() > 0).ToList();
        Assert.NotEmpty(viaPaths);
        Assert.Contains(viaPaths, r => r.GetProperty("identity").GetString()!.EndsWith("privesc4-CreateAccessKey-user", StringComparison.Ordinal));
    }
}
