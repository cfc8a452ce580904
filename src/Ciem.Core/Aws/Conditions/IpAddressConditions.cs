using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ciem.Core.Aws.Evaluation;

namespace Ciem.Core.Aws.Conditions;

/// <summary>
/// An IPv4 or IPv6 CIDR block held as 128 bits: IPv4 is mapped into `::ffff:0:0/96`, so an IPv4-mapped IPv6
/// address (`::ffff:203.0.113.5`) matches the IPv4 block that contains it and vice versa. A bare address is a
/// single host (/32 or /128). Host bits below the prefix are ignored (`203.0.113.5/24` = `203.0.113.0/24`).
/// </summary>
internal readonly record struct IpBlock(UInt128 Address, int PrefixLength)
{
    private const int MappedOffset = 96;

    public bool Contains(UInt128 address) =>
        PrefixLength == 0 || ((Address ^ address) >> (128 - PrefixLength)) == UInt128.Zero;

    public static bool TryParse(string text, out IpBlock block)
    {
        block = default;
        var t = text.AsSpan().Trim();
        var slash = t.IndexOf('/');
        var addressText = slash < 0 ? t : t[..slash];
        if (!TryParseAddress(addressText, out var address, out var isV4)) { return false; }
        var max = isV4 ? 32 : 128;
        var prefix = max;
        if (slash >= 0
            && (!int.TryParse(t[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max))
        {
            return false;
        }
        block = new IpBlock(address, isV4 ? prefix + MappedOffset : prefix);
        return true;
    }

    /// <summary>Parses one address (no prefix) to 128 bits. Rejects short IPv4 forms (`10.1`) and zone ids.</summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, out UInt128 address, out bool isV4)
    {
        address = UInt128.Zero;
        isV4 = false;
        if (text.IsEmpty || text.Contains('%') || !IPAddress.TryParse(text, out var ip)) { return false; }
        Span<byte> bytes = stackalloc byte[16];
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            if (text.Count('.') != 3) { return false; }
            isV4 = true;
            ip = ip.MapToIPv6();
        }
        if (!ip.TryWriteBytes(bytes, out var written) || written != 16) { return false; }
        address = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }
}

/// <summary>
/// `IpAddress` and `NotIpAddress` (IPv4 and IPv6 CIDR). Policy variables are not supported. A context value
/// that is not an IP address makes the comparison Indeterminate.
/// </summary>
internal sealed class IpAddressConditionClause(string key, ConditionOperator op, IpBlock?[] values) : ConditionClause(key, op)
{
    protected override ConditionOutcome MatchAny(string contextValue, RequestContext context)
    {
        if (!IpBlock.TryParseAddress(contextValue.AsSpan().Trim(), out var address, out _)) { return ConditionOutcome.Indeterminate; }
        var result = ConditionOutcome.False;
        foreach (var p in values)
        {
            if (p is null) { result = ConditionOutcome.Indeterminate; }
            else if (p.Value.Contains(address)) { return ConditionOutcome.True; }
        }
        return result;
    }
}
