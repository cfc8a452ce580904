using Ciem.Core.Diagnostics;

namespace Ciem.App.Iac;

/// <summary>
/// The forge a pushed branch is proposed on: `github` or `gitlab`, the repository (default: from the push remote's
/// URL), the API base (default: from the remote's host), the environment variable holding the token, and whether
/// plain http may carry the token (never by default).
/// </summary>
public sealed record ForgeSettings(string Forge, string? Repository = null, string? ApiUrl = null, string? TokenEnv = null)
{
    public bool AllowInsecureHttp { get; init; }
}

/// <summary>
/// Opens pull (merge) requests for branches pushed from one clone. Everything that can be checked before a branch is
/// made — the remote, the repository name, the API base and its transport, the token and its format — is checked in
/// <see cref="Prepare"/>, so a bad setting changes nothing and a bad token never follows a push.
/// </summary>
public sealed class ForgeDelivery
{
    /// <summary>The request timeout; the API answers in well under a second.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _token;
    private readonly TimeProvider _clock;

    private ForgeDelivery(PullRequestTarget target, string token, TimeProvider clock, bool allowInsecureHttp)
    {
        Target = target;
        _token = token;
        _clock = clock;
        AllowInsecureHttp = allowInsecureHttp;
    }

    public PullRequestTarget Target { get; }

    /// <summary>Whether the push remote may carry credentials over plain http (the operator said so).</summary>
    public bool AllowInsecureHttp { get; }

    /// <summary>"pull request" (GitHub) or "merge request" (GitLab).</summary>
    public string Noun => Target.Forge == Forge.GitHub ? "pull request" : "merge request";

    /// <summary>`#31` on GitHub, `!31` on GitLab.</summary>
    public string Reference(PullRequestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return $"{(Target.Forge == Forge.GitHub ? "#" : "!")}{result.Number}";
    }

    /// <summary>
    /// Checks the settings against the clone at <paramref name="repositoryPath"/> and its remote <paramref name="push"/>;
    /// null with the located error when one does not hold.
    /// </summary>
    public static ForgeDelivery? Prepare(
        string repositoryPath, string push, ForgeSettings settings, Func<string, string?> environment, TimeProvider clock,
        out Diagnostic? error)
    {
        ArgumentNullException.ThrowIfNull(repositoryPath);
        ArgumentNullException.ThrowIfNull(push);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        error = null;
        Diagnostic Fail(string message, string code = DiagnosticCodes.PullRequestOptions) => Diagnostic.Error(code, message);
        var forge = settings.Forge == "gitlab" ? Forge.GitLab : Forge.GitHub;
        if (!Directory.Exists(Path.Combine(repositoryPath, ".git")) && !File.Exists(Path.Combine(repositoryPath, ".git")))
        {
            error = Fail($"`{repositoryPath}` is not a git working tree (--iac-repo)");
            return null;
        }
        var git = new GitRepository(repositoryPath);
        var (code, remoteUrl, _) = push.StartsWith('-') ? (1, "", "") : git.TryRun("remote", "get-url", "--", push);
        if (code != 0) { error = Fail($"`{push}` is not a remote of `{git.Path}` (--push)"); return null; }
        var shownUrl = ForgeSecurity.Redact(remoteUrl.Trim());
        try { ForgeSecurity.RequireSafeRemote(git, push, settings.AllowInsecureHttp); }
        catch (ArgumentException e)
        {
            error = Fail(e.Message + " (--push)", DiagnosticCodes.ForgeInsecureHttp);
            return null;
        }
        var remote = ForgeRemote.Parse(remoteUrl);
        var repository = settings.Repository ?? remote?.Path;
        var shape = forge == Forge.GitHub ? "OWNER/NAME" : "GROUP/PROJECT";
        if (repository is null)
        {
            error = Fail($"cannot tell the repository from the URL `{shownUrl}` of remote `{push}`: give --repository {shape}");
            return null;
        }
        if (!ForgeRemote.IsRepositoryName(forge, repository))
        {
            var what = forge == Forge.GitHub ? "GitHub repository (OWNER/NAME)" : "GitLab project path (GROUP/…/PROJECT)";
            error = Fail($"`{repository}` is not a {what} (--repository)");
            return null;
        }
        Uri? api;
        if (settings.ApiUrl is not null)
        {
            if (!Uri.TryCreate(settings.ApiUrl, UriKind.Absolute, out api) || api.Scheme is not ("https" or "http"))
            {
                error = Fail($"`{ForgeSecurity.Redact(settings.ApiUrl)}` is not an http(s) URL (--api-url)");
                return null;
            }
        }
        else if (remote is { } r && r.Scheme is "https" or "http" or "ssh" or "git")
        {
            api = ForgeRemote.DefaultApi(forge, r.Scheme, r.Host);
        }
        else
        {
            error = Fail($"cannot tell the API from the URL `{shownUrl}` of remote `{push}`: give --api-url");
            return null;
        }
        if (ForgeSecurity.ApiProblem(api, settings.AllowInsecureHttp) is { } unsafeApi)
        {
            error = Fail(unsafeApi + " (--api-url)", DiagnosticCodes.ForgeInsecureHttp);
            return null;
        }
        var variable = settings.TokenEnv ?? (forge == Forge.GitHub ? "GITHUB_TOKEN" : "GITLAB_TOKEN");
        var requests = forge == Forge.GitHub ? "pull requests" : "merge requests";
        if (environment(variable) is not { Length: > 0 } token)
        {
            error = Fail($"no token in the environment variable `{variable}`: set it to a token that may open {requests} "
                + $"on `{repository}`, or name another with --token-env");
            return null;
        }
        if (ForgeSecurity.TokenProblem(token) is { } bad)
        {
            error = Fail($"the token in `{variable}` cannot be sent: {bad}", DiagnosticCodes.ForgeTokenInvalid);
            return null;
        }
        if (git.CurrentBranch == "HEAD")
        {
            error = Fail($"`{git.Path}` is on a detached HEAD: check out the branch the "
                + $"{(forge == Forge.GitHub ? "pull" : "merge")} request should merge into");
            return null;
        }
        return new ForgeDelivery(new PullRequestTarget(forge, api, repository, variable), token, clock, settings.AllowInsecureHttp);
    }

