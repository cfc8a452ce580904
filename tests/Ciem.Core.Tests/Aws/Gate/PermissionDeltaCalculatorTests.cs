using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Gate;
using Ciem.Core.Aws.Inventory;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gate;

namespace Ciem.Core.Tests.Aws.Gate;

public sealed class PermissionDeltaCalculatorTests
{
    private const string Account = "333333333333";
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private const string S3Read = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    private const string Everything = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private static AwsEstate Estate(string? boundary)
    {
        var policies = boundary is null ? Array.Empty<ManagedPolicy>() : [new ManagedPolicy($"arn:aws:iam::{Account}:policy/cap", "cap", "ANPACAP", "/", "v1", boundary, TakenAt, TakenAt)];
        var role = new IamRole($"arn:aws:iam::{Account}:role/app", "app", "AROAAPP", "/", TakenAt,
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
            [new InlinePolicy("existing", S3Read)], [], boundary is null ? null : $"arn:aws:iam::{Account}:policy/cap", [], [], null, null, null);
        return AwsEstate.Build(new AwsInventory([new AwsAccountSnapshot(Account, TakenAt, [], [], [role], [.. policies])], null, [], []));
    }

    private static PrincipalChange AddsEverything() => new(GatePrincipalKind.Role, "app", null, [],
        [new GatePolicy("admin", PolicyParser.Parse(Everything, "admin", PolicyKind.Identity).Document, SourceLocation.None)], null, null, null, null, SourceLocation.None);

    [Fact]
    public void Compute_PrincipalInInventory_KeepsUntouchedPoliciesOnBothSides()
    {
        // Given a role in the inventory with an inline s3:GetObject policy
        var delta = new PermissionDeltaCalculator(AwsActionCatalog.Default, Estate(boundary: null)).Compute(AddsEverything());
        // Then s3:GetObject is allowed before the change, and the change makes the role administrative
        Assert.True(delta.InInventory);
        Assert.Contains(delta.Before.Allowed, a => a.FullName == "s3:GetObject");
        Assert.DoesNotContain(delta.Added, a => a.FullName == "s3:GetObject");
        Assert.True(delta.BecameAdministrator);
    }

    [Fact]
    public void Compute_BoundaryInInventory_CapsWhatTheChangeAdds()
    {
        // Given a role whose permissions boundary allows only s3:GetObject
        var delta = new PermissionDeltaCalculator(AwsActionCatalog.Default, Estate(S3Read)).Compute(AddsEverything());
        // When `*` is added, the boundary still caps it: nothing new, not administrative
        Assert.Empty(delta.Added);
        Assert.False(delta.BecameAdministrator);
        Assert.DoesNotContain(AwsGateRules.Evaluate(delta), f => f.RuleId is GateRules.NewAdmin or GateRules.NewEscalation);
    }
}
