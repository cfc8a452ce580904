using System.CommandLine;
using Ciem.App.Iac;

namespace Ciem.Cli.Commands;

/// <summary>`--pull-request github|gitlab`, `--repository`, `--api-url`, `--token-env` of `ciem propose`.</summary>
public sealed class PullRequestOptions
{
    public Option<string?> Forge { get; } = new("--pull-request") { Description = "after --push, open a pull request (github) or merge request (gitlab) for the branch, or update the open one" };

    public Option<string?> Repository { get; } = new("--repository") { Description = "with --pull-request: OWNER/NAME (GitHub) or the project path GROUP/…/PROJECT (GitLab); default: from the push remote's URL" };

    public Option<string?> ApiUrl { get; } = new("--api-url") { Description = "with --pull-request: the REST API base (default https://api.github.com, https://HOST/api/v3 for GitHub Enterprise, https://HOST/api/v4 for GitLab)" };

    public Option<string?> TokenEnv { get; } = new("--token-env") { Description = "with --pull-request: the environment variable holding the token (default GITHUB_TOKEN or GITLAB_TOKEN)" };

    public Option<bool> AllowInsecureHttp { get; } = new("--allow-insecure-http") { Description = "let the token (API) and remote credentials travel over plain http: only for a forge on a trusted network" };

    public PullRequestOptions() => Forge.AcceptOnlyFromAmong("github", "gitlab");

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Forge);
        command.Options.Add(Repository);
        command.Options.Add(ApiUrl);
        command.Options.Add(TokenEnv);
        command.Options.Add(AllowInsecureHttp);
    }

    /// <summary>The values given, or null when `--pull-request` is absent (the other options alone are an error).</summary>
    public Values? Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var forge = parse.GetValue(Forge);
        var values = new Values(forge, parse.GetValue(Repository), parse.GetValue(ApiUrl), parse.GetValue(TokenEnv)) { AllowInsecureHttp = parse.GetValue(AllowInsecureHttp) };
        return forge is null && values.Repository is null && values.ApiUrl is null && values.TokenEnv is null ? null : values;
    }

    public sealed record Values(string? Forge, string? Repository, string? ApiUrl, string? TokenEnv)
    {
        public bool AllowInsecureHttp { get; init; }
    }
}

/// <summary>
/// Renders the pull (merge) request of a pushed proposal branch: the checks (ForgeDelivery.PrepareFromOptions), the
/// request (ForgeDelivery.ProposalRequest) and the call (ForgeDelivery.TryOpen) are App's; a bad argument changes nothing.
/// </summary>
public sealed class PullRequestDelivery
{
    private readonly CliHost _host;
    private readonly ForgeDelivery _forge;

    private PullRequestDelivery(CliHost host, ForgeDelivery forge)
    {
        _host = host;
        _forge = forge;
    }

    /// <summary>Whether `--allow-insecure-http` lets the push remote carry credentials over plain http.</summary>
    public bool AllowInsecureHttp => _forge.AllowInsecureHttp;

    /// <summary>Checks the options and finds the repository, API and token; null (with an error printed) when one is missing.</summary>
    public static PullRequestDelivery? Prepare(CliHost host, ProposeCommand.IacTarget iac, PullRequestOptions.Values options)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(iac);
        ArgumentNullException.ThrowIfNull(options);
        var forge = Prepare(host, iac.Repository, iac.Push, options);
        return forge is null ? null : new PullRequestDelivery(host, forge);
    }

    /// <summary>The forge for a clone and its push remote (`ciem propose`, `ciem review apply|rollback`); null with the error printed.</summary>
    public static ForgeDelivery? Prepare(CliHost host, string? repository, string? push, PullRequestOptions.Values options)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Forge is null ? null : new ForgeSettings(options.Forge, options.Repository, options.ApiUrl, options.TokenEnv)
        {
            AllowInsecureHttp = options.AllowInsecureHttp,
        };
        var forge = ForgeDelivery.PrepareFromOptions(repository, push, settings, host.Environment, host.Clock, out var error);
        if (forge is null) { host.Error.WriteLine($"error {error!.Code}: {error.Message}"); }
        return forge;
    }

    /// <summary>Opens or updates the pull request for the pushed branch; exit code 1 with a message when the API refuses.</summary>
    public int Open(IacBranchResult branch, TextWriter say, out PullRequestResult? result)
    {
        ArgumentNullException.ThrowIfNull(branch);
        ArgumentNullException.ThrowIfNull(say);
        result = null;
        if (branch.PushedTo is null)
        {
            say.WriteLine($"no {_forge.Noun}: the branch `{branch.Branch}` has no commit, nothing was pushed");
            return ExitCodes.Ok;
        }
        result = _forge.TryOpen(ForgeDelivery.ProposalRequest(branch), out var failed);
        if (result is null)
        {
            _host.Error.WriteLine($"error {failed}");
            _host.Error.WriteLine($"the branch `{branch.Branch}` is pushed to `{branch.PushedTo}`: open the {_forge.Noun} by hand "
                + "(description in PR.md), or fix the cause and run again with another --branch");
            return ExitCodes.Failure;
        }
        var done = result.Updated ? "updated (it was already open for the branch)" : "opened";
        say.WriteLine($"{_forge.Noun} {_forge.Reference(result)} {done}: {result.Url}");
        return ExitCodes.Ok;
    }
}
