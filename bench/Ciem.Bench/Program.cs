using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Ciem.Bench;

/// <summary>
/// The benchmark command (not a test): `dotnet run -c Release --project bench/Ciem.Bench -- COMMAND [options]`.
/// Each measuring command prints its figures, one `FIGURE` line each; `all` runs every command in fresh child
/// processes `--runs` times and prints the medians as a Markdown table for docs/benchmarks.md.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: Ciem.Bench COMMAND [options]
          catalog                     cold (first) and warm load of the embedded AWS action catalog
          eval                        AwsAuthorizer.Evaluate on a typical policy set, 1 thread and all cores
          effective [--input FILE | --factor N]   read + AwsEstate.Build + effective permissions of every identity
          import    [--input FILE | --factor N]   read + store into a temporary SQLite file
          paths     [--input FILE | --factor N]   effective permissions, attack graph and every principal's admin standing
          azure-activity [--records N]  the demo's Activity Log and sign-ins scaled to about N records (default 1,000,000): ingest
          gcp-audit      [--records N]  the demo's Cloud Audit Logs scaled to about N entries (default 1,000,000): ingest
          azure-eval     [--principals N]  Ciem.Demo's scaled Azure estate (default 10,000 principals, 100,000 assignments):
                                          Evaluate and effective access
          gcp-eval       [--principals N]  Ciem.Demo's scaled GCP estate (default 10,000 members, 1,000 projects):
                                          Evaluate and effective access
          azure-paths    [--principals N]  the azure-eval estate: multi-cloud graph, every standing, each subscription's administrators
          gcp-paths      [--principals N]  the gcp-eval estate: multi-cloud graph, every standing, each project's administrators
          store --input demo.db --to LOCATION   a demo store's imports, ingestion and sweep loads into a new SQLite file or an empty PostgreSQL database
          simulate  [--input FILE | --count N]    `ciem aws simulate` pipeline on a JSON Lines request file (default: 122,000
                                          requests generated in this process from the x129 export, cached)
          gen-simulate --out FILE [--input EXPORT | --factor N] [--count N]   write that request file (Ciem.Demo's
                                          SimulationRequestGenerator; default: the x129 export, 122,000 requests)
          demo      [--out FOLDER]    the demo generator at its default size: write the estate and its logs
          sweep --input demo.db       the App sweep of every provider (as `ciem sweep`) over one session, twice
          serve [--db LOCATION] [--users 8] [--requests 3000] [--duration 180]   the server in this process over a demo store
                                      (default: $CIEM_TEST_PG): N signed-in reviewers browse and approve; p50/p99 per route
          all       [--factors 10,100,129] [--runs 3]   everything, in fresh processes; Markdown table of medians
        options: --seconds S (eval: time per repetition, default 2), --repetitions N (eval, default 5)
        default input: the cloudsplaining example export replicated 129 times (10,062 roles) by replicate_authz.py
        """;

    public static int Main(string[] args)
    {
        try
        {
            return Run(args, Console.Out);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 3;
        }
    }

    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            output.WriteLine(Usage);
            return args.Length == 0 ? 3 : 0;
        }
        var options = BenchOptions.Parse(args.AsSpan(1));
        IReadOnlyList<Figure> figures;
        switch (args[0])
        {
            case "catalog":
                figures = CatalogBench.Run(warmRepetitions: 10);
                break;
            case "eval":
                figures = EvalBench.Run(TimeSpan.FromSeconds(options.Seconds), options.Repetitions);
                break;
            case "effective":
                figures = EffectiveBench.Run(options.InputFile());
                break;
            case "import":
                figures = ImportBench.Run(options.InputFile());
                break;
            case "paths":
                figures = PathsBench.Run(options.InputFile());
                break;
            case "azure-activity":
                figures = UsageLogBench.RunAzure(options.Records);
                break;
            case "gcp-audit":
                figures = UsageLogBench.RunGcp(options.Records);
                break;
            case "azure-eval":
                figures = CloudEstateBench.RunAzure(options.Principals);
                break;
            case "gcp-eval":
                figures = CloudEstateBench.RunGcp(options.Principals);
                break;
            case "azure-paths":
                figures = PathsBench.RunCloud(Core.Model.Provider.AzureName, options.Principals);
                break;
            case "gcp-paths":
                figures = PathsBench.RunCloud(Core.Model.Provider.GcpName, options.Principals);
                break;
            case "store":
                figures = StoreBench.Run(options.Input ?? throw new ArgumentException("`store` needs `--input demo.db`"),
                    options.To ?? throw new ArgumentException("`store` needs `--to LOCATION`"));
                break;
            case "simulate":
                figures = SimulateBench.Run(options.Input ?? Inputs.SimulateRequests(options.Count));
                break;
            case "gen-simulate":
                return GenerateSimulate(options, output);
            case "demo":
                figures = DemoBench.Run(options.Out);
                break;
            case "sweep":
                figures = SweepBench.Run(options.Input ?? throw new ArgumentException("`sweep` needs `--input demo.db` (made by `ciem demo --db demo.db`)"));
                break;
            case "serve":
                figures = ServeBench.Run(new ServeLoad(options.Db ?? Environment.GetEnvironmentVariable("CIEM_TEST_PG")
                    ?? throw new ArgumentException("`serve` needs `--db LOCATION` (a store made by `ciem demo --db LOCATION`) "
                        + "or CIEM_TEST_PG"),
                    options.Users, options.Requests, options.Duration), output);
                break;
            case "all":
                return All(options, output);
            default:
                throw new ArgumentException($"unknown command `{args[0]}`");
        }
        foreach (var f in figures) { output.WriteLine(f.ToLine()); }
        output.WriteLine(FormattableString.Invariant($"LOAD\t{Measure.LoadAverage():0.00}"));
        return 0;
    }

    private static int GenerateSimulate(BenchOptions options, TextWriter output)
    {
        var target = options.Out ?? throw new ArgumentException("`gen-simulate` needs `--out FILE`");
        var authz = options.InputFile();
        if (!File.Exists(authz)) { throw new ArgumentException($"no export at `{authz}` (`--input`)"); }
        var result = Inputs.GenerateSimulateRequests(authz, options.Count, target);
        output.WriteLine($"{result.Requests} requests from {result.Roles} roles written to {target}");
        return 0;
    }

    private static int All(BenchOptions options, TextWriter output)
    {
        var rows = new List<(string Input, string Command, List<Figure> Runs)>();
        var loads = new List<double>();
        void Measure(string label, params string[] childArgs)
        {
            for (var r = 0; r < options.Runs; r++)
            {
                output.WriteLine($"# {label}: run {r + 1}/{options.Runs}");
                var (figures, load) = RunChild(childArgs);
                loads.Add(load);
                rows.Add((label, childArgs[0], figures));
            }
        }
        Measure("catalog", "catalog");
        // Workstation GC for eval: gen0 collections then run on the evaluating thread and count in its CPU time.
        Measure("eval", "eval", "--seconds", options.Seconds.ToString(CultureInfo.InvariantCulture), "--repetitions", options.Repetitions.ToString(CultureInfo.InvariantCulture));
        foreach (var factor in options.Factors)
        {
            var input = Inputs.Replicated(factor);
            Measure($"x{factor}", "import", "--input", input);
            Measure($"x{factor}", "effective", "--input", input);
            Measure($"x{factor}", "paths", "--input", input);
        }
        var requests = Inputs.SimulateRequests(options.Count);
        Measure($"simulate {options.Count:#,0}", "simulate", "--input", requests);
        output.WriteLine();
        output.WriteLine($"{RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores, {options.Runs} runs per row in fresh processes; 1-min load average during the runs: {Ciem.Bench.Measure.Median(loads):0.0} median ({loads.Min():0.0}–{loads.Max():0.0})");
        output.WriteLine();
        output.WriteLine("| input | figure | median | min | max | unit |");
        output.WriteLine("|---|---|---:|---:|---:|---|");
        foreach (var group in rows.GroupBy(r => (r.Input, r.Command)))
        {
            var byName = group.SelectMany(g => g.Runs).GroupBy(f => f.Name);
            foreach (var figure in byName)
            {
                var values = figure.Select(f => f.Value).ToList();
                output.WriteLine($"| {group.Key.Input} | {figure.Key} | {Format(Ciem.Bench.Measure.Median(values))} | {Format(values.Min())} | {Format(values.Max())} | {figure.First().Unit} |");
            }
        }
        return 0;
    }

    private static string Format(double v) => v switch
    {
        double.NaN => "–",
        >= 100 => v.ToString("#,0", CultureInfo.InvariantCulture),
        >= 10 => v.ToString("0.0", CultureInfo.InvariantCulture),
        _ => v.ToString("0.00", CultureInfo.InvariantCulture),
    };

    /// <summary>Runs this program again with <paramref name="args"/> so each measurement starts cold, with its own peak memory.</summary>
    private static (List<Figure> Figures, double Load) RunChild(string[] args)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot locate this program");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (args[0] == "eval") { start.Environment["DOTNET_gcServer"] = "0"; }
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") { start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location); }
        foreach (var a in args) { start.ArgumentList.Add(a); }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start `{self}`");
        var figures = new List<Figure>();
        var load = double.NaN;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (Figure.TryParseLine(line, out var f)) { figures.Add(f); }
            else if (line.StartsWith("LOAD\t", StringComparison.Ordinal)) { load = double.Parse(line[5..], CultureInfo.InvariantCulture); }
        }
        process.WaitForExit();
        if (process.ExitCode != 0) { throw new InvalidOperationException($"`{string.Join(' ', args)}` failed with exit code {process.ExitCode}"); }
        return (figures, load);
    }
}

/// <summary>The options every command shares.</summary>
internal sealed record BenchOptions(string? Input, int Factor, IReadOnlyList<int> Factors, int Runs, double Seconds, int Repetitions,
    int Records = 1_000_000, int Principals = 10_000, string? To = null, int Count = 122_000, string? Out = null,
    string? Db = null, int Users = 8, int Requests = 3000, double Duration = 180)
{
    public static BenchOptions Parse(ReadOnlySpan<string> args)
    {
        var o = new BenchOptions(null, 129, [10, 100, 129], 3, 2, 5);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length) { throw new ArgumentException($"option `{name}` needs a value"); }
            var value = args[++i];
            o = name switch
            {
                "--input" => o with { Input = value },
                "--to" => o with { To = value },
                "--out" => o with { Out = value },
                "--db" => o with { Db = value },
                "--users" => o with { Users = Positive(name, value) },
                "--requests" => o with { Requests = Positive(name, value) },
                "--duration" => o with { Duration = Positive(name, value) },
                "--factor" => o with { Factor = Positive(name, value) },
                "--factors" => o with { Factors = [.. value.Split(',').Select(v => Positive(name, v))] },
                "--runs" => o with { Runs = Positive(name, value) },
                "--records" => o with { Records = Positive(name, value) },
                "--principals" => o with { Principals = Positive(name, value) },
                "--count" => o with { Count = Positive(name, value) },
                "--repetitions" => o with { Repetitions = Positive(name, value) },
                "--seconds" => o with { Seconds = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : throw new ArgumentException($"`{value}` is not a positive number of seconds") },
                _ => throw new ArgumentException($"unknown option `{name}`"),
            };
        }
        return o;
    }

    /// <summary>The export to read: `--input`, else the replicated example export.</summary>
    public string InputFile() => Input ?? Inputs.Replicated(Factor);

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"`{value}` is not a positive whole number for `{name}`");
}
