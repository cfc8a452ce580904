using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.Cli.Iac;
using Ciem.Cli.Proposals;
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
        command.SetAction(p => p.GetValue(provider) is Providers.Azure or Providers.Gcp
            ? CloudProposeCommand.Run(host, p.GetValue(provider)!, p.GetValue(identity), p.GetValue(output)!, p.GetValue(usage.Window), p.GetValue(usage.AsOf), p.GetValue(db), p.GetValue(format)!,
                new CloudProposeCommand.Settings(p.GetValue(usage.Lookback), [.. p.GetValue(usage.Keep) ?? []], p.GetValue(dropUnknown)))
            : Run(host, p.GetValue(identity), p.GetValue(output)!, usage.ToSweepOptions(p), p.GetValue(usage.AsOf), p.GetValue(db), p.GetValue(format)!, new IacTarget(p.GetValue(iacRepo), p.GetValue(branch), p.GetValue(push)) { PullRequest = pr.Read(p) }, p.GetValue(usage.Config)));
        return command;
    }

    /// <summary>Where to write the proposals as a branch (`--iac-repo`, `--branch`, `--push`); all null when not asked.</summary>
    public sealed record IacTarget(string? Repository, string? Branch, string? Push)
    {
        /// <summary>Open a pull (merge) request for the pushed branch (`--pull-request`); null when not asked.</summary>
        public PullRequestOptions.Values? PullRequest { get; init; }
    }

    public static int Run(CliHost host, string? query, string output, SweepOptions options, DateTimeOffset? asOf, string? db, string format, IacTarget? iac = null, string? config = null)
    {
        if (!ProposalSettings.TryApplyConfig(host, config, ref options)) { return ExitCodes.InvalidInput; }
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
        try { WriteProposals(output, result.Proposals); }
        catch (InvalidOperationException e)
        {
            host.Error.WriteLine($"error {e.Message}");
            return ExitCodes.Failure;
        }
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
                proposals = result.Proposals.Select(p => new
                {
                    identity = p.Identity.Id,
                    permissionSet = PermissionSetJson(p.PermissionSet),
                    grantedBefore = p.GrantedBefore,
                    grantedAfter = p.GrantedAfter,
                    reductionPercent = p.ReductionPercent,
                    confidence = p.Confidence,
                    verified = p.Verification.Passed,
                    verification = p.Verification.StateName,
                    keptGuardrails = p.Guardrails.Select(GuardrailJson),
                    sensitiveKept = p.Flagged.Select(f => new { action = f.Action, reason = f.Reason, resources = f.Resources }),
                    files = ProposalFileNames.Files(p),
                    removesPaths = p.RemovesPaths,
                }),
                excluded = result.Excluded.Select(e => new { identity = e.Identity.Id, reason = e.Reason }),
                branch = branchResult is null ? null : new { name = branchResult.Branch, commits = branchResult.Commits, files = branchResult.ChangedFiles },
                pullRequest = opened is null ? null : new { number = opened.Number, url = opened.Url, updated = opened.Updated },
                failures = result.Failures.Select(f => new { identity = f.Identity.Id, reason = f.Reason, regressions = f.Regressions.Select(r => $"{r.Action} on {r.Resource}") }),
            }, CliJson.Options));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("identity", "granted before", "after", "reduction", "confidence", "verification", "kept guardrails", "folder");
        foreach (var p in result.Proposals)
        {
            var who = p.PermissionSet is { } set ? $"permission set {set.Name} ({set.Roles.Length} role(s))" : p.Identity.Name;
            table.AddRow(Markup.Escape(who), p.GrantedBefore.ToString("N0", CultureInfo.InvariantCulture), p.GrantedAfter.ToString("N0", CultureInfo.InvariantCulture),
                $"{p.ReductionPercent:0.#}%", p.Confidence.ToString("0.00", CultureInfo.InvariantCulture),
                VerificationMarkup(p.Verification), Markup.Escape(p.Guardrails.IsEmpty ? "-" : string.Join(", ", p.Guardrails.Select(g => g.ShortName))),
                Markup.Escape(FileStem(p) + "/"));
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
        catch (ArgumentException e)
        {
            host.Error.WriteLine($"error {DiagnosticCodes.CliArgument}: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (InvalidOperationException e)
        {
            host.Error.WriteLine($"error: {Ciem.App.Iac.GitRepository.RedactUserInfo(e.Message)}");
            return ExitCodes.Failure;
        }
        File.WriteAllText(Path.Combine(output, "PR.md"), result.PullRequestMarkdown);
        foreach (var d in result.Diagnostics) { host.Error.WriteLine(d.ToString()); }
        say.WriteLine($"branch {result.Branch}: {result.Commits.Length} commit(s), {result.ChangedFiles.Length} file(s) changed, {result.Rewritten.Length} identit(ies) rewritten");
        foreach (var d in result.Drift) { say.WriteLine($"drift: {d.Proposal.Identity.Id}: {d.Reason}"); }
        return ExitCodes.Ok;
    }

    /// <summary>Writes, per proposal, into its own folder: the IAM JSON document(s), Terraform, the diff and the evidence; returns the number of files.</summary>
    public static int WriteProposals(string folder, IEnumerable<PolicyProposal> proposals) => WriteProposals(new ProposalFileWriter(folder), proposals);

    /// <summary>As <see cref="WriteProposals(string, IEnumerable{PolicyProposal})"/>, through a writer shared with other providers' files.</summary>
    public static int WriteProposals(ProposalFileWriter writer, IEnumerable<PolicyProposal> proposals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(proposals);
        Directory.CreateDirectory(writer.Root);
        var count = 0;
        foreach (var p in proposals)
        {
            var files = ProposalFileNames.Files(p);
            var policyFiles = ProposalFileNames.PolicyFiles(p);
            for (var i = 0; i < p.Policies.Length; i++) { writer.Write(policyFiles[i], p.Policies[i].Json + "\n"); }
            var folder = ProposalFileNames.Folder(p);
            writer.Write(folder + "/proposal.tf", ProposalRenderer.Terraform(p));
            writer.Write(folder + "/diff.txt", ProposalRenderer.Diff(p));
            writer.Write(folder + "/evidence.json", JsonSerializer.Serialize(new
            {
                identity = p.Identity.Id,
                permissionSet = PermissionSetJson(p.PermissionSet),
                grantedBefore = p.GrantedBefore,
                grantedAfter = p.GrantedAfter,
                reductionPercent = p.ReductionPercent,
                confidence = p.Confidence,
                verification = new { state = p.Verification.StateName, p.Verification.Replayed, p.Verification.StillAllowed, p.Verification.NotReplayable, passed = p.Verification.Passed, exceeding = p.Verification.Exceeding },
                evidence = p.Evidence.Select(e => new { action = e.Action, reason = e.Reason.ToString(), count = e.Count, lastUsed = e.LastUsed, resources = e.Resources }),
                removed = p.RemovedActions,
                replaces = p.OriginalPolicies,
                keptGuardrails = p.Guardrails.Select(GuardrailJson),
                sensitiveKept = p.Flagged.Select(f => new { action = f.Action, reason = f.Reason, resources = f.Resources }),
                notes = p.Notes,
            }, CliJson.Options));
            count += files.Length;
        }
        return count;
    }

    /// <summary>A kept guardrail as JSON (propose, evidence and sweep JSON share it).</summary>
    public static object GuardrailJson(KeptGuardrail g) => new
    {
        policy = g.Policy,
        kind = g.Kind switch { GuardrailKind.RestrictingPolicy => "restricting-policy", GuardrailKind.DenyStatements => "deny-statements", _ => "permissions-boundary" },
        statements = g.Statements,
        document = g.Document,
    };

    /// <summary>A permission set target as JSON, or null.</summary>
    public static object? PermissionSetJson(PermissionSetTarget? set) => set is null ? null : new
    {
        name = set.Name,
        arn = set.Arn,
        accounts = set.Accounts,
        roles = set.Roles,
        principals = set.Principals,
        replacesManaged = set.ManagedPolicyArns,
        replacesCustomerManaged = set.CustomerManaged.Select(c => c.Path + c.Name),
    };

    /// <summary>The folder of a proposal under `--out`.</summary>
    public static string FileStem(PolicyProposal p) => ProposalFileNames.Folder(p);

    /// <summary>Verification as Spectre markup: green passed, yellow unverified, red failed.</summary>
    public static string VerificationMarkup(ProposalVerification v) => v.State switch
    {
        VerificationState.Passed => $"[green]passed {v.StillAllowed}/{v.Replayed} calls[/]",
        VerificationState.Unverified => "[yellow]unverified: no replayable call[/]",
        _ => $"[red]failed {v.StillAllowed}/{v.Replayed} calls[/]",
    };
}
