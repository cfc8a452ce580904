using Ciem.App.Questions;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.App.Identities;

/// <summary>
/// One identity a question names, whatever the provider: its id (an ARN, an Entra object id, a GCP member), the name
/// to show, its type when the provider says, and for AWS the resolved identity the engines take.
/// </summary>
public sealed record ResolvedIdentity(string Provider, string Id, string Name, string? Type, AwsIdentityContext? Aws = null);

/// <summary>
/// Resolves the identity a question names, for every provider: AWS by ARN, name or ACCOUNT/NAME; Azure by object id,
/// display name, user principal name, e-mail or app id (the imported Entra directory first); GCP by member or bare
/// e-mail (`alice@…` is `user:alice@…`, an `….gserviceaccount.com` address a service account). A name that fits
/// several identities is ambiguous and never guessed.
/// </summary>
public static class IdentityLookup
{
    public static QuestionResult<ResolvedIdentity> Resolve(CiemSession session, string provider, string query)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(query);
        var log = new QuestionLog();
        return provider switch
        {
            Provider.AwsName => log.TryLoad(session.Aws, out var aws) ? Aws(log, aws, query) : log.Result<ResolvedIdentity>(null),
            Provider.AzureName => log.TryLoad(session.Azure, out var azure)
                ? Azure(log, session, azure.ToEstate(), query) : log.Result<ResolvedIdentity>(null),
            Provider.GcpName => log.TryLoad(session.Gcp, out _) ? log.Result(Gcp(query)) : log.Result<ResolvedIdentity>(null),
            _ => log.Invalid<ResolvedIdentity>($"unknown provider `{provider}`: use aws, azure or gcp"),
        };
    }

    internal static QuestionResult<ResolvedIdentity> Aws(QuestionLog log, AwsEstate estate, string query)
    {
        var who = AwsIdentityQuery.Resolve(estate, query, out var problem);
        return who is null
            ? log.Invalid<ResolvedIdentity>(problem!)
            : log.Result(new ResolvedIdentity(
                Provider.AwsName, who.Identity.Id, who.Identity.Name, IdentityKindNames.Of(who.Identity.Kind), who));
    }

    internal static QuestionResult<ResolvedIdentity> Azure(QuestionLog log, CiemSession session, AzureEstate estate, string query)
    {
        var resolution = AzureResolver(session, estate).Resolve(query);
        return resolution.Found is { } p
            ? log.Result(new ResolvedIdentity(Provider.AzureName, p.Id, p.Name, p.Type))
            : log.Invalid<ResolvedIdentity>(resolution.Problem(Provider.AzureName, query), DiagnosticCodes.CliUnknownIdentity);
    }

    /// <summary>A GCP member needs no lookup: a member no binding names simply holds nothing.</summary>
    internal static ResolvedIdentity Gcp(string query)
    {
        var member = PrincipalForms.GcpMember(query);
        return new ResolvedIdentity(Provider.GcpName, member, member, null);
    }

    /// <summary>The one Azure name resolver (object id, name, user principal name, app id) over the estate and directories.</summary>
    public static IdentityResolver AzureResolver(CiemSession session, AzureEstate estate)
    {
        ArgumentNullException.ThrowIfNull(session);
        return IdentityResolver.ForAzure(estate, session.People.Directories);
    }
}
