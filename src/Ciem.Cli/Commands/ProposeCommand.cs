using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.Cli.Iac;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Diagnostics;
using Ciem.Core.Sweep;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>`ciem propose [IDENTITY] --out DIR`: verified least-privilege proposals as IAM JSON, Terraform and a readable diff.</summary>
public static class ProposeCommand
{
    public static Command Create(CliHost host)
    {
        var identity = new Argument<string?>("identity") { Description = "one identity (ARN, name or ACCOUNT/NAME); all over-permissioned identities when omitted", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--out") { Description = "the folder to write the proposals to", Required = true };
        var usage = new UsageOptions();
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var iacRepo = new Option<string?>("--iac-repo") { Description = "a local clone of the Terraform repository: rewrite the roles' policies there on a new branch, one commit per account" };
        var branch = new Option<string?>("--branch") { Description = "the branch to create in --iac-repo (default ciem/least-privilege-DATE)" };
        var push = new Option<string?>("--push") { Description = "push the branch to this remote of --iac-repo (e.g. origin)" };
        var pr = new PullRequestOptions();
        var provider = Providers.Option("aws");
        var dropUnknown = new Option<bool>("--drop-unknown") { Description = "azure and gcp: leave out granted permissions the logs cannot show used (reads, data actions, Data Access permissions), which are otherwise kept and marked" };
        var command = new Command("propose", "propose least-privilege policies from observed usage, verified by replaying it") { identity, output, db, format, iacRepo, branch, push, provider, dropUnknown };
        usage.AddTo(command);
        pr.AddTo(command);
        command.SetAction(p => p.GetValue(provider) is Providers.Azure or Providers.Gcp
            ? CloudProposeCommand.Run(host, p.GetValue(provider)!, p.GetValue(identity), p.GetValue(output)!, p.GetValue(usage.Window), p.GetValue(usage.AsOf), p.GetValue(db), p.GetValue(format)!,
                new CloudProposeCommand.Settings(p.GetValue(usage.Lookback), [.. p.GetValue(usage.Keep) ?? []], p.GetValue(dropUnknown)))
            : Run(host, p.GetValue(identity), p.GetValue(output)!, usage.ToSweepOptions(p), p.GetValue(usage.AsOf), p.GetValue(db), p.GetValue(format)!, new IacTarget(p.GetValue(iacRepo), p.GetValue(branch), p.GetValue(push)) { PullRequest = pr.Read(p) }));
        return command;
    }

    /// <summary>Where to write the proposals as a branch (`--iac-repo`, `--branch`, `--push`); all null when not asked.</summary>
    public sealed record IacTarget(string? Repository, string? Branch, string? Push)
    {
        /// <summary>Open a pull (merge) request for the pushed branch (`--pull-request`); null when not asked.</summary>
        public PullRequestOptions.Values? PullRequest { get; init; }
    }

    public static int Run(CliHost host, string? query, string output, SweepOptions options, DateTimeOffset? asOf, string? db, string format, IacTarget? iac = null)
    {
        if (query is not null)
        {
            var estate = StoreAccess.LoadEstate(host, db);
            if (estate is null) { return ExitCodes.Failure; }
            var who = IdentitiesCommand.Resolve(host, estate, query);
            if (who is null) { return ExitCodes.InvalidInput; }
            // One identity asked for by name: propose even when the unused share is small.
            options = options with { Only = [who.Identity.Id], MinimumUnusedShare = 0 };
        }
        PullRequestDelivery? delivery = null;
        if (iac?.PullRequest is { } prOptions)
        {
            delivery = PullRequestDelivery.Prepare(host, iac, prOptions);
            if (delivery is null) { return ExitCodes.InvalidInput; }
        }
        var result = SweepCommand.Compute(host, options, asOf, db, quiet: format == "json");
        if (result is null) { return ExitCodes.Failure; }
        WriteProposals(output, result.Proposals);
        var say = format == "json" ? host.Error : host.Out;
        IacBranchResult? branchResult = null;
        PullRequestResult? opened = null;
        if (iac?.Repository is not null)
        {
            var code = WriteBranch(host, iac, output, result.Proposals, new ProposalWindow(asOf ?? host.Clock.GetUtcNow(), options.WindowDays, options.LookbackDays), say, out branchResult);
            if (code != ExitCodes.Ok) { return code; }
            if (delivery is not null && branchResult is not null)
            {
                code = delivery.Open(branchResult, say, out opened);
                if (code != ExitCodes.Ok)
                {
                    ReductionRecorder.Record(host, db, result.Proposals, output, branchResult, null);
                    return code;
                }
            }
        }
        ReductionRecorder.Record(host, db, result.Proposals, output, branchResult, opened);
        if (format == "json")
        {
            host.Out.WriteLine(JsonSerializer.Serialize(new
            {
                output = Path.GetFullPath(output),
                proposals = result.Proposals.Select(p => new { identity = p.Identity.Id, grantedBefore = p.GrantedBefore, grantedAfter = p.GrantedAfter, reductionPercent = p.ReductionPercent, confidence = p.Confidence, verified = p.Verification.Passed, files = FileStem(p) }),
                branch = branchResult is null ? null : new { name = branchResult.Branch, commits = branchResult.Commits, files = branchResult.ChangedFiles },
                pullRequest = opened is null ? null : new { number = opened.Number, url = opened.Url, updated = opened.Updated },
                failures = result.Failures.Select(f => new { identity = f.Identity.Id, reason = f.Reason, regressions = f.Regressions.Select(r => $"{r.Action} on {r.Resource}") }),
            }, CliJson.Options));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("identity", "granted before", "after", "reduction", "confidence", "verification", "files");
        foreach (var p in result.Proposals)
        {
            table.AddRow(Markup.Escape(p.Identity.Name), p.GrantedBefore.ToString("N0", CultureInfo.InvariantCulture), p.GrantedAfter.ToString("N0", CultureInfo.InvariantCulture),
                $"{p.ReductionPercent:0.#}%", p.Confidence.ToString("0.00", CultureInfo.InvariantCulture),
                $"[green]{p.Verification.StillAllowed}/{p.Verification.Replayed} calls allowed[/]", Markup.Escape(FileStem(p) + ".*"));
        }
        host.Console.Write(table);
        foreach (var f in result.Failures)
        {
            host.Console.MarkupLineInterpolated($"[red]not emitted[/] for {f.Identity.Id}: {f.Reason} ({string.Join(", ", f.Regressions.Take(3).Select(r => $"{r.Action} on {r.Resource}"))})");
        }
        if (result.Proposals.IsEmpty && result.Failures.IsEmpty)
        {
            host.Console.WriteLine(query is null ? "no identity is over-permissioned by the threshold, or none was active in the window" : "no proposal: the identity was not active in the window (see `ciem gap`)");
        }
        host.Console.MarkupLineInterpolated($"written to [bold]{Path.GetFullPath(output)}[/]");
        return ExitCodes.Ok;
    }

    /// <summary>Rewrites the roles' policies in the Terraform clone on a new branch, writes `PR.md` beside the proposals and prints drift.</summary>
    private static int WriteBranch(CliHost host, IacTarget iac, string output, IReadOnlyList<PolicyProposal> proposals, ProposalWindow window, TextWriter say, out IacBranchResult? result)
    {
        result = null;
        if (!Directory.Exists(Path.Combine(iac.Repository!, ".git")) && !File.Exists(Path.Combine(iac.Repository!, ".git")))
        {
            host.Error.WriteLine($"error {DiagnosticCodes.CliBadArgument}: `{iac.Repository}` is not a git working tree (--iac-repo)");
            return ExitCodes.InvalidInput;
        }
        var branch = iac.Branch ?? $"ciem/least-privilege-{window.AsOf:yyyy-MM-dd}";
        try { result = IacProposalBranch.Create(iac.Repository!, branch, proposals, window, iac.Push); }
        catch (InvalidOperationException e)
        {
            host.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        File.WriteAllText(Path.Combine(output, "PR.md"), result.PullRequestMarkdown);
        foreach (var d in result.Diagnostics) { host.Error.WriteLine(d.ToString()); }
        say.WriteLine($"branch {result.Branch}: {result.Commits.Length} commit(s), {result.ChangedFiles.Length} file(s) changed, {result.Rewritten.Length} identit(ies) rewritten");
        foreach (var d in result.Drift) { say.WriteLine($"drift: {d.Proposal.Identity.Id}: {d.Reason}"); }
        return ExitCodes.Ok;
    }

    /// <summary>Writes, per proposal: the IAM JSON document(s), Terraform, the diff and the evidence; returns the number of files.</summary>
    public static int WriteProposals(string folder, IEnumerable<PolicyProposal> proposals)
    {
        Directory.CreateDirectory(folder);
        var count = 0;
        foreach (var p in proposals)
        {
            var stem = Path.Combine(folder, FileStem(p));
            foreach (var (policy, i) in p.Policies.Select((x, i) => (x, i)))
            {
                File.WriteAllText(p.Policies.Length == 1 ? stem + ".json" : $"{stem}-{i + 1}.json", policy.Json + "\n");
                count++;
            }
            File.WriteAllText(stem + ".tf", ProposalRenderer.Terraform(p));
            File.WriteAllText(stem + ".diff.txt", ProposalRenderer.Diff(p));
            File.WriteAllText(stem + ".evidence.json", JsonSerializer.Serialize(new
            {
                identity = p.Identity.Id,
                grantedBefore = p.GrantedBefore,
                grantedAfter = p.GrantedAfter,
                reductionPercent = p.ReductionPercent,
                confidence = p.Confidence,
                verification = new { p.Verification.Replayed, p.Verification.StillAllowed, p.Verification.NotReplayable, passed = p.Verification.Passed },
                evidence = p.Evidence.Select(e => new { action = e.Action, reason = e.Reason.ToString(), count = e.Count, lastUsed = e.LastUsed, resources = e.Resources }),
                removed = p.RemovedActions,
                replaces = p.OriginalPolicies,
                notes = p.Notes,
            }, CliJson.Options));
            count += 3;
        }
        return count;
    }

    /// <summary>`ACCOUNT-NAME`, safe as a file name.</summary>
    public static string FileStem(PolicyProposal p)
    {
        var name = new string([.. p.Identity.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return $"{p.Identity.Scope}-{name}";
    }
}
