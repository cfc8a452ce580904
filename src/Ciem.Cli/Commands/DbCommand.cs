using System.CommandLine;
using System.Text.Json;
using Ciem.Storage;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem db migrate`: brings the store's schema to this build's version (every command also does it on opening),
/// so a team can migrate once, before starting servers; refuses a database written by a newer ciem.
/// </summary>
public static class DbCommand
{
    public static Command Create(CliHost host)
    {
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var migrate = new Command("migrate", "apply the store's schema migrations (SQLite file or PostgreSQL database)") { db, format };
        migrate.SetAction(p => Migrate(host, p.GetValue(db), p.GetValue(format)!));
        return new Command("db", "the store's database") { migrate };
    }

    public static int Migrate(CliHost host, string? db, string format)
    {
        ArgumentNullException.ThrowIfNull(host);
        var location = StoreAccess.Location(host, db);
        SchemaMigration migration;
        using (var store = location.Open()) { migration = store.Migration; }
        if (format == "json")
        {
            CliJson.Write(host, "db-migrate", new
            {
                store = location.Display,
                backend = migration.Backend,
                from = migration.From,
                to = migration.To,
                applied = migration.Applied,
            });
            return ExitCodes.Ok;
        }
        var state = migration.Applied == 0
            ? $"schema version {migration.To}, up to date"
            : $"migrated from schema version {migration.From} to {migration.To} ({migration.Applied} applied)";
        host.Out.WriteLine($"store `{location.Display}` ({migration.Backend}): {state}");
        return ExitCodes.Ok;
    }
}
