using System.CommandLine;
using Ciem.App.Review;
using Ciem.Cli.Reports;
using Ciem.Core.Diagnostics;

namespace Ciem.Cli.Commands;

/// <summary>
/// `--push REMOTE` and the pull-request options of `ciem review apply|rollback`: the branches made in `--iac-repo` are
/// pushed and, with `--pull-request github|gitlab`, opened as pull (merge) requests through the forge `ciem propose` uses.
/// </summary>
public sealed class ReviewForgeOptions
{
    private readonly PullRequestOptions _pullRequest = new();

    public Option<string?> Push { get; } = new("--push") { Description = "with --iac-repo: push the branches to this remote (then --pull-request opens them)" };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Push);
        _pullRequest.AddTo(command);
    }

    /// <summary>
    /// Opens the `--iac-repo` clone with its push remote and forge; false (with a located error) when something given
    /// cannot be used — checked before anything changes, the token's format included.
    /// </summary>
    public bool TryOpen(CliHost host, ParseResult parse, string? path, out ReviewIacRepository? iac)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(parse);
        iac = null;
        var push = parse.GetValue(Push);
        var pr = _pullRequest.Read(parse);
        if (path is null)
        {
            if (push is null && pr is null) { return true; }
            host.Error.WriteLine($"error {DiagnosticCodes.PullRequestOptions}: --push and --pull-request need --iac-repo PATH on the command line");
            return false;
        }
        iac = ReviewIacRepository.Open(path, out var error);
        if (iac is null)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.ReviewIacFailed}: {ReviewText.Safe(error!)} (--iac-repo)");
            return false;
        }
        if (push is null && pr is null) { return true; }
        var delivery = pr is null ? null : PullRequestDelivery.Prepare(host, path, push, pr);
        if (pr is not null && delivery is null) { iac = null; return false; }
        var insecure = parse.GetValue(_pullRequest.AllowInsecureHttp);
        iac = iac.With(new ReviewForge(push!, delivery) { AllowInsecureHttp = insecure }, out error);
        if (iac is null)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.ForgeInsecureHttp}: {ReviewText.Safe(error!)} (--push)");
            return false;
        }
        return true;
    }
}
