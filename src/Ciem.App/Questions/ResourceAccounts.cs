using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;

namespace Ciem.App.Questions;

/// <summary>
/// Whether a question about an AWS resource knows the resource's account: from its ARN (most services), or because the
/// estate holds one account only. S3 bucket and object ARNs carry no account; across several accounts the answer to
/// "who can" depends on it (same-account callers need an identity policy only), so the question must say.
/// </summary>
public static class ResourceAccounts
{
    /// <summary>True when the account is known or does not matter; <paramref name="accounts"/> is the estate's accounts.</summary>
    public static bool Known(AwsEstate estate, string resource, out ImmutableArray<string> accounts)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(resource);
        accounts = [.. estate.Identities.Select(i => i.Identity.Scope).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (resource == "*" || !resource.StartsWith("arn:", StringComparison.Ordinal)) { return true; }
        if (AwsRequest.InferResourceAccount(resource) is not null) { return true; }
        return accounts.Length <= 1;
    }
}
