using System.Text.Json.Nodes;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Policies;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Ciem.Core.Tests.Aws.Evaluation;

/// <summary>Invariants of the evaluation logic over randomly generated policies and requests.</summary>
public sealed class AuthorizerPropertyTests
{
    private static readonly string[] Actions = ["s3:GetObject", "s3:PutObject", "s3:*", "s3:Get*", "S3:getobject", "ec2:*", "*", "iam:PassRole", "s3:?etObject"];
    private static readonly string[] Resources = ["*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/k", "arn:aws:s3:::c/*", "arn:aws:s3:::b/${aws:username}/*"];
    private static readonly string[] RequestActions = ["s3:GetObject", "s3:PutObject", "ec2:RunInstances", "iam:PassRole"];
    private static readonly string[] RequestResources = ["arn:aws:s3:::b/k", "arn:aws:s3:::b/alice/x", "arn:aws:s3:::c/z", "*"];
    private static readonly string[] Users = ["alice", "bob"];

    public sealed record GenStatement(bool Allow, bool NotAction, string[] Actions, bool NotResource, string[] Resources, string? UserCondition)
    {
        public JsonObject ToJson()
        {
            var o = new JsonObject
            {
                ["Effect"] = Allow ? "Allow" : "Deny",
                [NotAction ? "NotAction" : "Action"] = new JsonArray([.. Actions.Select(a => (JsonNode)JsonValue.Create(a)!)]),
                [NotResource ? "NotResource" : "Resource"] = new JsonArray([.. Resources.Select(r => (JsonNode)JsonValue.Create(r)!)]),
            };
            if (UserCondition is not null)
            {
                o["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["aws:username"] = UserCondition } };
            }
            return o;
        }
    }

    public sealed record Scenario(GenStatement[] Statements, string User, string Action, string Resource);

    private static Gen<GenStatement> StatementGen(bool? allow = null) =>
        from a in allow is null ? Gen.Elements(true, false) : Gen.Constant(allow.Value)
        from notAction in Gen.Elements(false, false, false, true)
        from actions in Gen.Elements(Actions).ArrayOf().Where(x => x.Length > 0).Select(x => x.Take(3).ToArray())
        from notResource in Gen.Elements(false, false, false, true)
        from resources in Gen.Elements(Resources).ArrayOf().Where(x => x.Length > 0).Select(x => x.Take(3).ToArray())
        from cond in Gen.Elements<string?>(null, null, "alice", "bob")
        select new GenStatement(a, notAction, actions, notResource, resources, cond);

    private static Gen<Scenario> ScenarioGen =>
        from statements in StatementGen().ArrayOf().Select(x => x.Take(6).ToArray())
        from user in Gen.Elements(Users)
        from action in Gen.Elements(RequestActions)
        from resource in Gen.Elements(RequestResources)
        select new Scenario(statements, user, action, resource);

    private static EvaluationResult Evaluate(IEnumerable<GenStatement> statements, Scenario s)
    {
        var json = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray([.. statements.Select(x => (JsonNode)x.ToJson())]) }.ToJsonString();
        var parsed = PolicyParser.Parse(json, "p", PolicyKind.Identity);
        var policy = CompiledPolicy.Compile(parsed.Document!, new DiagnosticBag());
        Assert.True(AwsPrincipal.TryParse($"arn:aws:iam::111111111111:user/{s.User}", out var principal, out _));
        var request = AwsRequest.Create(principal, s.Action, s.Resource);
        return AwsAuthorizer.Evaluate(request, new AwsPolicySet { Identity = [policy] });
    }

    [Property(MaxTest = 400)]
    public Property Evaluate_MatchingDenyAdded_AlwaysExplicitDeny()
    {
        // Given any policy / When a Deny naming the request's action on `*` is added / Then the decision is ExplicitDeny
        return Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
        {
            var deny = new GenStatement(false, false, [s.Action], false, ["*"], null);
            return Evaluate(s.Statements.Append(deny), s).Decision == Decision.ExplicitDeny;
        });
    }

    [Property(MaxTest = 400)]
    public Property Evaluate_StatementsReordered_SameDecision()
    {
        // Given any policy / When its statements are reversed / Then the decision does not change
        return Prop.ForAll(ScenarioGen.ToArbitrary(), s =>
            Evaluate(s.Statements, s).Decision == Evaluate(s.Statements.Reverse(), s).Decision);
    }

    [Property(MaxTest = 400)]
    public Property Evaluate_AllowAdded_NeverRemovesAccess()
    {
        // Given a policy that allows the request / When any Allow statement is added / Then it is still allowed
        var gen = from s in ScenarioGen from extra in StatementGen(allow: true) select (s, extra);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var before = Evaluate(t.s.Statements, t.s).Decision;
            var after = Evaluate(t.s.Statements.Append(t.extra), t.s).Decision;
            return before != Decision.Allow || after == Decision.Allow;
        });
    }
}
