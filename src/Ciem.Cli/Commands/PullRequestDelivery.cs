using System.CommandLine;
using Ciem.App.Iac;
using Ciem.Cli.Iac;
using Ciem.Core.Diagnostics;

namespace Ciem.Cli.Commands;

/// <summary>`--pull-request github|gitlab`, `--repository`, `--api-url`, `--token-env` of `ciem propose`.</summary>
public sealed class PullRequestOptions
{
    public Option<string?> Forge { get; } = new("--pull-request") { Description = "after --push, open a pull request (github) or merge request (gitlab) for the branch, or update the open one" };

    public Option<string?> Repository { get; } = new("--repository") { Description = "with --pull-request: OWNER/NAME (GitHub) or the project path GROUP/…/PROJECT (GitLab); default: from the push remote's URL" };

    public Option<string?> ApiUrl { get; } = new("--api-url") { Description = "with --pull-request: the REST API base (default https://api.github.com, https://HOST/api/v3 for GitHub Enterprise, https://HOST/api/v4 for GitLab)" };

    public Option<string?> TokenEnv { get; } = new("--token-env") { Description = "with --pull-request: the environment variable holding the token (default GITHUB_TOKEN or GITLAB_TOKEN)" };

    public PullRequestOptions() => Forge.AcceptOnlyFromAmong("github", "gitlab");

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Forge);
        command.Options.Add(Repository);
        command.Options.Add(ApiUrl);
        command.Options.Add(TokenEnv);
    }

    /// <summary>The values given, or null when `--pull-request` is absent (the other options alone are an error).</summary>
    public Values? Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var forge = parse.GetValue(Forge);
        var values = new Values(forge, parse.GetValue(Repository), parse.GetValue(ApiUrl), parse.GetValue(TokenEnv));
        return forge is null && values.Repository is null && values.ApiUrl is null && values.TokenEnv is null ? null : values;
    }

    public sealed record Values(string? Forge, string? Repository, string? ApiUrl, string? TokenEnv);
}

/// <summary>
/// Opens the pull (merge) request for a pushed proposal branch. Everything that can be checked before the branch is made
/// (options, repository, API URL, token) is checked in <see cref="Prepare"/>, so a bad argument changes nothing.
/// </summary>
public sealed class PullRequestDelivery
{
    private readonly CliHost _host;
    private readonly PullRequestTarget _target;
    private readonly string _token;

    private PullRequestDelivery(CliHost host, PullRequestTarget target, string token)
    {
        _host = host;
        _target = target;
        _token = token;
    }

    /// <summary>The request timeout; the API answers in well under a second.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Checks the options and finds the repository, API and token; null (with an error printed) when one is missing.</summary>
    public static PullRequestDelivery? Prepare(CliHost host, ProposeCommand.IacTarget iac, PullRequestOptions.Values options)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(iac);
        ArgumentNullException.ThrowIfNull(options);
        string? Fail(string message)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.PullRequestOptions}: {message}");
            return null;
        }
        if (options.Forge is null) { Fail("--repository, --api-url and --token-env go with --pull-request github|gitlab"); return null; }
        if (iac.Repository is null || iac.Push is null) { Fail("--pull-request needs --iac-repo PATH and --push REMOTE: the branch must be pushed first"); return null; }
        var forge = options.Forge == "gitlab" ? Forge.GitLab : Forge.GitHub;
        if (!Directory.Exists(Path.Combine(iac.Repository, ".git")) && !File.Exists(Path.Combine(iac.Repository, ".git")))
        {
            Fail($"`{iac.Repository}` is not a git working tree (--iac-repo)");
            return null;
        }
        var git = new GitRepository(iac.Repository);
        var (code, remoteUrl, _) = git.TryRun("remote", "get-url", iac.Push);
        if (code != 0) { Fail($"`{iac.Push}` is not a remote of `{git.Path}` (--push)"); return null; }
        var remote = ForgeRemote.Parse(remoteUrl);
        var repository = options.Repository ?? remote?.Path;
        if (repository is null)
        {
            Fail($"cannot tell the repository from the URL `{remoteUrl.Trim()}` of remote `{iac.Push}`: give --repository {(forge == Forge.GitHub ? "OWNER/NAME" : "GROUP/PROJECT")}");
            return null;
        }
        if (!ForgeRemote.IsRepositoryName(forge, repository))
        {
            Fail($"`{repository}` is not a {(forge == Forge.GitHub ? "GitHub repository (OWNER/NAME)" : "GitLab project path (GROUP/…/PROJECT)")} (--repository)");
            return null;
        }
        Uri? api;
        if (options.ApiUrl is not null)
        {
            if (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out api) || api.Scheme is not ("https" or "http")) { Fail($"`{options.ApiUrl}` is not an http(s) URL (--api-url)"); return null; }
        }
        else if (remote is { } r && r.Scheme is "https" or "http" or "ssh" or "git")
        {
            api = ForgeRemote.DefaultApi(forge, r.Scheme, r.Host);
        }
        else
        {
            Fail($"cannot tell the API from the URL `{remoteUrl.Trim()}` of remote `{iac.Push}`: give --api-url");
            return null;
        }
        var variable = options.TokenEnv ?? (forge == Forge.GitHub ? "GITHUB_TOKEN" : "GITLAB_TOKEN");
        if (host.Environment(variable) is not { Length: > 0 } token)
        {
            Fail($"no token in the environment variable `{variable}`: set it to a token that may open {(forge == Forge.GitHub ? "pull requests" : "merge requests")} on `{repository}`, or name another with --token-env");
            return null;
        }
        var branch = git.CurrentBranch;
        if (branch == "HEAD") { Fail($"`{git.Path}` is on a detached HEAD: check out the branch the {(forge == Forge.GitHub ? "pull" : "merge")} request should merge into"); return null; }
        return new PullRequestDelivery(host, new PullRequestTarget(forge, api, repository, variable), token);
    }

    /// <summary>Opens or updates the pull request for the pushed branch; exit code 1 with a message when the API refuses or cannot be reached.</summary>
    public int Open(IacBranchResult branch, TextWriter say, out PullRequestResult? result)
    {
        ArgumentNullException.ThrowIfNull(branch);
        ArgumentNullException.ThrowIfNull(say);
        result = null;
        using var http = new HttpClient { Timeout = Timeout };
        var client = PullRequestClient.Create(http, _target, _token, _host.Clock);
        if (branch.PushedTo is null)
        {
            say.WriteLine($"no {client.Noun}: the branch `{branch.Branch}` has no commit, nothing was pushed");
            return ExitCodes.Ok;
        }
        var count = branch.Rewritten.Length;
        var request = new PullRequestRequest(branch.Branch, branch.BaseBranch!, $"Least privilege for {count} identit{(count == 1 ? "y" : "ies")} (OpenCIEM)", branch.PullRequestMarkdown);
        try
        {
            result = client.OpenAsync(request).GetAwaiter().GetResult();
        }
        catch (PullRequestException e)
        {
            _host.Error.WriteLine($"error {e.Code}: {e.Message}");
            _host.Error.WriteLine($"the branch `{branch.Branch}` is pushed to `{branch.PushedTo}`: open the {client.Noun} by hand (description in PR.md), or fix the cause and run again with another --branch");
            return ExitCodes.Failure;
        }
        say.WriteLine($"{client.Noun} {(_target.Forge == Forge.GitHub ? "#" : "!")}{result.Number} {(result.Updated ? "updated (it was already open for the branch)" : "opened")}: {result.Url}");
        return ExitCodes.Ok;
    }
}
