namespace Ciem.Core.Aws.Matching;

// INTERIM: replaced by the full per-segment matcher on merge of branch `conditions`.
public static class ArnPattern
{
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> arn, bool escapes = false)
        => pattern is "*" || Wildcard.IsMatch(pattern, arn, ignoreCase: false, escapes);
}
