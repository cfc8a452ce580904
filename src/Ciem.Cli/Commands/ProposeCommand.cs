using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Identities;
using Ciem.App.Proposals;
using Ciem.App.Reports;
using Ciem.App.Sweep;
using Ciem.App.Iac;
using Ciem.Cli.Proposals;
using Ciem.Core.Aws.LeastPrivilege;
using Ciem.Core.Diagnostics;
using Ciem.Core.LeastPrivilege;
using Ciem.Core.Model;
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
        var usage = new UsageOptions(host);
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
        command.SetAction(p => p.GetValue(provider) is Provider.AzureName or Provider.GcpName
            ? RunCloud(host, Provider.Parse(p.GetValue(provider)!), p.GetValue(identity), p.GetValue(output)!, p.GetValue(usage.Window), p.GetValue(usage.AsOf), p.GetValue(db), p.GetValue(format)!,
                p.GetValue(usage.Lookback), [.. p.GetValue(usage.Keep) ?? []], p.GetValue(dropUnknown))
            : Run(host, p.GetValue(identity), p.GetValue(output)!, usage.ToSweepOptions(p), p.GetValue(usage.AsOf), p.GetValue(db), p.GetValue(format)!, new IacTarget(p.GetValue(iacRepo), p.GetValue(branch), p.GetValue(push)) { PullRequest = pr.Read(p), AllowInsecureHttp = p.GetValue(pr.AllowInsecureHttp) }, p.GetValue(usage.Config)));
        return command;
    }

    /// <summary>Where to write the proposals as a branch (`--iac-repo`, `--branch`, `--push`); all null when not asked.</summary>
    public sealed record IacTarget(string? Repository, string? Branch, string? Push)
    {
        /// <summary>Open a pull (merge) request for the pushed branch (`--pull-request`); null when not asked.</summary>
        public PullRequestOptions.Values? PullRequest { get; init; }

        /// <summary>`--allow-insecure-http`: the push remote may carry credentials over plain http.</summary>
        public bool AllowInsecureHttp { get; init; }
    }

    public static int Run(CliHost host, string? query, string output, SweepOptions options, DateTimeOffset? asOf, string? db, string format, IacTarget? iac = null, string? config = null)
    {
        if (!ProposalSettings.TryApplyConfig(host, config, ref options)) { return ExitCodes.InvalidInput; }
        var session = host.Session(db);
        if (query is not null)
        {
            var narrowed = ProposalDelivery.ForIdentity(session, query, options);
            if (!QuestionOutput.TryAnswer(host, narrowed, out var only, out var exit)) { return exit; }
            options = only;
        }
        PullRequestDelivery? delivery = null;
        if (iac?.PullRequest is { } prOptions)
        {
            delivery = PullRequestDelivery.Prepare(host, iac, prOptions);
            if (delivery is null) { return ExitCodes.InvalidInput; }
        }
        var request = new SweepRequest(asOf ?? host.Clock.GetUtcNow(), options);
        var result = SweepHost.Run(host, format == "json", progress => EstateSweeper.SweepAws(session, request, progress));
        if (result is null) { return ExitCodes.Failure; }
        if (ProposalDelivery.WriteFiles(output, result.Proposals) is { } error)
        {
            host.Error.WriteLine(error);
            return ExitCodes.Failure;
        }
        var say = format == "json" ? host.Error : host.Out;
        IacBranchResult? branchResult = null;
        PullRequestResult? opened = null;
        if (iac?.Repository is not null)
        {
            var window = new ProposalWindow(asOf ?? host.Clock.GetUtcNow(), options.WindowDays, options.LookbackDays);
            var branchOptions = new IacBranchOptions { PushTo = iac.Push, KeepEmpty = true, AllowInsecureHttp = iac.AllowInsecureHttp };
            var written = ProposalDelivery.WriteBranch(iac.Repository, iac.Branch, branchOptions, output, result.Proposals, window);
            if (written.Branch is not { } branch)
            {
                host.Error.WriteLine(written.Error);
                return written.InvalidInput ? ExitCodes.InvalidInput : ExitCodes.Failure;
            }
            branchResult = branch;
            foreach (var d in branch.Diagnostics) { host.Error.WriteLine(d.ToString()); }
            say.WriteLine($"branch {branch.Branch}: {branch.Commits.Length} commit(s), {branch.ChangedFiles.Length} file(s) changed, "
                + $"{branch.Rewritten.Length} identit(ies) rewritten");
            foreach (var d in branch.Drift) { say.WriteLine($"drift: {d.Proposal.Identity.Id}: {d.Reason}"); }
            if (delivery is not null && delivery.Open(branch, say, out opened) is var code && code != ExitCodes.Ok)
            {
                ProposalDelivery.Record(session.Store, result.Proposals, output, branch, null, host.Clock.GetUtcNow());
                return code;
            }
        }
        ProposalDelivery.Record(session.Store, result.Proposals, output, branchResult, opened, host.Clock.GetUtcNow());
        if (format == "json")
        {
            CliJson.Write(host, "propose", ProposeJson.Aws(output, result, branchResult, opened));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("identity", "granted before", "after", "reduction", "confidence", "verification", "kept guardrails", "folder");
        foreach (var p in result.Proposals)
        {
            var who = p.PermissionSet is { } set ? $"permission set {set.Name} ({set.Roles.Length} role(s))" : p.Identity.Name;
            table.AddRow(Markup.Escape(who), p.GrantedBefore.ToString("N0", CultureInfo.InvariantCulture), p.GrantedAfter.ToString("N0", CultureInfo.InvariantCulture),
                $"{p.ReductionPercent:0.#}%", p.Confidence.ToString("0.00", CultureInfo.InvariantCulture),
                VerificationMarkup(p.Verification), Markup.Escape(p.Guardrails.IsEmpty ? "-" : string.Join(", ", p.Guardrails.Select(g => g.ShortName))),
                Markup.Escape(ProposalFileNames.Folder(p) + "/"));
        }
        host.Console.Write(table);
        foreach (var p in result.Proposals.Where(p => !p.Flagged.IsEmpty))
        {
            host.Console.MarkupLineInterpolated($"[yellow]sensitive kept as unknown[/] for {p.Identity.Name}: {string.Join(", ", p.Flagged.Select(f => $"{f.Action} ({f.Reason})"))}");
        }
        foreach (var (p, cut) in result.Proposals.SelectMany(p => p.RemovesPaths.Select(c => (p, c))))
        {
            host.Console.MarkupLineInterpolated($"[green]cuts escalation[/] for {p.Identity.Name}: {cut}");
        }
        foreach (var e in result.Excluded)
        {
            host.Console.MarkupLineInterpolated($"[grey]no proposal[/] for {e.Identity.Id}: {e.Reason}");
        }
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

    /// <summary>
    /// `ciem propose --provider azure|gcp PRINCIPAL --out DIR`: the App's <see cref="CloudProposer"/> for one principal,
    /// its role (or binding) and Terraform written and recorded as a delivery, the outcome rendered.
    /// </summary>
    public static int RunCloud(CliHost host, Provider provider, string? query, string output, int windowDays, DateTimeOffset? asOf, string? db, string format,
        int lookbackDays = 400, IReadOnlyCollection<string>? keep = null, bool dropUnknown = false)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (query is null)
        {
            host.Error.WriteLine($"error: `ciem propose --provider {provider}` needs a principal");
            return ExitCodes.InvalidInput;
        }
        var session = host.Session(db);
        var request = new CloudProposeRequest(provider, query, asOf ?? host.Clock.GetUtcNow(), windowDays)
        {
            LookbackDays = lookbackDays,
            Keep = keep ?? [],
            DropUnknown = dropUnknown,
        };
        var outcome = CloudProposer.Propose(session, request);
        if (outcome.Missing is not null)
        {
            host.Error.WriteLine($"error: {outcome.Missing}");
            return ExitCodes.Failure;
        }
        if (outcome.Result is not { } r)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.CliUnknownIdentity}: {outcome.Unknown}");
            return ExitCodes.InvalidInput;
        }
        var stem = r.Emitted ? ProposalDelivery.WriteCloud(session.Store, r, output, host.Clock.GetUtcNow()) : null;
        if (format == "json")
        {
            CliJson.Write(host, "propose-cloud", ProposeJson.Cloud(provider, r, stem));
        }
        else if (stem is null)
        {
            foreach (var f in r.Failures) { host.Error.WriteLine($"error {DiagnosticCodes.CliNothingProduced}: no proposal for `{r.Principal}`: {f}"); }
        }
        else
        {
            host.Out.WriteLine($"{r.Principal}: {r.Summary}; granted {r.GrantedBefore:N0} → {r.GrantedAfter:N0}; every observed call allowed on replay");
            host.Out.WriteLine("kept: " + string.Join(", ", r.Kept.GroupBy(k => k.Reason).OrderBy(g => g.Key).Select(g => $"{g.Count():N0} {ProposeJson.ReasonName(g.Key)}")));
            if (r.Confidence is { } c) { host.Out.WriteLine($"confidence {c.Level} ({c.Score:0.00}): {c.Reason}"); }
            host.Out.WriteLine($"written to {Path.GetFullPath(output)} ({stem}/)");
        }
        // Nothing written is a failure for a script, whatever the format: the reasons are in the output.
        return stem is null ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>Verification as Spectre markup: green passed, yellow unverified, red failed.</summary>
    public static string VerificationMarkup(ProposalVerification v) => v.State switch
    {
        VerificationState.Passed => $"[green]passed {v.StillAllowed}/{v.Replayed} calls[/]",
        VerificationState.Unverified => "[yellow]unverified: no replayable call[/]",
        _ => $"[red]failed {v.StillAllowed}/{v.Replayed} calls[/]",
    };
}
