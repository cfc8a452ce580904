using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ciem.App.Jobs;
using Ciem.App.Review;
using Ciem.Core.Review;
using Ciem.Server;
using Ciem.Server.Data;
using Ciem.Server.Security;
using Ciem.Storage;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem serve`: the team's web dashboard and REST API (docs/server.md); `ciem users add|list|token|disable` manages who
/// may sign in to it (the first admin is made here). Both only parse, call Ciem.Server and render.
/// </summary>
public static class ServeCommand
{
    public static Command Create(CliHost host)
    {
        var db = CommonOptions.Database();
        var urls = new Option<string?>("--urls") { Description = "where Kestrel listens, `;`-separated (default http://127.0.0.1:8080, or `urls` in the config)" };
        var config = new Option<string?>("--config") { Description = "the server's settings (default ./ciem-server.yml when it exists; see docs/server.md)" };
        var command = new Command("serve", "run the web dashboard and REST API over the store (sign-in, roles, review queue, evidence)") { db, urls, config };
        command.SetAction((p, token) => RunAsync(host, p.GetValue(db), p.GetValue(urls), p.GetValue(config), token));
        return command;
    }

    public static async Task<int> RunAsync(CliHost host, string? db, string? urls, string? configPath, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(host);
        var options = ReadOptions(host, configPath);
        if (options is null) { return ExitCodes.InvalidInput; }
        options = options with { Urls = urls ?? options.Urls };
        StoreLocation location;
        try { location = StoreAccess.Location(host, db ?? options.Db); }
        catch (StoreLocationException ex)
        {
            host.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        using (var store = location.Open())
        {
            if (((IServerStore)store).ListUsers().IsEmpty)
            {
                host.Error.WriteLine("note: no user can sign in yet: make the first admin with `ciem users add NAME --role admin --password-stdin`");
            }
        }
        var scheduler = Jobs(host, configPath, db ?? options.Db, location);
        if (scheduler is { Failed: true }) { return ExitCodes.InvalidInput; }
        await using var app = CiemServer.Build(options, location, host.Clock, new CliReverifier(host, db ?? options.Db),
            scheduler?.Scheduler is { } jobs ? services => services.AddHostedService(_ => new JobsHostedService(jobs)) : null);
        if (scheduler?.Scheduler is not null) { host.Error.WriteLine($"running {scheduler.Count} scheduled job(s) from the `jobs:` section (docs/jobs.md)"); }
        host.Error.WriteLine($"serving `{location.Display}` on {options.Urls} (Ctrl+C stops)");
        await CiemServer.RunAsync(app, stopping).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>The `jobs:` section of the server's configuration as a scheduler (null when there is no configuration or no job).</summary>
    private static JobsSetup? Jobs(CliHost host, string? configPath, string? db, StoreLocation location)
    {
        var file = configPath ?? (File.Exists("ciem-server.yml") ? "ciem-server.yml" : null);
        if (file is null || !File.Exists(file)) { return null; }
        var handlers = ServerJobs.Handlers(host, db);
        var read = JobsConfigReader.ReadFile(file, handlers);
        StoreAccess.WriteDiagnostics(host, read.Diagnostics);
        if (read.HasErrors) { return new JobsSetup(null, 0, Failed: true); }
        if (read.Config.Jobs.IsDefaultOrEmpty) { return null; }
        // The location itself, not its display form: that one hides a connection string's password (found by TwoProcessesTests).
        var scheduler = new JobScheduler(read.Config, handlers, location.Open, host.Clock,
            finished: o => host.Error.WriteLine($"job {o.Job}: {o.Outcome}: {o.Summary}"));
        return new JobsSetup(scheduler, read.Config.Jobs.Length, Failed: false);
    }

    private sealed record JobsSetup(JobScheduler? Scheduler, int Count, bool Failed);

    private static ServerOptions? ReadOptions(CliHost host, string? path)
    {
        var file = path ?? (File.Exists("ciem-server.yml") ? "ciem-server.yml" : null);
        if (file is null) { return new ServerOptions(); }
        if (!File.Exists(file))
        {
            host.Error.WriteLine($"error {ServerCodes.BadConfig}: --config `{file}` does not exist");
            return null;
        }
        var (options, errors) = ServerOptions.Parse(File.ReadAllText(file), file, host.Environment);
        foreach (var e in errors) { host.Error.WriteLine(e); }
        return options;
    }

    /// <summary>An objection's re-run, through the CLI's sweep (one at a time: the host's sessions are not shared between threads).</summary>
    private sealed class CliReverifier(CliHost host, string? db) : IProposalReverifier
    {
        private readonly object _gate = new();

        public ReviewEntry? Reverify(ReviewCandidate candidate, ImmutableArray<string> kept, DateTimeOffset? sweepAsOf)
        {
            lock (_gate)
            {
                var quiet = host.WithOutput(TextWriter.Null);
                try { return ReviewReverification.Reverify(quiet, db, candidate, kept, sweepAsOf); }
                finally { quiet.CloseSessions(); }
            }
        }
    }
}

/// <summary>`ciem users`: the accounts of `ciem serve` (local passwords, OIDC e-mails, roles) and their API tokens: add, list, token, disable, enable, reset.</summary>
public static class UsersCommand
{
    public static Command Create(CliHost host)
    {
        var users = new Command("users", "the accounts that sign in to `ciem serve`, and their API tokens");
        {
            var name = new Argument<string>("name") { Description = "the user name (letters, digits, `._@+-`)" };
            var role = new Option<string>("--role") { Description = "admin, reviewer, owner or auditor", Required = true };
            role.AcceptOnlyFromAmong(Roles.All);
            var email = new Option<string?>("--email") { Description = "the e-mail single sign-on (OIDC) matches; also the owner name by default" };
            var owner = new Option<string?>("--owner") { Description = "the owner name the user's identities carry (default: the e-mail)" };
            var stdin = new Option<bool>("--password-stdin") { Description = "read a password (12+ characters) from standard input; without it the user signs in only with OIDC" };
            var db = CommonOptions.Database();
            var format = CommonOptions.Format();
            var add = new Command("add", "add a user (the first one: `--role admin`)") { name, role, email, owner, stdin, db, format };
            add.SetAction(p => Add(host, p.GetValue(name)!, p.GetValue(role)!, p.GetValue(email), p.GetValue(owner), p.GetValue(stdin) ? Console.In : null,
                p.GetValue(db), p.GetValue(format)!));
            users.Subcommands.Add(add);
        }
        {
            var db = CommonOptions.Database();
            var format = CommonOptions.Format();
            var list = new Command("list", "list the users (never their password hashes)") { db, format };
            list.SetAction(p => List(host, p.GetValue(db), p.GetValue(format)!));
            users.Subcommands.Add(list);
        }
        {
            var name = new Argument<string>("name") { Description = "the user the token acts as" };
            var label = new Option<string>("--label") { Description = "what the token is for", Required = true };
            var days = new Option<int?>("--days") { Description = "expire after this many days (default never)" };
            var db = CommonOptions.Database();
            var format = CommonOptions.Format();
            var token = new Command("token", "make an API token for a user; the secret is printed once, only its hash is stored") { name, label, days, db, format };
            token.SetAction(p => Token(host, p.GetValue(name)!, p.GetValue(label)!, p.GetValue(days), p.GetValue(db), p.GetValue(format)!));
            users.Subcommands.Add(token);
        }
        {
            var name = new Argument<string>("name") { Description = "the user" };
            var db = CommonOptions.Database();
            var disable = new Command("disable", "stop a user signing in (their sessions and tokens stop working at once)") { name, db };
            disable.SetAction(p => Disable(host, p.GetValue(name)!, p.GetValue(db), disabled: true));
            users.Subcommands.Add(disable);
        }
        {
            var name = new Argument<string>("name") { Description = "the user" };
            var db = CommonOptions.Database();
            var enable = new Command("enable", "let a disabled user sign in again (their old API tokens work again unless revoked or expired)") { name, db };
            enable.SetAction(p => Disable(host, p.GetValue(name)!, p.GetValue(db), disabled: false));
            users.Subcommands.Add(enable);
        }
        {
            var name = new Argument<string>("name") { Description = "the user" };
            var db = CommonOptions.Database();
            var reset = new Command("reset", "set a user's password, read from standard input (12+ characters); role and state are kept") { name, db };
            reset.SetAction(p => Reset(host, p.GetValue(name)!, Console.In, p.GetValue(db)));
            users.Subcommands.Add(reset);
        }
        return users;
    }

    public static int Add(CliHost host, string name, string role, string? email, string? owner, TextReader? passwordInput, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var password = passwordInput?.ReadLine();
        if (passwordInput is not null && string.IsNullOrEmpty(password))
        {
            host.Error.WriteLine($"error {ServerCodes.BadUser}: `--password-stdin` read no password");
            return ExitCodes.InvalidInput;
        }
        var made = Accounts.Add(Store(host, db), name, email, role, owner, password, host.Clock.GetUtcNow());
        if (made.Value is not { } user)
        {
            host.Error.WriteLine($"error {ServerCodes.BadUser}: {made.Error}");
            return ExitCodes.InvalidInput;
        }
        if (format == "json") { CliJson.Write(host, "users-add", Json(user)); }
        else { host.Out.WriteLine($"added `{user.Name}` ({user.Role}){(user.PasswordHash is null ? ", single sign-on only" : "")}"); }
        return ExitCodes.Ok;
    }

    public static int List(CliHost host, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var users = Store(host, db).ListUsers();
        if (format == "json")
        {
            CliJson.Write(host, "users-list", users.Select(Json));
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("user", "role", "e-mail", "owner", "password", "created", "state");
        foreach (var u in users)
        {
            table.AddRow(Markup.Escape(u.Name), u.Role, Markup.Escape(u.Email ?? ""), Markup.Escape(u.Owner ?? ""), u.PasswordHash is null ? "no (OIDC)" : "yes",
                u.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), u.Disabled ? "disabled" : "enabled");
        }
        host.Console.Write(table);
        return ExitCodes.Ok;
    }

    public static int Token(CliHost host, string name, string label, int? days, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var made = Accounts.CreateToken(Store(host, db), name, label, days, host.Clock.GetUtcNow());
        if (made.Error is not null)
        {
            host.Error.WriteLine($"error {ServerCodes.BadUser}: {made.Error}");
            return ExitCodes.InvalidInput;
        }
        if (format == "json") { CliJson.Write(host, "users-token", new { id = made.Value.Id, user = name, token = made.Value.Secret }); }
        else { host.Out.WriteLine(made.Value.Secret); }
        return ExitCodes.Ok;
    }

    public static int Disable(CliHost host, string name, string? db, bool disabled)
    {
        ArgumentNullException.ThrowIfNull(host);
        var store = Store(host, db);
        if (store.FindUser(name) is not { } user)
        {
            host.Error.WriteLine($"error {ServerCodes.BadUser}: no user `{name}`");
            return ExitCodes.InvalidInput;
        }
        store.UpdateUser(user with { Disabled = disabled });
        host.Out.WriteLine($"{(disabled ? "disabled" : "enabled")} `{name}`");
        return ExitCodes.Ok;
    }

    /// <summary>`ciem users reset NAME`: the new password from <paramref name="passwordInput"/> (standard input), never the command line.</summary>
    public static int Reset(CliHost host, string name, TextReader passwordInput, string? db)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(passwordInput);
        var password = passwordInput.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            host.Error.WriteLine($"error {ServerCodes.BadUser}: no password on standard input: `echo \"$NEW_PASSWORD\" | ciem users reset {name}`");
            return ExitCodes.InvalidInput;
        }
        var reset = Accounts.ResetPassword(Store(host, db), name, password);
        if (reset.Error is not null)
        {
            host.Error.WriteLine($"error {ServerCodes.BadUser}: {reset.Error}");
            return ExitCodes.InvalidInput;
        }
        host.Out.WriteLine($"set a new password for `{name}`");
        return ExitCodes.Ok;
    }

    private static IServerStore Store(CliHost host, string? db) => (IServerStore)StoreAccess.Open(host, db);

    private static object Json(ServerUser u) => new
    {
        name = u.Name, email = u.Email, role = u.Role, owner = u.Owner, password = u.PasswordHash is not null, createdAt = u.CreatedAt, disabled = u.Disabled,
    };
}
