using System.Collections.Immutable;
using System.CommandLine;
using System.Text.Json;
using Ciem.Core.Aws.Catalog;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Directories;
using Ciem.Storage;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem person EMAIL`: the person the directories know by that address, every cloud identity linked to them with
/// the federation chain (group → permission set → account role), and the effective permissions of each AWS role.
/// </summary>
public static class PersonCommand
{
    public static Command Create(CliHost host)
    {
        var address = new Argument<string>("address") { Description = "an email address or UPN of the person" };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command("person", "show one person across directories and clouds: linked identities, federation chains, effective rights") { address, db, format };
        command.SetAction(p => Run(host, p.GetValue(address)!, p.GetValue(db), p.GetValue(format)!));
        return command;
    }

    public static int Run(CliHost host, string address, string? db, string format)
    {
        var path = StoreAccess.PathFor(host, db);
        if (!File.Exists(path))
        {
            host.Error.WriteLine($"error: no store at `{path}`: run `ciem import directory SOURCE PATH` first");
            return ExitCodes.Failure;
        }
        ImmutableArray<DirectorySnapshot> directories;
        AwsEstate? estate = null;
        ImmutableArray<string> azurePrincipals, gcpMembers;
        using (var store = SqliteStore.Open(path))
        {
            directories = store.LoadDirectories();
            var inventory = store.LoadAwsInventory();
            if (!inventory.Accounts.IsEmpty) { estate = AwsEstate.Build(inventory); }
            // Azure principals with a role assignment (active or PIM-eligible) and GCP members bound anywhere.
            var azure = store.LoadAzureInventory();
            azurePrincipals = [.. azure.RoleAssignments.Select(a => a.PrincipalId).Concat(azure.EligibleAssignments.Select(a => a.PrincipalId)).Distinct(StringComparer.OrdinalIgnoreCase)];
            gcpMembers = [.. store.LoadGcpInventory().Policies.SelectMany(p => p.Bindings).SelectMany(b => b.Members).Distinct(StringComparer.OrdinalIgnoreCase)];
        }
        if (directories.IsEmpty)
        {
            host.Error.WriteLine($"error: the store at `{path}` holds no directory: run `ciem import directory identity-center|entra PATH` first");
            return ExitCodes.Failure;
        }
        var result = IdentityLinker.Link(directories, new LinkTargets([.. estate?.Identities.Select(i => i.Identity) ?? []], azurePrincipals, gcpMembers));
        var people = result.Find(address);
        if (people.IsEmpty)
        {
            host.Error.WriteLine($"error: no person in the directories has the address `{address}`");
            return ExitCodes.InvalidInput;
        }
        var calculator = new AwsEffectivePermissionCalculator(AwsActionCatalog.Default);
        var contexts = estate?.Identities.ToDictionary(i => i.Identity.Id, StringComparer.Ordinal) ?? [];
        var effective = people.SelectMany(p => p.Links).Where(l => l.Cloud == IdentityLinker.Aws).Select(l => l.IdentityId).Distinct(StringComparer.Ordinal)
            .Where(contexts.ContainsKey).ToDictionary(arn => arn, arn => calculator.Compute(contexts[arn]), StringComparer.Ordinal);

        if (format == "json")
        {
            host.Out.WriteLine(JsonSerializer.Serialize(new { address, ambiguous = people.Length > 1, people = people.Select(p => ToJson(p, effective)) }, CliJson.Options));
            return ExitCodes.Ok;
        }
        if (people.Length > 1)
        {
            host.Console.MarkupLineInterpolated($"[yellow]`{address}` matches {people.Length} people that could not be told apart; each is shown[/]");
        }
        foreach (var p in people) { Render(host, p, effective); }
        return ExitCodes.Ok;
    }

    public static string MatchName(MatchKind kind) => kind switch
    {
        MatchKind.ImmutableId => "immutable-id",
        MatchKind.Email => "email",
        _ => "upn",
    };

    private static ActionSet? AwsUnion(PersonLink person, Dictionary<string, AwsEffectivePermissions> effective)
    {
        ActionSet? union = null;
        foreach (var l in person.Links.Where(l => effective.ContainsKey(l.IdentityId)))
        {
            var allowed = effective[l.IdentityId].Allowed;
            union = union is null ? allowed : union.Union(allowed);
        }
        return union;
    }

    private static object ToJson(PersonLink p, Dictionary<string, AwsEffectivePermissions> effective) => new
    {
        key = p.Person.Key,
        name = p.Person.DisplayName,
        accounts = p.Person.Accounts.Select(a => new
        {
            source = DirectorySources.Name(a.User.Source),
            id = a.User.Id,
            userName = a.User.UserName,
            email = a.User.Email,
            enabled = a.User.Enabled,
            joinedBy = a.JoinedBy is { } j ? MatchName(j) : null,
        }),
        links = p.Links.Select(l => new
        {
            cloud = l.Cloud,
            identity = l.IdentityId,
            match = MatchName(l.Match),
            via = l.Via.Select(s => new { kind = s.Kind, id = s.Id, name = s.Name }),
            chain = l.ViaText,
            granted = effective.TryGetValue(l.IdentityId, out var e) ? e.GrantedCount : (int?)null,
            admin = e?.IsAdministrator,
            fullAdmin = e?.IsFullAdministrator,
        }),
        aws = new
        {
            roles = p.Links.Count(l => l.Cloud == IdentityLinker.Aws),
            granted = AwsUnion(p, effective)?.Count ?? 0,
            admin = p.Links.Any(l => effective.TryGetValue(l.IdentityId, out var e) && e.IsAdministrator),
        },
        problems = p.Problems.Select(x => new { kind = x.Kind.ToString().ToLowerInvariant(), subject = x.Subject, message = x.Message, candidates = x.Candidates }),
    };

    private static void Render(CliHost host, PersonLink p, Dictionary<string, AwsEffectivePermissions> effective)
    {
        host.Console.MarkupLineInterpolated($"[bold]{p.Person.DisplayName}[/] <{p.Person.Key}>");
        foreach (var a in p.Person.Accounts)
        {
            var joined = a.JoinedBy is { } j ? $", joined by {MatchName(j)}" : "";
            host.Console.WriteLine($"  {DirectorySources.Name(a.User.Source)} user {a.User.UserName ?? a.User.Email} ({a.User.Id}){(a.User.Enabled ? "" : ", disabled")}{joined}");
        }
        var union = AwsUnion(p, effective);
        var admin = p.Links.Any(l => effective.TryGetValue(l.IdentityId, out var e) && e.IsAdministrator);
        host.Console.WriteLine($"AWS: {p.Links.Count(l => l.Cloud == IdentityLinker.Aws)} role(s), {union?.Count ?? 0:N0} distinct actions granted{(admin ? " — administrative" : "")}");
        var table = new Table().AddColumns("cloud", "identity", "match", "granted", "admin", "federation chain");
        foreach (var l in p.Links)
        {
            effective.TryGetValue(l.IdentityId, out var e);
            table.AddRow(l.Cloud, Markup.Escape(l.IdentityId), MatchName(l.Match), e is null ? "" : $"{e.GrantedCount:N0}", e is null ? "" : e.IsFullAdministrator ? "full" : e.IsAdministrator ? "yes" : "no", Markup.Escape(l.ViaText));
        }
        host.Console.Write(table);
        foreach (var x in p.Problems)
        {
            host.Console.MarkupLineInterpolated($"[yellow]{x.Kind.ToString().ToLowerInvariant()}: {x.Message}[/]");
        }
    }
}
