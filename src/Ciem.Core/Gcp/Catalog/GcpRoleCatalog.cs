using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Ciem.Core.Collections;

namespace Ciem.Core.Gcp.Catalog;

/// <summary>
/// Every known IAM permission (v1 names) and every predefined role with its included permissions, generated from
/// iann0036/iam-dataset (MIT) by `tools/update-gcp-roles.sh` and shipped as an embedded resource (format in
/// docs/gcp.md). Permission ids are indexes into <see cref="Permissions"/>, sorted ordinally. Immutable and thread-safe.
/// </summary>
public sealed class GcpRoleCatalog
{
    public const string ResourceName = "Ciem.Core.Gcp.Catalog.gcp-roles.tsv.gz";

    public const string FormatMagic = "ciem-gcp-roles";

    public const int FormatVersion = 1;

    private static readonly Lazy<GcpRoleCatalog> DefaultCatalog = new(LoadDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenDictionary<string, int> _ids;
    private readonly FrozenDictionary<string, GcpRole> _roles;

    private GcpRoleCatalog(string sourceVersion, ImmutableArray<string> permissions, Func<GcpRoleCatalog, ImmutableArray<GcpRole>> roles)
    {
        SourceVersion = sourceVersion;
        Permissions = permissions;
        _ids = permissions.Select((p, i) => KeyValuePair.Create(p, i)).ToFrozenDictionary(StringComparer.Ordinal);
        Empty = new PermissionSet(this, new ulong[BitWords.WordCount(permissions.Length)]);
        var all = new PermissionSetBuilder(this);
        for (var i = 0; i < permissions.Length; i++) { all.Add(i); }
        All = all.ToPermissionSet();
        Roles = roles(this);
        _roles = Roles.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>The catalog shipped inside Ciem.Core, loaded once on first use.</summary>
    public static GcpRoleCatalog Default => DefaultCatalog.Value;

    /// <summary>Where the data came from, e.g. `iann0036/iam-dataset@2073fa52`.</summary>
    public string SourceVersion { get; }

    /// <summary>All permissions; id = index; ordinal order.</summary>
    public ImmutableArray<string> Permissions { get; }

    public int PermissionCount => Permissions.Length;

    /// <summary>Predefined roles (basic roles `roles/owner`, `roles/editor`, `roles/viewer` included), ordered by name.</summary>
    public ImmutableArray<GcpRole> Roles { get; }

    public PermissionSet Empty { get; }

    public PermissionSet All { get; }

    public bool TryGetPermissionId(string permission, out int id)
    {
        ArgumentNullException.ThrowIfNull(permission);
        return _ids.TryGetValue(permission, out id);
    }

    public bool TryGetRole(string name, [NotNullWhen(true)] out GcpRole? role)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _roles.TryGetValue(name, out role);
    }

    /// <summary>The catalog permissions a v1 pattern matches (`storage.*`, `*.setIamPolicy`, `iam.roles.get`).</summary>
    public PermissionSet Expand(string v1Pattern)
    {
        ArgumentNullException.ThrowIfNull(v1Pattern);
        if (v1Pattern == "*") { return All; }
        var builder = new PermissionSetBuilder(this);
        if (!v1Pattern.Contains('*', StringComparison.Ordinal) && !v1Pattern.Contains('?', StringComparison.Ordinal))
        {
            if (_ids.TryGetValue(v1Pattern, out var id)) { builder.Add(id); }
            return builder.ToPermissionSet();
        }
        for (var i = 0; i < Permissions.Length; i++)
        {
            if (GcpPermission.Matches(v1Pattern, Permissions[i])) { builder.Add(i); }
        }
        return builder.ToPermissionSet();
    }

    /// <summary>Builds a role from its included permissions; permissions the catalog does not know are kept aside.</summary>
    public GcpRole CreateRole(string name, string title, string stage, IEnumerable<string> includedPermissions, bool isCustom, bool deleted = false)
    {
        ArgumentNullException.ThrowIfNull(includedPermissions);
        var builder = new PermissionSetBuilder(this);
        var unknown = ImmutableArray.CreateBuilder<string>();
        foreach (var permission in includedPermissions)
        {
            if (_ids.TryGetValue(permission, out var id)) { builder.Add(id); }
            else if (!unknown.Contains(permission)) { unknown.Add(permission); }
        }
        return new GcpRole(name, title, stage, builder.ToPermissionSet(), unknown.ToImmutable(), isCustom, deleted);
    }

    private static GcpRoleCatalog LoadDefault()
    {
        using var stream = typeof(GcpRoleCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource `{ResourceName}` is missing from Ciem.Core");
        return Load(stream);
    }

    /// <summary>
    /// Reads the gzip-compressed line format. The catalog is our own build artefact, so a corrupt one is a build
    /// bug: it throws <see cref="InvalidDataException"/> naming the line.
    /// </summary>
    public static GcpRoleCatalog Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new StreamReader(gzip, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        var line = 1;
        try
        {
            var header = (reader.ReadLine() ?? throw Corrupt(line, "the stream is empty")).Split('\t');
            if (header.Length != 5 || header[0] != FormatMagic) { throw Corrupt(line, $"expected a `{FormatMagic}` header"); }
            if (int.Parse(header[1], CultureInfo.InvariantCulture) != FormatVersion) { throw Corrupt(line, $"format version `{header[1]}` is not {FormatVersion}"); }
            var permissionCount = int.Parse(header[3], CultureInfo.InvariantCulture);
            var roleCount = int.Parse(header[4], CultureInfo.InvariantCulture);
            var permissions = ImmutableArray.CreateBuilder<string>(permissionCount);
            for (var i = 0; i < permissionCount; i++)
            {
                line++;
                var permission = reader.ReadLine() ?? throw Corrupt(line, "the permissions end early");
                if (i > 0 && string.CompareOrdinal(permissions[i - 1], permission) >= 0) { throw Corrupt(line, "permissions are not in ordinal order"); }
                permissions.Add(permission);
            }
            var rows = new List<(string[] Fields, int Line)>(roleCount);
            for (var r = 0; r < roleCount; r++)
            {
                line++;
                var fields = (reader.ReadLine() ?? throw Corrupt(line, "the roles end early")).Split('\t');
                if (fields.Length != 4) { throw Corrupt(line, "a role line has 4 fields"); }
                rows.Add((fields, line));
            }
            if (reader.ReadLine() is not null) { throw Corrupt(line + 1, "unexpected text after the last role"); }
            return new GcpRoleCatalog(header[2], permissions.MoveToImmutable(), catalog => [.. rows.Select(row => ReadRole(catalog, row.Fields, row.Line))]);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw Corrupt(line, ex.Message);
        }
    }

    private static GcpRole ReadRole(GcpRoleCatalog catalog, string[] fields, int line)
    {
        var builder = new PermissionSetBuilder(catalog);
        var id = 0;
        if (fields[3].Length > 0)
        {
            foreach (var delta in fields[3].Split(','))
            {
                id += int.Parse(delta, CultureInfo.InvariantCulture);
                if (id >= catalog.PermissionCount) { throw Corrupt(line, $"permission id {id} is out of range"); }
                builder.Add(id);
            }
        }
        return new GcpRole(fields[0], fields[2], fields[1], builder.ToPermissionSet(), [], IsCustom: false);
    }

    /// <summary>Writes the line format (used by the generator and by tests): roles are written in name order.</summary>
    public static void Write(string sourceVersion, IEnumerable<(string Name, string Stage, string Title, IEnumerable<string> Permissions)> roles, Stream output)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(output);
        var list = roles.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => (r.Name, r.Stage, r.Title, Permissions: r.Permissions.ToArray())).ToList();
        var permissions = list.SelectMany(r => r.Permissions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var ids = permissions.Select((p, i) => KeyValuePair.Create(p, i)).ToDictionary(StringComparer.Ordinal);
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(string.Join('\t', FormatMagic, FormatVersion.ToString(CultureInfo.InvariantCulture), Clean(sourceVersion),
            permissions.Count.ToString(CultureInfo.InvariantCulture), list.Count.ToString(CultureInfo.InvariantCulture)));
        foreach (var p in permissions) { writer.WriteLine(p); }
        foreach (var role in list)
        {
            var sorted = role.Permissions.Select(p => ids[p]).Distinct().Order().ToArray();
            var deltas = sorted.Select((id, i) => (id - (i == 0 ? 0 : sorted[i - 1])).ToString(CultureInfo.InvariantCulture));
            writer.WriteLine(string.Join('\t', Clean(role.Name), Clean(role.Stage), Clean(role.Title), string.Join(',', deltas)));
        }
    }

    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    private static InvalidDataException Corrupt(int line, string message) => new($"gcp role catalog is corrupt at line {line}: {message}");
}
