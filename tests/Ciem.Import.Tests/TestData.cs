using System.Text;

namespace Ciem.Import.Tests;

/// <summary>Locates read-only reference data and the repository's samples from the test assembly folder.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset TakenAt = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<string> SharedDataFolder = new(() => FindUp(Path.Combine("shared", "data")));
    private static readonly Lazy<string> SamplesFolder = new(() => FindUp("samples"));

    /// <summary>
    /// The shared reference data (<c>…/shared/data</c>), found by walking up from the test binaries — resolved on first
    /// use, so tests that need only the samples run from a clone without it (tests that read it are Category=SharedData).
    /// </summary>
    public static string SharedData => SharedDataFolder.Value;

    /// <summary>The repository's <c>samples</c> folder.</summary>
    public static string Samples => SamplesFolder.Value;

    public static string Shared(params string[] parts) => Path.Combine([SharedData, .. parts]);

    public static string Sample(params string[] parts) => Path.Combine([Samples, .. parts]);

    public static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));

    private static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate)) { return candidate; }
        }
        throw new DirectoryNotFoundException($"no `{relative}` folder above {AppContext.BaseDirectory}");
    }
}

/// <summary>A stream that hands out at most a few bytes per read, to exercise buffer refills at every boundary.</summary>
internal sealed class TrickleStream(Stream inner, int chunk) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, chunk));
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
