using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using Ciem.App.People;
using Ciem.Cli.Reports;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Azure;
using Ciem.Core.Directories;
using Ciem.Core.Paths;
using Ciem.Core.Gcp.Evaluation;
using Ciem.Core.Gcp.Inventory;
using Ciem.Storage;
using Spectre.Console;
using Ciem.Core.Model;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem person EMAIL`: the person the directories know by that address, every cloud identity linked to them with
/// the federation chain (group → permission set → account role), their effective rights in AWS, Azure and GCP as one
/// union per cloud with the paths that grant each right (PIM-eligible roles apart), and the usage the audit logs
/// attribute to them over a window (<see cref="PersonAccessCalculator"/>, <see cref="PersonUsageAttribution"/>).
/// </summary>
public static class PersonCommand
{
    public static Command Create(CliHost host)
    {
        var address = new Argument<string>("address") { Description = "an email address or UPN of the person" };
        var window = new Option<int>("--window") { Description = "the usage window in days", DefaultValueFactory = _ => 90 };
        // The old spelling, from before every verb said `--window`: still accepted, no longer listed.
        var windowDays = new Option<int>("--window-days") { Hidden = true };
        var asOf = new Option<DateTimeOffset?>("--as-of") { Description = "the end of the window (default: now)" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("person", "show one person across directories and clouds: linked identities, federation chains, effective rights with provenance, usage") { address, window, windowDays, asOf, db, format };
        command.SetAction(p => Run(host, p.GetValue(address)!, p.GetValue(db), p.GetValue(format)!,
            p.GetResult(windowDays) is null ? p.GetValue(window) : p.GetValue(windowDays), p.GetValue(asOf)));
        return command;
    }

    public static int Run(CliHost host, string address, string? db, string format, int windowDays = 90, DateTimeOffset? asOf = null)
    {
        if (windowDays <= 0)
        {
            host.Error.WriteLine($"error: `--window` must be at least 1, not `{windowDays}`");
            return ExitCodes.InvalidInput;
        }
        var path = StoreAccess.PathFor(host, db);
        var when = asOf ?? host.Clock.GetUtcNow();
        var window = UsageWindow.Of(when, windowDays);
        var found = PersonView.Compute(host.Session(db), address, window, out var problem);
        if (problem != PersonProblem.None)
        {
            host.Error.WriteLine($"error: {PersonProblems.Message(problem, path, address)}");
            return PersonProblems.IsInvalidInput(problem) ? ExitCodes.InvalidInput : ExitCodes.Failure;
        }
        var (people, views, effective) = (found!.People, found.Views, found.Effective);
        if (format == "json")
        {
            CliJson.Write(host, "person", PersonJson.Of(address, found, windowDays, when), PersonJson.Options);
            return ExitCodes.Ok;
        }
        if (people.Length > 1)
        {
            host.Console.MarkupLineInterpolated($"[yellow]`{address}` matches {people.Length} people that could not be told apart; each is shown[/]");
        }
        foreach (var v in views) { Render(host, v, effective, found.Administrators, windowDays, when); }
        return ExitCodes.Ok;
    }

    private static void Render(CliHost host, PersonAccessResult view, IReadOnlyDictionary<string, AwsEffectivePermissions> effective,
        AdminStandings admins, int windowDays, DateTimeOffset asOf)
    {
        var p = view.Person;
        host.Console.MarkupLineInterpolated($"[bold]{p.Person.DisplayName}[/] <{p.Person.Key}>");
        foreach (var a in p.Person.Accounts)
        {
            var joined = a.JoinedBy is { } j ? $", joined by {PersonJson.MatchName(j)}" : "";
            host.Console.WriteLine($"  {DirectorySources.Name(a.User.Source)} user {a.User.UserName ?? a.User.Email} ({a.User.Id}){(a.User.Enabled ? "" : ", disabled")}{joined}");
        }
        var union = PersonJson.AwsUnion(p, effective);
        var admin = p.Links.Any(l => l.Cloud == Provider.AwsName && admins.Of(l.Cloud, l.IdentityId).IsAdministrator);
        host.Console.WriteLine($"AWS: {p.Links.Count(l => l.Cloud == Provider.AwsName)} role(s), {union?.Count ?? 0:N0} distinct actions granted"
            + (admin ? " — administrator" : ""));
        var table = new Table().AddColumns("cloud", "identity", "match", "granted", "admin", "federation chain");
        foreach (var l in p.Links)
        {
            effective.TryGetValue(l.IdentityId, out var e);
            var standing = admins.Of(l.Cloud, l.IdentityId);
            var category = AdminText.Cell(standing.Category, adminActionUsed: true);
            var adminCell = e is null ? "" : standing.IsAdministrator ? (e.IsFullAdministrator ? "full" : "yes")
                : category.Length > 0 ? category : "no";
            table.AddRow(l.Cloud, Markup.Escape(l.IdentityId), PersonJson.MatchName(l.Match), e is null ? "" : $"{e.GrantedCount:N0}",
                adminCell, Markup.Escape(l.ViaText));
        }
        host.Console.Write(table);
        RenderClouds(host, view, windowDays, asOf);
        foreach (var x in p.Problems)
        {
            host.Console.MarkupLineInterpolated($"[yellow]{x.Kind.ToString().ToLowerInvariant()}: {x.Message}[/]");
        }
    }

    /// <summary>Per cloud: granted, used, unused, last activity; the paths that grant; rights by service; the most used actions; notes.</summary>
    private static void RenderClouds(CliHost host, PersonAccessResult view, int windowDays, DateTimeOffset asOf)
    {
        if (view.Clouds.IsEmpty)
        {
            host.Console.WriteLine("no rights and no activity in AWS, Azure or GCP");
            return;
        }
        host.Console.WriteLine($"rights and usage, {windowDays} days to {asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}:");
        var summary = new Table().AddColumns("cloud", "paths", "granted", "used", "unused", "used, not granted", "calls", "last activity", "admin", "eligible (PIM)");
        foreach (var i in new[] { 1, 2, 3, 4, 5, 6 }) { summary.Columns[i].RightAligned(); }
        foreach (var c in view.Clouds)
        {
            summary.AddRow(c.Cloud, N(c.Paths.Length), N(c.Granted), N(c.Usage.Used), N(c.Usage.Unused), N(c.Usage.UsedNotGranted), N(c.Usage.Events),
                c.Usage.LastActivity?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "none",
                c.IsAdministrator ? "[red]yes[/]" : AdminText.Cell(c.Category, true), c.Eligible.IsEmpty ? "" : N(c.Eligible.Length));
        }
        host.Console.Write(summary);

        var paths = new Table().Title("access paths").AddColumns("#", "cloud", "chain: directory → grant at scope", "granted", "admin", "condition");
        paths.Columns[3].RightAligned();
        foreach (var path in view.Clouds.SelectMany(c => c.Paths.Concat(c.Eligible)))
        {
            paths.AddRow(path.IsEligible ? "PIM" : N(path.Id), path.Cloud, Markup.Escape(path.ChainText), N(path.Granted) + (path.IsEligible ? " if activated" : ""),
                path.IsAdministrator ? "[red]yes[/]" : "", Markup.Escape(Providers.Truncate(path.Condition ?? "", 50)));
        }
        host.Console.Write(paths);

        var services = new Table().Title("rights by service").AddColumns("cloud", "service", "granted", "used", "through paths");
        services.Columns[2].RightAligned();
        services.Columns[3].RightAligned();
        foreach (var svc in view.Clouds.SelectMany(c => PersonServices.Of(c)))
        {
            services.AddRow(svc.Cloud, Markup.Escape(svc.Service), N(svc.Granted), N(svc.Used),
                string.Join(", ", svc.Paths.Select(id => id.ToString(CultureInfo.InvariantCulture))));
        }
        host.Console.Write(services);

        if (view.Clouds.Any(c => !c.Usage.Actions.IsEmpty))
        {
            var top = new Table().Title("most used actions").AddColumns("cloud", "action", "calls", "last used", "as", "granted");
            top.Columns[2].RightAligned();
            foreach (var c in view.Clouds)
            {
                foreach (var a in c.Usage.Actions.Take(TopActions))
                {
                    top.AddRow(c.Cloud, Markup.Escape(a.Action), N(a.Count), a.LastUsed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Markup.Escape(string.Join(", ", a.As)), a.Granted ? "yes" : "[yellow]no[/]");
                }
            }
            host.Console.Write(top);
        }
        foreach (var c in view.Clouds)
        {
            foreach (var note in c.Indeterminate) { host.Console.MarkupLineInterpolated($"[yellow]{c.Cloud} indeterminate: {note}[/]"); }
            foreach (var note in c.Usage.Notes) { host.Console.MarkupLineInterpolated($"{c.Cloud}: {note}"); }
        }
    }

    private const int TopActions = 10;

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
