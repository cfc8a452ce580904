namespace Ciem.App.Iac;

/// <summary>
/// Works out the repository and API of a push remote: `https://host/owner/name.git`, `ssh://git@host[:port]/group/project.git`
/// or `git@host:owner/name.git`. github.com uses `https://api.github.com`, any other GitHub host (Enterprise Server)
/// `https://HOST/api/v3`; GitLab uses `https://HOST/api/v4` (gitlab.com or self-managed).
/// </summary>
public static class ForgeRemote
{
    /// <summary>The host and repository path of a remote URL, or null for a local path or an unknown form.</summary>
    public static (string Scheme, string Host, string Path)? Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        url = url.Trim();
        string scheme, host, path;
        if (url.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http" or "ssh" or "git") || uri.Host.Length == 0) { return null; }
            scheme = uri.Scheme;
            host = uri.Host;
            path = Uri.UnescapeDataString(uri.AbsolutePath);
        }
        else
        {
            // scp-like syntax: [user@]host:path (a colon before any slash, and not a Windows drive letter).
            var colon = url.IndexOf(':', StringComparison.Ordinal);
            var slash = url.IndexOf('/', StringComparison.Ordinal);
            if (colon <= 1 || (slash >= 0 && slash < colon)) { return null; }
            scheme = "ssh";
            host = url[..colon];
            host = host[(host.IndexOf('@', StringComparison.Ordinal) + 1)..];
            path = url[(colon + 1)..];
        }
        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.Ordinal)) { path = path[..^4]; }
        return path.Length == 0 || host.Length == 0 ? null : (scheme, host, path);
    }

    /// <summary>The REST API base for a forge at a remote's host.</summary>
    public static Uri DefaultApi(Forge forge, string scheme, string host)
    {
        var web = scheme == "http" ? "http" : "https";
        return forge == Forge.GitHub
            ? new Uri(host.Equals("github.com", StringComparison.OrdinalIgnoreCase) ? "https://api.github.com" : $"{web}://{host}/api/v3")
            : new Uri($"{web}://{host}/api/v4");
    }

    /// <summary>Whether a repository name fits the forge: `owner/name` on GitHub, `group[/subgroup…]/project` on GitLab.</summary>
    public static bool IsRepositoryName(Forge forge, string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var parts = repository.Split('/');
        return parts.All(p => p.Length > 0 && p.Trim() == p) && (forge == Forge.GitHub ? parts.Length == 2 : parts.Length >= 2);
    }
}
