using System.Globalization;
using Ciem.Cli.Commands;
using Ciem.Core.Model;
using Spectre.Console;

namespace Ciem.Cli.Demo;

/// <summary>
/// The demo's per-provider summary for Azure and GCP, from the gap analysis `ciem gap --provider` runs
/// (<see cref="CloudGapCommand.Analyze"/>): until the sweep covers Azure and GCP, this is what `ciem demo` shows for them.
/// </summary>
public sealed record DemoCloudSummary(
    string Provider,
    int Principals,
    int Humans,
    int ServiceIdentities,
    int Administrators,
    int AdministratorsNotUsingAnything,
    int Inactive,
    long Granted,
    long Used,
    long UsedNotGranted,
    long Calls,
    IReadOnlyList<CloudGapCommand.PrincipalGap> MostUnused)
{
    /// <summary>Null (with a message on stderr) when the store holds no inventory of the provider.</summary>
    public static DemoCloudSummary? Compute(CliHost host, string provider, int windowDays, DateTimeOffset asOf, string? db)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (CloudGapCommand.Accesses(host, provider, db) is not { } accesses) { return null; }
        var gaps = CloudGapCommand.Analyze(accesses, CloudGapCommand.Usage(host, provider, windowDays, asOf, db));
        return new DemoCloudSummary(provider, gaps.Count,
            gaps.Count(g => g.Identity.Kind == IdentityKind.HumanUser), gaps.Count(g => g.Identity.Kind != IdentityKind.HumanUser),
            gaps.Count(g => g.IsAdministrator), gaps.Count(g => g.IsAdministrator && g.Used == 0), gaps.Count(g => g.LastActivity is null),
            gaps.Sum(g => (long)g.Granted), gaps.Sum(g => (long)g.Used), gaps.Sum(g => (long)g.UsedNotGranted), gaps.Sum(g => g.Calls),
            [.. gaps.OrderByDescending(g => g.Unused).ThenBy(g => g.Identity.Id, StringComparer.Ordinal).Take(3)]);
    }

    public void Render(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var share = Granted == 0 ? 0 : 100.0 * Used / Granted;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Provider}: {Principals:N0} principals ({ServiceIdentities:N0} service, {Humans:N0} people), {Administrators:N0} administrators of whom {AdministratorsNotUsingAnything:N0} used none of their rights, {Inactive:N0} inactive; {Granted:N0} permissions granted, {Used:N0} used ({share:0.00} %), {Calls:N0} calls"));
        foreach (var g in MostUnused)
        {
            var last = g.LastActivity is { } t ? "last active " + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "inactive";
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {Truncate(g.Identity.Name.Length == 0 ? g.Identity.Id : g.Identity.Name)}: {g.Granted:N0} granted, {g.Used:N0} used, {last}{(g.IsAdministrator ? ", administrator" : "")}"));
        }
    }

    public object ToJson() => new
    {
        provider = Provider,
        principals = Principals,
        humans = Humans,
        serviceIdentities = ServiceIdentities,
        administrators = Administrators,
        administratorsNotUsingAnything = AdministratorsNotUsingAnything,
        inactive = Inactive,
        granted = Granted,
        used = Used,
        usedNotGranted = UsedNotGranted,
        calls = Calls,
        mostUnused = MostUnused.Select(g => new { identity = g.Identity.Id, name = g.Identity.Name, granted = g.Granted, used = g.Used, lastActivity = g.LastActivity, admin = g.IsAdministrator }),
    };

    private static string Truncate(string s) => Providers.Truncate(s, 60);
}
