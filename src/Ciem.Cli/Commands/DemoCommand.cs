using System.CommandLine;
using Spectre.Console;

namespace Ciem.Cli.Commands;

/// <summary>
/// `ciem demo`: imports the sample estate shipped in the binary (two accounts, an organization with SCPs and RCPs,
/// resource policies) into a demo store and shows its identities and effective permissions.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliHost host)
    {
        var db = new Option<string?>("--db") { Description = "the store to write (default: demo.db next to the default store)" };
        var command = new Command("demo", "import the bundled sample AWS estate and show its identities and effective permissions") { db };
        command.SetAction(p => Run(host, p.GetValue(db)));
        return command;
    }

    public static int Run(CliHost host, string? db)
    {
        db ??= Path.Combine(Path.GetDirectoryName(host.DefaultDatabasePath())!, "demo.db");
        var folder = Directory.CreateTempSubdirectory("ciem-demo-");
        try
        {
            var assembly = typeof(DemoCommand).Assembly;
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("samples/aws/", StringComparison.Ordinal)))
            {
                using var source = assembly.GetManifestResourceStream(name)!;
                using var target = File.Create(Path.Combine(folder.FullName, Path.GetFileName(name)));
                source.CopyTo(target);
            }
            host.Console.Write(new Rule("[bold]1. import[/] the sample estate (samples/aws)").LeftJustified());
            var code = ImportAwsCommand.Run(host, [folder.FullName], null, db, "text");
            if (code != ExitCodes.Ok) { return code; }
            host.Console.Write(new Rule("[bold]2. identities[/] with their effective permission counts").LeftJustified());
            IdentitiesCommand.Run(host, null, null, false, db, "text");
            host.Console.Write(new Rule("[bold]3. effective permissions[/] of a CI deploy user (limited by a region SCP)").LeftJustified());
            EffectiveCommand.Run(host, "ci-deploy", perAction: true, null, db, "text");
            host.Console.Write(new Rule("[bold]4. effective permissions[/] of an application role under a permissions boundary").LeftJustified());
            EffectiveCommand.Run(host, "app-worker", perAction: false, null, db, "text");
            host.Console.Write(new Rule("[bold]5. can[/] the deploy user write its artifacts from an unapproved region?").LeftJustified());
            CanCommand.Run(host, "ci-deploy", "s3:PutObject", "arn:aws:s3:::acme-deploy-artifacts/build.zip", ["aws:RequestedRegion=ap-south-1"], null, db, "text");
            host.Console.WriteLine();
            host.Console.MarkupLineInterpolated($"store: [bold]{Path.GetFullPath(db)}[/] — explore it with e.g. `ciem who-can s3:GetObject arn:aws:s3:::acme-prod-reports/q3.csv --resource-account 222222222222 --db {db}`");
            return ExitCodes.Ok;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
