using System.CommandLine;

namespace Ciem.Cli;

/// <summary>
/// Options every command has, declared once on the root (recursive): a command added to the tree gets them with no
/// change. <see cref="CiemApp.Run"/> applies them around the command: `--output` redirects the results to a file written
/// atomically, `--quiet`/`--verbose` set <see cref="CliHost.Verbosity"/>.
/// </summary>
public static class GlobalOptions
{
    public const string Output = "--output";
    public const string Quiet = "--quiet";
    public const string Verbose = "--verbose";

    /// <summary>The names completion offers on every command.</summary>
    public static readonly IReadOnlyList<string> Names = [Output, Quiet, Verbose];

    /// <summary>Adds new instances to <paramref name="root"/> (a tree per run: options are not shared between trees built in parallel).</summary>
    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Options.Add(new Option<string?>(Output, "-o")
        {
            Description = "write the results to this file (replaced only when the command succeeds; mode 0600) instead of stdout",
            Recursive = true,
        });
        root.Options.Add(new Option<bool>(Quiet, "-q") { Description = "print errors only on stderr (no progress, notes or warnings)", Recursive = true });
        root.Options.Add(new Option<bool>(Verbose) { Description = "print the details of failures (for a bug report)", Recursive = true });
    }
}

/// <summary>
/// Checks on every file and folder option of every command, before the command runs: a folder given where a file is
/// expected (or the reverse) and a missing path are argument errors naming the option and the value, not an "access
/// denied" from deep inside a reader. Output options (`--out` folders, `--report` files) must be writable.
/// </summary>
public static class InputChecks
{
    public static void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in command.Options)
        {
            if (option.ValueType == typeof(FileInfo))
            {
                option.Validators.Add(r =>
                {
                    if (r.Tokens.Count == 0) { return; }
                    var value = r.Tokens[0].Value;
                    if (Directory.Exists(value)) { r.AddError($"`{option.Name}` `{value}` is a folder: expected a file"); }
                    else if (!File.Exists(value)) { r.AddError($"`{option.Name}` `{value}` does not exist: expected a file"); }
                });
            }
            else if (option.ValueType == typeof(DirectoryInfo))
            {
                option.Validators.Add(r =>
                {
                    if (r.Tokens.Count == 0) { return; }
                    var value = r.Tokens[0].Value;
                    if (File.Exists(value)) { r.AddError($"`{option.Name}` `{value}` is a file: expected a folder"); }
                    else if (!Directory.Exists(value)) { r.AddError($"`{option.Name}` `{value}` does not exist: expected a folder"); }
                });
            }
        }
        foreach (var option in command.Options.Where(o => o.ValueType == typeof(string) && o.Name is "--out" or "--report"))
        {
            // Outputs are checked before the work too: a run must not compute for minutes and then fail to write.
            option.Validators.Add(r =>
            {
                if (r.Tokens.Count == 0) { return; }
                var value = r.Tokens[0].Value;
                if (Ciem.Storage.OutputFolder.Problem(value, folder: option.Name == "--out") is { } problem) { r.AddError($"`{option.Name}` `{value}` {problem}"); }
            });
        }
        foreach (var sub in command.Subcommands) { AddTo(sub); }
    }
}
