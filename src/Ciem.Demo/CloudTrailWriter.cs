using System.Globalization;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ciem.Demo;

/// <summary>
/// Writes the actors' calls as an organization trail delivers them to S3:
/// `AWSLogs/&lt;org&gt;/&lt;account&gt;/CloudTrail/&lt;region&gt;/YYYY/MM/DD/&lt;account&gt;_CloudTrail_&lt;region&gt;_&lt;YYYYMMDDTHHmmZ&gt;_&lt;random&gt;.json.gz`,
/// each file `{"Records":[…]}`. One day is generated, sorted and written at a time (days in parallel); each
/// actor-day draws from its own seeded stream, so the files do not depend on the order of the work.
/// </summary>
internal sealed class CloudTrailWriter(DemoPopulation population, DemoOptions options, string root)
{
    private const string EventVersion = "1.09";
    private const int SeasonalHorizonDays = 380;
    private static readonly ApiCall AssumeRoleWithWebIdentity = new("sts.amazonaws.com", "AssumeRoleWithWebIdentity", true, "sts:AssumeRoleWithWebIdentity", Target.AssumeRole);
    private static readonly ApiCall[] DeniedCalls = [Apis.CreateRole, Apis.PutRolePolicy, Apis.AttachRolePolicy, Apis.CreateUser, Apis.CreateAccessKey];
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Lock _gate = new();
    private long _events;
    private int _files;
    private long _bytes;
    private long _earliest = long.MaxValue;

    private readonly record struct Pending(long Ticks, ulong Seed, Actor Actor, Slot Slot, ApiCall Call, EventFlavor Flavor, DemoAccount Recipient, string Region, AppResources Resources, bool Seasonal);

    public long Events => _events;
    public int Files => _files;
    public long Bytes => _bytes;
    public DateTimeOffset Earliest => _earliest == long.MaxValue ? options.AsOf : new DateTimeOffset(_earliest, TimeSpan.Zero);

    private DateTime AsOfDate => options.AsOf.UtcDateTime.Date;

    public void Write()
    {
        var days = Enumerable.Range(0, options.Days + 1).ToHashSet();
        foreach (var actor in population.Actors)
        {
            if (actor.Seasonal is { } job)
            {
                for (var back = job.LastRunDaysBack; back <= SeasonalHorizonDays; back += job.PeriodDays) { days.Add(back); }
            }
        }
        var ordered = days.OrderBy(d => d).ToArray();
        Parallel.ForEach(ordered, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, WriteDay);
    }

