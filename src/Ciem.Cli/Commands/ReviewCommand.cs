using System.CommandLine;
using System.Collections.Immutable;
using Ciem.App.Reports;
using Ciem.App.Notify;
using Ciem.App.Review;
using Ciem.Cli.Proposals;
using Ciem.Cli.Reports;
using Ciem.Core.Review;
using Ciem.Core.Sweep;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem review plan|notify|status|object|approve|apply|verify|rollback|log`: the review programme (docs/review.md) over <see cref="ReviewProgramme"/>.
/// `plan` and `object` run the sweep (as `ciem sweep`) for the proposals; the rest read and change the stored campaign.
/// </summary>
public static class ReviewCommand
{
    public static Command Create(CliHost host)
    {
        var review = new Command("review", "the review programme: staged campaigns of verified proposals with owners, notices, objections, approvals and a hash-chained decision log");
        review.Subcommands.Add(Plan(host));
        review.Subcommands.Add(NotifyCommand(host));
        review.Subcommands.Add(StatusCommand(host));
        review.Subcommands.Add(ObjectCommand(host));
        review.Subcommands.Add(ApproveCommand(host));
        review.Subcommands.Add(ApplyCommand(host));
        review.Subcommands.Add(VerifyCommand(host));
        review.Subcommands.Add(RollbackCommand(host));
        review.Subcommands.Add(LogCommand(host));
        return review;
    }

    private static Option<string?> ConfigOption() => new("--config") { Description = $"the review config (default: ./{ReviewConfigReader.DefaultFileName} when present)" };

    private static Option<string?> CampaignOption() => new("--campaign") { Description = "the campaign id (default: the latest)" };

    private static Command Plan(CliHost host)
    {
        var config = ConfigOption();
        var name = new Option<string?>("--name") { Description = "the campaign id (default: the config's name and the time)" };
        var asOf = new Option<DateTimeOffset?>("--as-of") { Description = "the end of the sweep's usage window (default: now)" };
        var provider = new Option<string[]>("--provider") { Description = "plan only these providers: aws, azure, gcp (repeatable)" };
        provider.AcceptOnlyFromAmong(Core.Model.Provider.AwsName, Core.Model.Provider.AzureName, Core.Model.Provider.GcpName);
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("plan", "turn the latest sweep's verified proposals into a campaign of ordered batches") { config, name, asOf, provider, db, format };
        command.SetAction(p => RunPlan(host, p.GetValue(config), p.GetValue(name), p.GetValue(asOf), p.GetValue(provider) ?? [], p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int RunPlan(CliHost host, string? configPath, string? name, DateTimeOffset? asOf, string[] providers, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var settings = ReadSettings(host, configPath, out var configDir);
        if (settings is null) { return ExitCodes.InvalidInput; }
        var codeOwners = ReviewConfigFiles.CodeOwners(settings, configDir, out var missing);
        if (missing is not null)
        {
            host.Error.WriteLine(missing);
            return ExitCodes.InvalidInput;
        }
        var options = new SweepOptions();
        if (!ProposalSettings.TryApplyConfig(host, null, ref options)) { return ExitCodes.InvalidInput; }
        var when = asOf ?? host.Clock.GetUtcNow();
        var sweep = SweepHost.Estate(host, db, options, when, quiet: true, providers);
        if (sweep is null) { return ExitCodes.Failure; }
        var programme = new ReviewProgramme(StoreAccess.Open(host, db), host.Clock);
        var result = programme.Plan(ReviewEntries.FromSweep(sweep), settings, when, name, codeOwners);
        return Finish(host, result, format, s => ReviewText.Status(host.Out, s));
    }

    private static Command NotifyCommand(CliHost host)
    {
        var config = ConfigOption();
        var campaign = CampaignOption();
        var batch = new Option<int?>("--batch") { Description = "notice only this batch (default: every batch whose notice day has come)" };
        var retry = new Option<bool>("--retry") { Description = "also send again every notice kept after a failure" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("notify", "notice the batches that are due: one notice per owner per batch, by e-mail, webhook or the outbox; a re-run never notifies twice")
        {
            config, campaign, batch, retry, db, format,
        };
        command.SetAction(p => RunNotify(host, p.GetValue(config), p.GetValue(campaign), p.GetValue(batch), p.GetValue(retry), p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int RunNotify(CliHost host, string? configPath, string? campaign, int? batch, bool retry, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var settings = ReadSettings(host, configPath, out _);
        if (settings is null) { return ExitCodes.InvalidInput; }
        var programme = new ReviewProgramme(StoreAccess.Open(host, db), host.Clock);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var state = ReviewConfigFiles.StateDirectory(StoreAccess.Location(host, db), host.EmbeddedDatabasePath());
        var dispatcher = NotificationDispatcher.FromSettings(settings.Notify.Resolve(state), http, host.Clock, host.Environment);
        if (retry)
        {
            var again = dispatcher.RetryPendingAsync().GetAwaiter().GetResult();
            if (format != "json") { host.Out.WriteLine($"retried: {again.Sent} sent, {again.Failed} failed"); }
        }
        var result = programme.NotifyAsync(campaign, dispatcher, batch).GetAwaiter().GetResult();
        var code = Finish(host, result, format, n => ReviewText.Notify(host.Out, n));
        return code == ExitCodes.Ok && result.Value!.Deliveries.Failed > 0 ? ExitCodes.Failure : code;
    }

    private static Command StatusCommand(CliHost host)
    {
        var campaign = CampaignOption();
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var report = new Option<string?>("--report") { Description = "also write the campaign's state as an HTML page to this file" };
        var command = new Command("status", "every batch and identity of the campaign with its state, owner and the reduction so far") { campaign, report, db, format };
        command.SetAction(p =>
        {
            var programme = new ReviewProgramme(StoreAccess.Open(host, p.GetValue(db)), host.Clock);
            var result = programme.Status(p.GetValue(campaign));
            if (result.Ok && p.GetValue(report) is { } file) { OwnerOnly.WriteAllText(file, ReviewHtml.Render(result.Value!)); }
            return Finish(host, result, p.GetValue(format)!, s => ReviewText.Status(host.Out, s));
        });
        return command;
    }

    private static Command ObjectCommand(CliHost host)
    {
        var identity = new Argument<string>("identity") { Description = "the identity's id (ARN, object id, member) or its name" };
        var keep = new Option<string[]>("--keep") { Description = "permissions to keep (exact, or with `*`); each must be one the identity holds", AllowMultipleArgumentsPerToken = true, Required = true };
        var reason = new Option<string>("--reason") { Description = "why they are needed", Required = true };
        var until = new Option<DateTimeOffset?>("--until") { Description = "keep them until this date (default: no end)" };
        var by = new Option<string>("--by") { Description = "who objects (the owner)", Required = true };
        var campaign = CampaignOption();
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("object", "keep permissions of an identity (an exception with expiry) and re-verify its proposal, before the deadline")
        {
            identity, keep, reason, until, by, campaign, db, format,
        };
        command.SetAction(p => RunObject(host, p.GetValue(campaign), p.GetValue(identity)!, p.GetValue(keep) ?? [], p.GetValue(reason)!, p.GetValue(until),
            p.GetValue(by)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int RunObject(CliHost host, string? campaign, string identity, string[] keep, string reason, DateTimeOffset? until, string by, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var store = StoreAccess.Open(host, db);
        var programme = new ReviewProgramme(store, host.Clock);
        var asOf = programme.Status(campaign).Value?.SweepAsOf;
        var result = programme.Object(campaign, identity, keep, reason, until, by, (candidate, kept) => ReviewReverification.Reverify(host, db, candidate, kept, asOf));
        return Finish(host, result, format, i => host.Out.WriteLine(
            $"{ReviewText.Safe(i.Name)} is objected: {i.Removed} permission(s) still to remove, proposal {i.ProposalHash}"));
    }

    private static Command ApproveCommand(CliHost host)
    {
        var target = new Argument<string>("target") { Description = "a batch number or an identity (id or name)" };
        var by = new Option<string>("--by") { Description = "who approves", Required = true };
        var campaign = CampaignOption();
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("approve", "approve a batch or an identity after its deadline (or earlier by the owner); four-eyes when the config asks")
        {
            target, by, campaign, db, format,
        };
        command.SetAction(p =>
        {
            var programme = new ReviewProgramme(StoreAccess.Open(host, p.GetValue(db)), host.Clock);
            var result = programme.Approve(p.GetValue(campaign), p.GetValue(target)!, p.GetValue(by)!);
            foreach (var refused in result.Value?.Refused ?? []) { host.Error.WriteLine(refused.ToString()); }
            return Finish(host, result, p.GetValue(format)!, a => host.Out.WriteLine($"approved {a.Approved.Length}: {ReviewText.Safe(string.Join(", ", a.Approved))}"));
        });
        return command;
    }

    private static Command ApplyCommand(CliHost host)
    {
        var batch = new Argument<int>("batch") { Description = "the batch number" };
        var output = new Option<string>("--out") { Description = "the folder for the change scripts", DefaultValueFactory = _ => "ciem-review-changes" };
        var by = new Option<string>("--by") { Description = "who applies", Required = true };
        var iacRepo = IacRepoOption(
            "apply the identities defined there as one proposal branch and commit per account, subscription or project (the others get scripts)");
        var campaign = CampaignOption();
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("apply", "apply every approved identity of a batch: through the IaC repository (--iac-repo) or a ready-to-run change script (aws, az, gcloud) with its rollback script; record the reductions")
        {
            batch, output, by, iacRepo, campaign, db, format,
        };
        var forge = new ReviewForgeOptions();
        forge.AddTo(command);
        command.SetAction(p =>
        {
            if (!forge.TryOpen(host, p, p.GetValue(iacRepo), out var iac)) { return ExitCodes.InvalidInput; }
            var programme = new ReviewProgramme(StoreAccess.Open(host, p.GetValue(db)), host.Clock);
            var result = programme.Apply(p.GetValue(campaign), p.GetValue(batch), Path.GetFullPath(p.GetValue(output)!), p.GetValue(by)!, iac);
            foreach (var skipped in result.Value?.Skipped ?? []) { host.Error.WriteLine(skipped.ToString()); }
            return Finish(host, result, p.GetValue(format)!, a =>
            {
                foreach (var i in a.Applied)
                {
                    host.Out.WriteLine(i.Change!.Channel == ReviewChange.ScriptChannel
                        ? $"applied by hand: {ReviewText.Safe(i.Name)}: run {ReviewText.Safe(Path.Combine(i.Change.Location, "apply.sh"))}"
                        : $"applied through IaC: {ReviewText.Safe(i.Name)}: branch {ReviewText.Safe(i.Change.Location)} commit {ReviewText.Safe(i.Change.Commit ?? "")}"
                            + (i.Change.PullRequest is { } url ? $", pull request {ReviewText.Safe(url)}" : ""));
                }
            });
        });
        return command;
    }

    private static Option<string?> IacRepoOption(string what) => new("--iac-repo") { Description = $"a local clone of the Terraform repository: {what}" };

    private static Command VerifyCommand(CliHost host)
    {
        var grace = new Option<int>("--grace-days") { Description = "days a change may take to appear in the imports", DefaultValueFactory = _ => 7 };
        var campaign = CampaignOption();
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("verify", "after the next import: the new policy in place and no access denied for removed permissions since the change")
        {
            grace, campaign, db, format,
        };
        command.SetAction(p =>
        {
            var store = StoreAccess.Open(host, p.GetValue(db));
            var programme = new ReviewProgramme(store, host.Clock);
            var result = programme.Verify(p.GetValue(campaign), Ciem.App.Metrics.ReductionHistory.Evaluate(store, TimeSpan.FromDays(p.GetValue(grace))));
            var code = Finish(host, result, p.GetValue(format)!, v =>
            {
                foreach (var i in v.Items) { host.Out.WriteLine($"{ReviewNames.Of(i.State),-9} {ReviewText.Safe(i.Name)}: {ReviewText.Safe(i.Reason)}"); }
                if (v.Items.IsEmpty) { host.Out.WriteLine("no applied identity to verify"); }
            });
            return code == ExitCodes.Ok && result.Value!.Items.Any(i => i.State == ReviewState.Failed) ? ExitCodes.Findings : code;
        });
        return command;
    }

    private static Command RollbackCommand(CliHost host)
    {
        var identity = new Argument<string>("identity") { Description = "the identity's id or name" };
        var by = new Option<string>("--by") { Description = "who rolls back", Required = true };
        var reason = new Option<string>("--reason") { Description = "why", DefaultValueFactory = _ => "rolled back" };
        var iacRepo = IacRepoOption("for an identity applied through it, make the revert branch there");
        var campaign = CampaignOption();
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("rollback", "roll an applied identity back: records the decision and gives the script, or the IaC revert branch, that restores the policy kept before the change")
        {
            identity, by, reason, iacRepo, campaign, db, format,
        };
        var forge = new ReviewForgeOptions();
        forge.AddTo(command);
        command.SetAction(p =>
        {
            if (!forge.TryOpen(host, p, p.GetValue(iacRepo), out var iac)) { return ExitCodes.InvalidInput; }
            var programme = new ReviewProgramme(StoreAccess.Open(host, p.GetValue(db)), host.Clock);
            var result = programme.Rollback(p.GetValue(campaign), p.GetValue(identity)!, p.GetValue(by)!, p.GetValue(reason)!, iac);
            foreach (var warning in result.Value?.Warnings ?? []) { host.Error.WriteLine(warning.ToString()); }
            return Finish(host, result, p.GetValue(format)!, r => host.Out.WriteLine(r.Item.Change?.Channel == ReviewChange.ScriptChannel
                ? $"{ReviewText.Safe(r.Item.Name)} rolled back: run {ReviewText.Safe(r.Revert)}"
                : $"{ReviewText.Safe(r.Item.Name)} rolled back: {ReviewText.Safe(r.Revert)}"));
        });
        return command;
    }

    private static Command LogCommand(CliHost host)
    {
        var verify = new Option<bool>("--verify") { Description = "check the hash chain: exit 2 when a row was changed, removed or inserted" };
        var campaign = CampaignOption();
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("log", "the campaign's append-only decision log: who did what, when, why, with the proposal's hash") { verify, campaign, db, format };
        command.SetAction(p =>
        {
            var programme = new ReviewProgramme(StoreAccess.Open(host, p.GetValue(db)), host.Clock);
            var result = programme.Log(p.GetValue(campaign));
            var code = Finish(host, result, p.GetValue(format)!, l => ReviewText.Log(host.Out, l, p.GetValue(verify)));
            return code == ExitCodes.Ok && p.GetValue(verify) && !result.Value!.Intact ? ExitCodes.Findings : code;
        });
        return command;
    }

    /// <summary>The review settings from `--config` or ./ciem-review.yml (defaults without either); null after printing the errors.</summary>
    private static ReviewSettings? ReadSettings(CliHost host, string? configPath, out string directory)
    {
        var load = ReviewConfigFiles.Read(configPath);
        foreach (var message in load.Messages) { host.Error.WriteLine(message); }
        directory = load.Directory;
        return load.Settings;
    }

    private static int Finish<T>(CliHost host, ReviewResult<T> result, string format, Action<T> text)
    {
        if (!result.Ok)
        {
            foreach (var d in result.Diagnostics) { host.Error.WriteLine(d.ToString()); }
            return ExitCodes.InvalidInput;
        }
        if (format == "json") { CliJson.Write(host, CliJson.KebabName(typeof(T)), result.Value, ReviewText.Json); }
        else { text(result.Value!); }
        return ExitCodes.Ok;
    }
}
