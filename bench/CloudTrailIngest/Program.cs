using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Ciem.App.Usage;
using Ciem.Import.Aws.CloudTrail;

// Usage: dotnet run -c Release --project bench/CloudTrailIngest -- DIR [ROUNDS=3] [THREADS=2]
// DIR is the output of `python3 ../shared/tools/gen_cloudtrail.py DIR 500000` (or any CloudTrail folder of *.json.gz).
// Prints, per round: the baseline (gunzip + tokenise every byte, no events), the reader, and reader + rollup.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: CloudTrailIngest DIR [ROUNDS=3] [THREADS=2]");
    return 3;
}
var dir = args[0];
var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
var threads = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2;
var files = Directory.EnumerateFiles(dir, "*.gz", SearchOption.AllDirectories).ToList();
var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
var options = new CloudTrailReadOptions { MaxParallelism = threads };

for (var round = 1; round <= rounds; round++)
{
    // CPU time as well as wall time: on a shared machine, wall time measures the neighbours too.
    var cpu = Cpu();
    var sw = Stopwatch.StartNew();
    long tokens = 0;
    Parallel.ForEach(files, parallel, () => new byte[1 << 20], (file, _, buffer) =>
    {
        using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        var length = 0;
        int read;
        while ((read = gzip.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
            if (length == buffer.Length) { Array.Resize(ref buffer, buffer.Length * 2); }
        }
        var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
        long count = 0;
        while (reader.Read()) { count++; }
        Interlocked.Add(ref tokens, count);
        return buffer;
    }, _ => { });
    var baseline = sw.Elapsed.TotalSeconds;
    var baselineCpu = Cpu() - cpu;

    // Second baseline: gunzip + JsonDocument per file, i.e. "decompress and parse" into a DOM without building events.
    cpu = Cpu();
    sw.Restart();
    long records = 0;
    Parallel.ForEach(files, parallel, file =>
    {
        using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var document = JsonDocument.Parse(gzip);
        Interlocked.Add(ref records, document.RootElement.GetProperty("Records").GetArrayLength());
    });
    var dom = sw.Elapsed.TotalSeconds;
    var domCpu = Cpu() - cpu;

    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    cpu = Cpu();
    sw.Restart();
    var result = CloudTrailReader.Read([dir], _ => { }, options);
    var reading = sw.Elapsed.TotalSeconds;
    var readingCpu = Cpu() - cpu;
    var perEvent = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / Math.Max(1, result.EventsRead);

    cpu = Cpu();
    sw.Restart();
    // The product's pipeline (as `ciem import cloudtrail` reads): per-thread rollups, merged.
    var batch = new CloudTrailLog { MaxParallelism = threads }.Read(files, skipped: 0);
    var rolling = sw.Elapsed.TotalSeconds;
    var rollingCpu = Cpu() - cpu;

    var events = result.EventsRead;
    Console.WriteLine($"round {round}: {events} events in {result.FilesRead} files on {threads} threads");
    Console.WriteLine($"  baseline gunzip+tokenise {baseline:F2}s {events / baseline,9:F0} events/s  cpu {baselineCpu:F2}s");
    Console.WriteLine($"  baseline gunzip+JsonDoc  {dom:F2}s {records / dom,9:F0} events/s  cpu {domCpu:F2}s");
    Console.WriteLine($"  reader                   {reading:F2}s {events / reading,9:F0} events/s  {reading / baseline:F2}x baseline  cpu {readingCpu:F2}s = {readingCpu / baselineCpu:F2}x tokenise, {readingCpu / domCpu:F2}x JsonDocument  {perEvent} B/event");
    Console.WriteLine($"  reader + rollup          {rolling:F2}s {events / rolling,9:F0} events/s  {rolling / baseline:F2}x baseline  cpu {rollingCpu:F2}s = {rollingCpu / baselineCpu:F2}x  {batch.Usage.Length} usage rows");
}
return 0;

static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
