using System.Collections.Immutable;

namespace Ciem.Core.Model;

/// <summary>
/// A cloud provider, by the lowercase name the store, the JSON outputs and `--provider` use (`aws`, `azure`, `gcp`).
/// The three values are the only ones: <see cref="TryParse"/> refuses anything else, so a name read from a file or an
/// option is checked once.
/// </summary>
public readonly record struct Provider
{
    private readonly string? _name;

    private Provider(string name) => _name = name;

    public static Provider Aws { get; } = new("aws");

    public static Provider Azure { get; } = new("azure");

    public static Provider Gcp { get; } = new("gcp");

    /// <summary>Every provider, in the order reports list them: aws, azure, gcp.</summary>
    public static ImmutableArray<Provider> All { get; } = [Aws, Azure, Gcp];

    /// <summary>The lowercase name (`aws`, `azure`, `gcp`); empty for <c>default</c>, which is no provider.</summary>
    public string Name => _name ?? "";

    /// <summary>The provider named <paramref name="name"/> (exactly, lowercase), or false.</summary>
    public static bool TryParse(string? name, out Provider provider)
    {
        foreach (var p in All)
        {
            if (string.Equals(p.Name, name, StringComparison.Ordinal))
            {
                provider = p;
                return true;
            }
        }
        provider = default;
        return false;
    }

    /// <summary>The provider named <paramref name="name"/>; throws on any other name (a caller bug).</summary>
    public static Provider Parse(string name) => TryParse(name, out var provider)
        ? provider
        : throw new ArgumentOutOfRangeException(nameof(name), name, "expected aws, azure or gcp");

    public override string ToString() => Name;

    public static implicit operator string(Provider provider) => provider.Name;
}