    /// <summary>
    /// The forge for a clone and its push remote from the options of `ciem propose` and `ciem review apply|rollback`,
    /// given when any forge option was: <paramref name="settings"/> null means `--pull-request` is missing (the other
    /// forge options alone are an error), and a pull request needs the clone and the remote (the branch is pushed
    /// first). Null with the error.
    /// </summary>
    public static ForgeDelivery? PrepareFromOptions(
        string? repositoryPath, string? push, ForgeSettings? settings, Func<string, string?> environment, TimeProvider clock,
        out Diagnostic? error)
    {
        error = null;
        if (settings is null)
        {
            error = Diagnostic.Error(DiagnosticCodes.PullRequestOptions,
                "--repository, --api-url and --token-env go with --pull-request github|gitlab");
            return null;
        }
        if (repositoryPath is null || push is null)
        {
            error = Diagnostic.Error(DiagnosticCodes.PullRequestOptions,
                "--pull-request needs --iac-repo PATH and --push REMOTE: the branch must be pushed first");
            return null;
        }
        return Prepare(repositoryPath, push, settings, environment, clock, out error);
    }

    /// <summary>The pull request of a pushed `ciem propose` branch: its title and the branch's description (PR.md).</summary>
    public static PullRequestRequest ProposalRequest(IacBranchResult branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        var count = branch.Rewritten.Length;
        var title = $"Least privilege for {count} identit{(count == 1 ? "y" : "ies")} (OpenCIEM)";
        return new PullRequestRequest(branch.Branch, branch.BaseBranch!, title, branch.PullRequestMarkdown);
    }

    /// <summary>Opens (or updates) the pull request; null with why (`CODE: message`) when the API refuses or is unreachable.</summary>
    public PullRequestResult? TryOpen(PullRequestRequest request, out string? error)
    {
        error = null;
        try
        {
            return Open(request);
        }
        catch (PullRequestException e)
        {
            error = $"{e.Code}: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// Opens the pull request from <paramref name="request"/>'s head into its base, or updates the open one; a refusal
    /// or an unreachable API is a <see cref="PullRequestException"/> whose message names what to check.
    /// </summary>
    public PullRequestResult Open(PullRequestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var http = ForgeSecurity.CreateHttpClient(Timeout);
        return PullRequestClient.Create(http, Target, _token, _clock).OpenAsync(request).GetAwaiter().GetResult();
    }
}
