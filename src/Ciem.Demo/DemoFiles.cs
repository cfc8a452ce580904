using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ciem.Demo;

/// <summary>How the demo writes its JSON files: whole documents (indented as the CLI that prints them indents) or JSON Lines.</summary>
internal static class DemoFiles
{
    /// <summary>`az`, `gcloud` and our directory bundles: two-space indent.</summary>
    public static readonly JsonWriterOptions TwoSpaces = new() { Indented = true, IndentSize = 2, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One record a line (exports, diagnostic settings).</summary>
    public static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one JSON document and a final newline, creating the folder; returns the file's size.</summary>
    public static long Json(string path, Action<Utf8JsonWriter> write, JsonWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var json = new Utf8JsonWriter(file, options ?? TwoSpaces))
        {
            write(json);
            json.Flush();
            file.WriteByte((byte)'\n');
        }
        return new FileInfo(path).Length;
    }

    /// <summary>Writes JSON Lines: one compact document per item; returns the file's size.</summary>
    public static long Lines<T>(string path, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(write);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            foreach (var item in items)
            {
                using (var json = new Utf8JsonWriter(file, Compact)) { write(json, item); }
                file.WriteByte((byte)'\n');
            }
        }
        return new FileInfo(path).Length;
    }

    public static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(values);
        json.WriteStartArray(name);
        foreach (var v in values) { json.WriteStringValue(v); }
        json.WriteEndArray();
    }
}
