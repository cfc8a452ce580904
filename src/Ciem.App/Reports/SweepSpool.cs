using System.Text.Json;
using Ciem.Core.Sweep;

namespace Ciem.App.Reports;

/// <summary>
/// The rows of a streamed AWS sweep (<see cref="SweepResult.Streamed"/>) kept on disk while the sweep runs: each
/// identity's rows are serialised as the sweep hands them out (<see cref="Add"/>, from any thread) and appended to a
/// temporary file (owner-only, deleted when disposed); the documents, whose totals come first, read them back one at a
/// time in the result's order (<see cref="EstateSweepJson.Write(Stream, EstateSweepResult, JsonEnvelope?, SweepSpool?)"/>).
/// Memory holds one row and an index entry per row (the identity's id, an offset and a length).
/// </summary>
public sealed class SweepSpool : IDisposable
{
    /// <summary>The AWS part's identity rows (`aws.identities`).</summary>
    internal const string AwsIdentities = "aws.identities";

    /// <summary>The AWS part's proposals (`aws.proposals`).</summary>
    internal const string AwsProposals = "aws.proposals";

    /// <summary>The AWS part's failures (`aws.failures`).</summary>
    internal const string AwsFailures = "aws.failures";

    /// <summary>The estate's proposal rows of AWS (`proposals`, the JSON Lines' `proposal` lines).</summary>
    internal const string ProposalRows = "proposals";

    private readonly FileStream _file;
    private readonly Dictionary<(string List, string Id), Queue<(long Offset, int Length)>> _index = [];
    private readonly Lock _gate = new();
    private byte[] _buffer = new byte[16 * 1024];

    /// <summary>A spool in <paramref name="folder"/> (default: the system's temporary folder).</summary>
    public SweepSpool(string? folder = null)
    {
        var path = Path.Combine(folder ?? Path.GetTempPath(), $"ciem-sweep-{Guid.NewGuid():N}.spool");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, Options = FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows()) { options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; }
        _file = new FileStream(path, options);
    }

    /// <summary>Rows spooled so far.</summary>
    public int Count { get; private set; }

    /// <summary>Serialises the item's rows and appends them (thread-safe: the sweep calls it from its workers).</summary>
    public void Add(AwsSweepItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Gap is { } gap) { Append(AwsIdentities, gap.Identity.Id, SweepJson.ToRow(gap)); }
        if (item.Proposal is { } p)
        {
            Append(AwsProposals, p.Identity.Id, SweepJson.ToProposal(p));
            Append(ProposalRows, p.Identity.Id, EstateSweepJson.ToRow(p));
        }
        if (item.Failure is { } f) { Append(AwsFailures, f.Identity.Id, SweepJson.ToFailure(f)); }
    }

    /// <summary>
    /// The rows of <paramref name="list"/> for <paramref name="ids"/>, in that order, each read back as it is enumerated into
    /// the record it was written from (so it is serialised again byte for byte as that record is).
    /// </summary>
    internal IEnumerable<T> Read<T>(string list, IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids)
        {
            (long Offset, int Length) at;
            lock (_gate)
            {
                if (!_index.TryGetValue((list, id), out var entries) || !entries.TryDequeue(out at))
                {
                    throw new InvalidOperationException($"the sweep's spool holds no `{list}` row for `{id}`");
                }
                _file.Flush();
            }
            if (_buffer.Length < at.Length) { _buffer = new byte[Math.Max(at.Length, 2 * _buffer.Length)]; }
            var span = _buffer.AsSpan(0, at.Length);
            for (var read = 0; read < at.Length;)
            {
                var n = RandomAccess.Read(_file.SafeFileHandle, span[read..], at.Offset + read);
                if (n == 0) { throw new EndOfStreamException($"the sweep's spool ends inside a `{list}` row"); }
                read += n;
            }
            yield return JsonSerializer.Deserialize<T>(span, ReportJson.Compact)
                ?? throw new InvalidOperationException($"the sweep's spool holds a null `{list}` row for `{id}`");
        }
    }

    private void Append<T>(string list, string id, T row)
    {
        lock (_gate)
        {
            // Serialised straight into the file through the serialiser's pooled buffers: a large row (an administrator's
            // removed actions) never becomes one large array, which only a full collection would give back.
            var offset = _file.Position;
            JsonSerializer.Serialize(_file, row, ReportJson.Compact);
            var length = checked((int)(_file.Position - offset));
            if (!_index.TryGetValue((list, id), out var entries)) { _index[(list, id)] = entries = new Queue<(long, int)>(1); }
            entries.Enqueue((offset, length));
            Count++;
        }
    }

    public void Dispose() => _file.Dispose();
}
