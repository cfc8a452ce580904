using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.Core.Tests.Aws.Effective;

/// <summary>Imported policies AWS would reject decide nothing in the estate path either.</summary>
public sealed class EstatePolicyFidelityTests
{
    private const string Account = "222222222222";
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static AwsEstate Estate(string inline) => AwsEstate.Build(new AwsInventory(
        [new AwsAccountSnapshot(Account, TakenAt, [], [], [new IamRole(
            $"arn:aws:iam::{Account}:role/app", "app", "AROAAPP", "/", TakenAt,
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
            [new InlinePolicy("inline0", inline)], [], null, [], [], null, null, null)], [])], null, [], []));

    private static EvaluationResult Can(AwsEstate estate, string action)
    {
        var who = estate.Identities.Single();
        var request = estate.CreateRequest(who, action, "arn:aws:s3:::b/k", Account);
        return AwsAuthorizer.Evaluate(request, estate.PolicySetFor(who, request));
    }

    [Fact]
    public void Build_ImportedPolicyRepeatsEffect_LocatedDiagnosticAndIndeterminate()
    {
        // Given an imported inline policy whose statement says Allow and then Deny
        var estate = Estate("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Effect":"Deny"}]}""");

        // When the estate is built and the role asked
        var result = Can(estate, "s3:GetObject");

        // Then the duplicate is reported at its JSON path and the answer is Indeterminate, not the last value's Deny
        Assert.Contains(estate.Diagnostics, d => d.Code == DiagnosticCodes.PolicyDuplicateKey && d.Location?.JsonPath == "$.Statement[0].Effect");
        Assert.Equal(Decision.Indeterminate, result.Decision);
    }

    [Fact]
    public void Build_SamePolicyWrittenOnce_Decides()
    {
        // Given the near-miss twin with one Effect
        var estate = Estate("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""");

        // When asked; Then it is allowed and nothing is reported
        Assert.Equal(Decision.Allow, Can(estate, "s3:GetObject").Decision);
        Assert.DoesNotContain(estate.Diagnostics, d => d.Code == DiagnosticCodes.PolicyDuplicateKey);
    }
}
