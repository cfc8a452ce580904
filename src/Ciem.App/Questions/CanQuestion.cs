using System.Collections.Immutable;
using Ciem.App.Identities;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Azure.Catalog;
using Ciem.Core.Azure.Evaluation;
using Ciem.Core.Diagnostics;
using Ciem.Core.Gcp.Conditions;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Core.Model;

namespace Ciem.App.Questions;

/// <summary>
/// One authorization question: can <see cref="Identity"/> (any name form) perform <see cref="Action"/> on
/// <see cref="Resource"/>, given the request context as `KEY=VALUE` pairs. The provider comes from the identity's form
/// unless given; <see cref="ResourceAccount"/> is the AWS account that owns a resource whose ARN does not say (S3).
/// </summary>
public sealed record CanRequest(
    string Identity,
    string Action,
    string Resource,
    IReadOnlyList<string> Context,
    string? ResourceAccount = null,
    string? Provider = null);

/// <summary>The answer to a <see cref="CanRequest"/>: the provider's decision and, for exactly one provider, why.</summary>
public sealed record CanAnswer(string Provider, Decision Decision, AwsCanAnswer? Aws, AzureCanAnswer? Azure, GcpCanAnswer? Gcp);

/// <summary>
/// AWS: the request as evaluated, the result (deciding statements, conditions, blocking layer), the context keys the
/// answer depended on but the question did not give, and the account assumed for a resource whose ARN names none
/// (the caller's own) with the note that says so.
/// </summary>
public sealed record AwsCanAnswer(
    AwsIdentityContext Who,
    AwsRequest Request,
    EvaluationResult Result,
    ImmutableArray<string> MissingContextKeys,
    string? AssumedResourceAccount,
    QuestionWarning? Note);

/// <summary>Azure: the principal (named by the directory first), the scope asked and the deciding assignments.</summary>
public sealed record AzureCanAnswer(ResolvedIdentity Principal, string Operation, string Scope, AzureEvaluationResult Result);

/// <summary>GCP: the member, the full resource name asked and the deciding bindings and deny rules.</summary>
public sealed record GcpCanAnswer(string Member, string Permission, string Resource, GcpEvaluationResult Result);

/// <summary>`ciem can` for every provider: one request evaluated against the session's current estate, explained.</summary>
public static class CanQuestion
{
    public static QuestionResult<CanAnswer> Ask(CiemSession session, CanRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(request);
        return QuestionLog.OfProvider(request.Provider ?? PrincipalForms.ProviderOfIdentity(request.Identity), request.Action,
            log => Aws(session, log, request, now), log => Azure(session, log, request), log => Gcp(session, log, request, now));
    }

    private static QuestionResult<CanAnswer> Aws(CiemSession session, QuestionLog log, CanRequest q, DateTimeOffset now)
    {
        if (QuestionContext.Aws(q.Context, out var problem) is not { } context) { return log.Invalid<CanAnswer>(problem!); }
        if (!log.TryLoad(session.Aws, out var estate)) { return log.Result<CanAnswer>(null); }
        if (IdentityLookup.Aws(log, estate, q.Identity).Answer is not { Aws: { } who }) { return log.Result<CanAnswer>(null); }
        var (request, result) = EvaluateAws(estate, who, q.Action, q.Resource, AlwaysSentKeys.Apply(context, now), q.ResourceAccount);
        var missing = MissingContext.Keys(estate.PolicySetFor(who, request), request, result);
        var assumed = q.ResourceAccount is null && q.Resource != "*" && AwsRequest.InferResourceAccount(q.Resource) is null
            && q.Resource.StartsWith("arn:", StringComparison.Ordinal) ? request.ResourceAccount : null;
        var note = assumed is null ? null : new QuestionWarning(DiagnosticCodes.CliIncompleteQuestion,
            $"`{q.Resource}` does not name its account: assumed the caller's own account `{assumed}` "
            + "(give `--resource-account` if the resource lives elsewhere)");
        var answer = new AwsCanAnswer(who, request, result, missing, assumed, note);
        return log.Result(new CanAnswer(Provider.AwsName, result.Decision, answer, null, null));
    }

    private static QuestionResult<CanAnswer> Azure(CiemSession session, QuestionLog log, CanRequest q)
    {
        if (QuestionContext.Pairs(q.Context, out var problem) is not { } attributes) { return log.Invalid<CanAnswer>(problem!); }
        if (!log.TryLoad(session.Azure, out var inventory)) { return log.Result<CanAnswer>(null); }
        var estate = inventory.ToEstate();
        if (IdentityLookup.Azure(log, session, estate, q.Identity).Answer is not { } principal) { return log.Result<CanAnswer>(null); }
        var result = new AzureAuthorizer(estate, AzureOperationCatalog.Default)
            .Evaluate(AzureRequest(principal.Id, q.Action, q.Resource, attributes));
        var answer = new AzureCanAnswer(principal, q.Action, q.Resource, result);
        return log.Result(new CanAnswer(Provider.AzureName, result.Decision, null, answer, null));
    }

    private static QuestionResult<CanAnswer> Gcp(CiemSession session, QuestionLog log, CanRequest q, DateTimeOffset now)
    {
        if (QuestionContext.GcpTime(q.Context, now, out var problem) is not { } at) { return log.Invalid<CanAnswer>(problem!); }
        if (!log.TryLoad(session.Gcp, out var inventory)) { return log.Result<CanAnswer>(null); }
        var member = PrincipalForms.GcpMember(q.Identity);
        var result = GcpAuthorizer.Evaluate(GcpRequest(at, member, q.Action, q.Resource), GcpPolicySet.Create(inventory));
        return log.Result(new CanAnswer(Provider.GcpName, result.Decision, null, null,
            new GcpCanAnswer(member, q.Action, GcpResource.FullName(q.Resource), result)));
    }

    /// <summary>One AWS request of <paramref name="who"/> and its evaluation against the policies that apply to it.</summary>
    public static (AwsRequest Request, EvaluationResult Result) EvaluateAws(
        AwsEstate estate, AwsIdentityContext who, string action, string resource, RequestContext context, string? resourceAccount)
    {
        ArgumentNullException.ThrowIfNull(estate);
        var request = estate.CreateRequest(who, action, resource, resourceAccount, context);
        return (request, AwsAuthorizer.Evaluate(request, estate.PolicySetFor(who, request)));
    }

    /// <summary>
    /// An Azure request: an operation only the data plane has is a data action; names both planes have are asked of the
    /// control plane.
    /// </summary>
    internal static AzureRequest AzureRequest(
        string principal, string operation, string scope, Dictionary<string, ImmutableArray<string>> attributes)
    {
        var catalog = AzureOperationCatalog.Default;
        var dataOnly = !catalog.TryGetOperation(operation, AzurePlane.Control, out _)
            && catalog.TryGetOperation(operation, AzurePlane.Data, out _);
        var plane = dataOnly ? AzurePlane.Data : AzurePlane.Control;
        return new AzureRequest(principal, operation, scope, plane, Attributes: attributes);
    }

    /// <summary>A GCP request of <paramref name="member"/> at <paramref name="at"/> (the time its conditions see).</summary>
    internal static GcpRequest GcpRequest(DateTimeOffset at, string member, string permission, string resource) =>
        new(new GcpPrincipal(member), permission, GcpResource.FullName(resource), new ConditionAttributes(RequestTime: at));
}
