using System.CommandLine;

namespace Ciem.Cli.Commands;

/// <summary>The options the `ciem import azure|gcp` commands share (their workflows are in `Ciem.App.Imports`).</summary>
public static class ImportInputs
{
    /// <summary>The `ciem import azure|gcp` command shape: PATH…, `--taken-at`, `--scope`, `--db`, `--format`.</summary>
    public static Command Command(CliHost host, string name, string description, string pathsDescription, string scopeDescription,
        Func<CliHost, string[], DateTimeOffset?, string?, string?, string, int> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var paths = new Argument<string[]>("paths") { Description = pathsDescription, Arity = ArgumentArity.OneOrMore };
        var takenAt = new Option<DateTimeOffset?>("--taken-at") { Description = "when the exports were taken (default: now)" };
        var scope = new Option<string?>("--scope") { Description = scopeDescription };
        var db = CommonOptions.Database();
        var format = CommonOptions.Format();
        var command = new Command(name, description) { paths, takenAt, scope, db, format };
        command.SetAction(p => run(host, p.GetValue(paths)!, p.GetValue(takenAt), p.GetValue(scope), p.GetValue(db), p.GetValue(format)!));
        return command;
    }
}
