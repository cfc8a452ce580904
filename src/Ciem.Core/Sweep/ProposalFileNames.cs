using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Ciem.Core.Aws.LeastPrivilege;

namespace Ciem.Core.Sweep;

/// <summary>
/// Where `--out` puts each proposal: one folder per identity, so that no identity's files can take another's
/// names. `aws/ACCOUNT/NAME/` for IAM roles and users, `aws/identity-center/PERMISSION-SET/` for permission sets,
/// `azure/PRINCIPAL/` and `gcp/MEMBER/`. Each folder segment keeps letters, digits and `+=,.@_-` (every character an
/// IAM name may hold) and writes anything else as `%XX` (UTF-8); `%` never occurs in IAM names, so distinct names
/// always give distinct folders (`a+b`, `a=b`, `a,b`, `a@b`, `a_b` stay apart). A leading `.` is written `%2E` so
/// no segment is `.`, `..` or hidden. Pure: the writer does the I/O.
/// </summary>
public static class ProposalFileNames
{
    public const string IdentityCenterFolder = "identity-center";

    /// <summary>One path segment for a name: kept characters as they are, others as `%XX`.</summary>
    public static string Encode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) { return "%"; }
        var sb = new StringBuilder(name.Length);
        var bytes = new byte[4];
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '=' or ',' or '@' or '_' or '-' || (c == '.' && i > 0))
            {
                sb.Append(c);
                continue;
            }
            var length = char.IsHighSurrogate(c) && i + 1 < name.Length
                ? Encoding.UTF8.GetBytes(name.AsSpan(i++, 2), bytes)
                : Encoding.UTF8.GetBytes(name.AsSpan(i, 1), bytes);
            for (var b = 0; b < length; b++) { sb.Append('%').Append(bytes[b].ToString("X2", CultureInfo.InvariantCulture)); }
        }
        return sb.ToString();
    }

    /// <summary>The folder of an AWS proposal (`/`-separated, relative to `--out`).</summary>
    public static string Folder(PolicyProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal.PermissionSet is { } set
            ? $"aws/{IdentityCenterFolder}/{Encode(set.Name)}"
            : $"aws/{Encode(proposal.Identity.Scope)}/{Encode(proposal.Identity.Name)}";
    }

    /// <summary>The policy document files of an AWS proposal, in the order of <see cref="PolicyProposal.Policies"/>.</summary>
    public static ImmutableArray<string> PolicyFiles(PolicyProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var folder = Folder(proposal);
        var stem = proposal.PermissionSet is null ? "policy" : "inline-policy";
        return proposal.Policies.Length == 1
            ? [$"{folder}/{stem}.json"]
            : [.. proposal.Policies.Select((_, i) => $"{folder}/{stem}-{(i + 1).ToString(CultureInfo.InvariantCulture)}.json")];
    }

    /// <summary>Every file of an AWS proposal: the documents, `proposal.tf`, `diff.txt` and `evidence.json`.</summary>
    public static ImmutableArray<string> Files(PolicyProposal proposal)
    {
        var folder = Folder(proposal);
        return [.. PolicyFiles(proposal), $"{folder}/proposal.tf", $"{folder}/diff.txt", $"{folder}/evidence.json"];
    }

    /// <summary>The folder of an Azure or GCP proposal.</summary>
    public static string CloudFolder(string provider, string principal)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(principal);
        return $"{Encode(provider)}/{Encode(principal)}";
    }

    /// <summary>The document (`role.json`, `binding.json`, …: <paramref name="document"/>) and Terraform of an Azure or GCP proposal.</summary>
    public static ImmutableArray<string> CloudFiles(string provider, string principal, string document)
    {
        var folder = CloudFolder(provider, principal);
        return [$"{folder}/{document}", $"{folder}/proposal.tf"];
    }
}