    private void WriteDay(int daysBack)
    {
        var date = AsOfDate.AddDays(-daysBack);
        var start = new DateTimeOffset(date, TimeSpan.Zero);
        var windowStart = options.AsOf.AddDays(-options.Days).UtcTicks;
        var asOf = options.AsOf.UtcTicks;
        var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var events = new List<Pending>();
        foreach (var actor in population.Actors)
        {
            var rng = StableRandom.For(options.Seed, 10, actor.Index, daysBack);
            if (daysBack <= options.Days && !actor.Inactive && actor.DayChance > 0)
            {
                // An actor with fewer than one call a day on average is active on that share of its days.
                var chance = (actor.Human && weekend ? 0.02 : actor.DayChance) * Math.Min(1, actor.Rate);
                if (rng.Chance(chance)) { AddDaily(events, actor, start, rng); }
            }
            if (actor.Seasonal is { } job && daysBack >= job.LastRunDaysBack && (daysBack - job.LastRunDaysBack) % job.PeriodDays == 0)
            {
                AddSeasonal(events, actor, job, start, StableRandom.For(options.Seed, 11, actor.Index, daysBack));
            }
        }
        events.RemoveAll(e => e.Ticks >= asOf || (!e.Seasonal && e.Ticks < windowStart));
        if (events.Count == 0) { return; }
        foreach (var group in events.GroupBy(e => (e.Recipient.Index, e.Region)).OrderBy(g => g.Key.Index).ThenBy(g => g.Key.Region, StringComparer.Ordinal))
        {
            var sorted = group.OrderBy(e => e.Ticks).ThenBy(e => e.Seed).ToList();
            var account = sorted[0].Recipient;
            var folder = Path.Combine(root, "AWSLogs", population.OrganizationId, account.Id, "CloudTrail", group.Key.Region, date.ToString("yyyy", CultureInfo.InvariantCulture), date.ToString("MM", CultureInfo.InvariantCulture), date.ToString("dd", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var names = StableRandom.For(options.Seed, 12, account.Index * 1000L + daysBack, group.Key.Region == DemoPopulation.PrimaryRegion ? 0 : 1);
            for (var offset = 0; offset < sorted.Count; offset += options.RecordsPerFile)
            {
                var chunk = sorted.GetRange(offset, Math.Min(options.RecordsPerFile, sorted.Count - offset));
                var delivered = new DateTime(chunk[^1].Ticks, DateTimeKind.Utc);
                var name = $"{account.Id}_CloudTrail_{group.Key.Region}_{delivered.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)}_{names.Mixed(16)}.json.gz";
                var bytes = WriteFile(Path.Combine(folder, name), chunk);
                Interlocked.Add(ref _bytes, bytes);
                Interlocked.Increment(ref _files);
            }
        }
        Interlocked.Add(ref _events, events.Count);
        var first = events.Min(e => e.Ticks);
        lock (_gate) { _earliest = Math.Min(_earliest, first); }
        foreach (var e in events)
        {
            Interlocked.Increment(ref e.Actor.Events);
            if (!e.Slot.Principal.IsUser && e.Flavor != EventFlavor.Denied) { e.Slot.Principal.MarkUsed(e.Ticks, e.Region); }
        }
    }

    private void AddDaily(List<Pending> events, Actor actor, DateTimeOffset day, StableRandom rng)
    {
        var count = actor.Rate < 1 ? 1 : Math.Max(1, rng.Poisson(actor.Rate));
        var total = actor.TotalWeight;
        for (var i = 0; i < count; i++)
        {
            var slot = PickSlot(actor, total, rng);
            if (slot.Calls.Length == 0) { continue; }
            var call = slot.Calls[rng.Zipf(slot.Calls.Length)];
            var flavor = EventFlavor.Call;
            if (actor.DeniedChance > 0 && rng.Chance(actor.DeniedChance))
            {
                call = rng.Pick(DeniedCalls);
                flavor = EventFlavor.Denied;
            }
            events.Add(Make(actor, slot, call, flavor, Time(actor, day, rng), rng));
        }
        var main = actor.Slots[0];
        if (actor.InvokedBy is not null && rng.Chance(0.3))
        {
            events.Add(Make(actor, main, Apis.AssumeRole, EventFlavor.ServiceAssume, Time(actor, day, rng), rng));
        }
        if (actor.WebIdentity)
        {
            events.Add(Make(actor, main, AssumeRoleWithWebIdentity, EventFlavor.WebIdentity, Time(actor, day, rng), rng));
        }
    }

    private void AddSeasonal(List<Pending> events, Actor actor, SeasonalJob job, DateTimeOffset day, StableRandom rng)
    {
        var slot = actor.Slots[0] with { Calls = job.Calls };
        var startTicks = day.AddHours(actor.Hour).UtcTicks;
        for (var i = 0; i < job.CallsPerRun; i++)
        {
            var call = i < job.Calls.Length ? job.Calls[i] : job.Calls[rng.Next(job.Calls.Length)];
            events.Add(Make(actor, slot, call, EventFlavor.Call, startTicks + TimeSpan.TicksPerSecond * (i * 40 + rng.Next(30)), rng) with { Seasonal = true });
        }
    }

    private static Slot PickSlot(Actor actor, double total, StableRandom rng)
    {
        var x = rng.NextDouble() * total;
        foreach (var slot in actor.Slots)
        {
            x -= slot.Weight;
            if (x < 0) { return slot; }
        }
        return actor.Slots[^1];
    }

    private static long Time(Actor actor, DateTimeOffset day, StableRandom rng)
    {
        double hours;
        if (actor.Human) { hours = 8 + rng.NextDouble() * 10 + actor.UtcOffset; }
        else if (actor.Rate < 4) { hours = actor.Hour + rng.NextDouble() * 0.25; }
        else { hours = rng.NextDouble() * 24; }
        hours = Math.Clamp(hours, 0, 23.999);
        return day.UtcTicks + (long)(hours * 3600) * TimeSpan.TicksPerSecond;
    }

    private Pending Make(Actor actor, Slot slot, ApiCall call, EventFlavor flavor, long ticks, StableRandom rng)
    {
        var recipient = slot.Principal.Account;
        if (ReferenceEquals(call, Apis.AssumeRole) && flavor == EventFlavor.Call && slot.AssumeTarget is { } target) { recipient = target.Account; }
        var resources = slot.Principal.Resources ?? rng.Pick(recipient.Apps);
        var region = call.Global ? DemoPopulation.SecondaryRegion : actor.Human || slot.Principal.Resources is null ? resources.Region : actor.Region;
        return new Pending(ticks, rng.NextUInt64(), actor, slot, call, flavor, recipient, region, resources, Seasonal: false);
    }

    private static long WriteFile(string path, List<Pending> chunk)
    {
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var json = new Utf8JsonWriter(gzip, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("Records");
            foreach (var e in chunk) { CloudTrailRecord.Write(json, new RecordInput(e.Actor, e.Slot, e.Call, e.Flavor, e.Recipient, e.Region, e.Resources, e.Ticks, e.Seed)); }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return new FileInfo(path).Length;
    }
}
