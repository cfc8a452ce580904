using Ciem.Core.Aws.Effective;

namespace Ciem.App.Identities;

/// <summary>One AWS identity named by ARN, name or ACCOUNT/NAME, or why the query names none or several.</summary>
public static class AwsIdentityQuery
{
    /// <summary>The identity <paramref name="query"/> names, or null with the problem (lowercase, values in backticks).</summary>
    public static AwsIdentityContext? Resolve(AwsEstate estate, string query, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(estate);
        ArgumentNullException.ThrowIfNull(query);
        var found = estate.Find(query);
        problem = found.Length switch
        {
            1 => null,
            0 => $"no identity `{query}`: give an ARN, a name, or ACCOUNT/NAME (see `ciem identities`)",
            _ => $"`{query}` is ambiguous: {string.Join(", ", found.Select(f => f.Identity.Id))}",
        };
        return found.Length == 1 ? found[0] : null;
    }
}
