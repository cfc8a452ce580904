namespace Ciem.Core.Aws.Inventory;

/// <summary>
/// The parts of an ARN, <c>arn:partition:service:region:account:resource</c>. Validation is structural only:
/// six colon-separated parts, non-empty partition and service. S3 bucket ARNs have an empty region and account.
/// </summary>
public readonly record struct Arn(string Partition, string Service, string Region, string Account, string Resource)
{
    /// <summary>The account that AWS uses for its own managed IAM policies (<c>arn:aws:iam::aws:policy/…</c>).</summary>
    public const string AwsAccount = "aws";

    public static bool TryParse(string? text, out Arn arn)
    {
        arn = default;
        if (text is null || !text.StartsWith("arn:", StringComparison.Ordinal)) { return false; }
        var parts = text.Split(':', 6);
        if (parts.Length != 6 || parts[1].Length == 0 || parts[2].Length == 0) { return false; }
        arn = new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
        return true;
    }

    public static Arn Parse(string text) =>
        TryParse(text, out var arn) ? arn : throw new FormatException($"`{text}` is not an arn");

    /// <summary>True for a twelve-digit account id, the only kind an IAM principal can live in.</summary>
    public static bool IsAccountId(string? value) =>
        value is { Length: 12 } && value.All(char.IsAsciiDigit);

    public override string ToString() => $"arn:{Partition}:{Service}:{Region}:{Account}:{Resource}";
}
