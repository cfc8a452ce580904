using Ciem.Core.Aws.Conditions;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;

namespace Ciem.Core.Tests.Aws.Conditions;

public sealed class ConditionAllocationTests
{
    [Fact]
    public void Evaluate_CompiledBlockWithoutVariables_DoesNotAllocate()
    {
        // Given a compiled block using the common operator families without policy variables
        var block = ConditionCompiler.Compile(
        [
            new ConditionEntry("StringEquals", "aws:PrincipalTag/team", ["data", "web"], "$"),
            new ConditionEntry("StringLike", "s3:prefix", ["home/*"], "$"),
            new ConditionEntry("Bool", "aws:SecureTransport", ["true"], "$"),
            new ConditionEntry("NumericLessThan", "s3:max-keys", ["100"], "$"),
            new ConditionEntry("DateLessThan", "aws:CurrentTime", ["2030-01-01T00:00:00Z"], "$"),
            new ConditionEntry("ArnLike", "aws:SourceArn", ["arn:aws:iam::*:role/*"], "$"),
            new ConditionEntry("ForAllValues:StringLike", "aws:TagKeys", ["team*"], "$"),
            new ConditionEntry("Null", "aws:TokenIssueTime", ["true"], "$"),
            new ConditionEntry("BinaryEquals", "k", ["QmluYXJ5"], "$"),
        ], PolicyLanguageVersion.V20121017, new DiagnosticBag());
        var context = RequestContext.Create(
        [
            new("aws:PrincipalTag/team", ContextValue.Single("web")),
            new("s3:prefix", ContextValue.Single("home/bob/")),
            new("aws:SecureTransport", ContextValue.Single("true")),
            new("s3:max-keys", ContextValue.Single("10")),
            new("aws:CurrentTime", ContextValue.Single("2026-11-28T05:00:00Z")),
            new("aws:SourceArn", ContextValue.Single("arn:aws:iam::123456789012:role/Admin")),
            new("aws:TagKeys", ContextValue.Multi(["team", "team-owner"])),
            new("k", ContextValue.Single("QmluYXJ5")),
        ]);
        Assert.Equal(ConditionOutcome.True, block.Evaluate(context));

        // When it is evaluated many times
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) { block.Evaluate(context); }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Then nothing is allocated
        Assert.Equal(0, allocated);
    }
}
