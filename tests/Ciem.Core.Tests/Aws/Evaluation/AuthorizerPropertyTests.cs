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

    // Conditions on keys AWS sends with every request, and values a request may carry for them.
    private static readonly (string Operator, string Key, string Value)[] AlwaysSentConditions =
    [
        ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
        ("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"),
        ("IpAddressIfExists", "aws:SourceIp", "192.0.2.0/24"),
        ("Bool", "aws:MultiFactorAuthPresent", "true"),
        ("BoolIfExists", "aws:MultiFactorAuthPresent", "false"),
        ("DateGreaterThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"),
        ("DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z"),
        ("StringEquals", "aws:RequestedRegion", "eu-west-1"),
        ("StringNotEquals", "aws:RequestedRegion", "eu-west-1"),
        ("Bool", "aws:SecureTransport", "false"),
        ("Null", "aws:SourceIp", "true"),
    ];

    private static readonly (string Key, string[] Values)[] KeyValues =
    [
        ("aws:SourceIp", ["10.1.2.3", "192.0.2.9", "203.0.113.7"]),
        ("aws:MultiFactorAuthPresent", ["true", "false"]),
        ("aws:CurrentTime", ["2019-06-01T00:00:00Z", "2026-06-01T00:00:00Z", "2031-01-01T00:00:00Z"]),
        ("aws:RequestedRegion", ["eu-west-1", "us-east-1"]),
        ("aws:SecureTransport", ["true", "false"]),
    ];

    private static Gen<JsonObject> ConditionalStatementGen =>
        from allow in Gen.Elements(true, true, false)
        from action in Gen.Elements(RequestActions)
        from c in Gen.Elements(AlwaysSentConditions)
        select new JsonObject
        {
            ["Effect"] = allow ? "Allow" : "Deny",
            ["Action"] = action,
            ["Resource"] = "*",
            ["Condition"] = new JsonObject { [c.Operator] = new JsonObject { [c.Key] = c.Value } },
        };

    [Property(MaxTest = 400)]
    public Property Evaluate_AlwaysSentKeyGiven_NeverReversesADefiniteAnswer()
    {
        // Given policies conditioned on keys AWS always sends, evaluated with those keys unknown
        var gen =
            from plain in StatementGen().ArrayOf().Select(x => x.Take(3).Select(st => st.ToJson()).ToArray())
            from conditional in ConditionalStatementGen.ArrayOf().Select(x => x.Take(3).ToArray())
            from action in Gen.Elements(RequestActions)
            from kv in Gen.Elements(KeyValues)
            from value in Gen.Elements(kv.Values)
            select (plain, conditional, action, kv.Key, value);
        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var statements = new JsonArray([.. t.plain.Concat(t.conditional).Select(x => (JsonNode)x.DeepClone())]);
            var json = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString();
            var policy = CompiledPolicy.Compile(PolicyParser.Parse(json, "p", PolicyKind.Identity).Document!, new DiagnosticBag());
            Assert.True(AwsPrincipal.TryParse("arn:aws:iam::111111111111:user/alice", out var principal, out _));
            var set = new AwsPolicySet { Identity = [policy] };
            var unknown = AwsAuthorizer.Evaluate(AwsRequest.Create(principal, t.action, "*", context: AlwaysSentKeys.Apply(RequestContext.Empty, null)), set);

            // When one of them is given a value
            var given = RequestContext.Empty.With(t.Key, ContextValue.Single(t.value));
            var known = AwsAuthorizer.Evaluate(AwsRequest.Create(principal, t.action, "*", context: AlwaysSentKeys.Apply(given, null)), set);

            // Then a definite answer stays definite and on the same side (an implicit deny may become explicit);
            // only an indeterminate one may become definite
            return unknown.Decision == Decision.Indeterminate
                || (known.Decision != Decision.Indeterminate && known.IsAllowed == unknown.IsAllowed);
        });
    }
}
