using Ciem.Core.Matching;

namespace Ciem.Core.Aws.Matching;

/// <summary>
/// ARN matching as the IAM User Guide documents it for the Resource element and the ArnEquals/ArnLike
/// operators: `*` alone matches every resource; otherwise the pattern and the ARN are split into the six
/// colon-delimited segments `arn:partition:service:region:account:resource` (the resource segment keeps any
/// further colons) and each segment is matched case-sensitively with `*` and `?`. A `*` does not cross a colon,
/// except that when `*` is the last character of a segment it "can expand to match beyond colon boundaries",
/// i.e. that segment may also consume the following segments (so `arn:aws:ec2:*` matches every EC2 ARN).
/// Source: IAM User Guide, "IAM JSON policy elements: Resource", section "Using wildcards in resource ARNs".
/// Allocation-free. With <c>escapes</c>, `\x` is the literal character x, as produced by policy-variable expansion.
/// </summary>
public static class ArnPattern
{
    private const int ResourceSegment = 5;

    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> arn, bool escapes = false)
    {
        if (pattern.Length == 1 && pattern[0] == '*') { return true; }
        return MatchSegments(pattern, 0, arn, 0, escapes);
    }

    // Matches the pattern from segment `ps` against the ARN text from its segment `arnSegment` on.
    private static bool MatchSegments(ReadOnlySpan<char> pattern, int ps, ReadOnlySpan<char> arn, int arnSegment, bool escapes)
    {
        var patternEnd = ps < ResourceSegment ? IndexOfColon(pattern, escapes) : -1;
        var segment = patternEnd < 0 ? pattern : pattern[..patternEnd];
        var isLastPatternSegment = patternEnd < 0;
        var spans = EndsWithStar(segment, escapes);

        // Try each place where this pattern segment could end in the ARN: the end of the ARN's current
        // segment, or (for a trailing `*`) the end of any later segment.
        var consumed = 0;
        for (var s = arnSegment; ; s++)
        {
            var arnEnd = s < ResourceSegment ? arn[consumed..].IndexOf(':') : -1;
            var end = arnEnd < 0 ? arn.Length : consumed + arnEnd;
            var atArnEnd = arnEnd < 0;
            if (isLastPatternSegment == atArnEnd && Wildcard.IsMatch(segment, arn[..end], ignoreCase: false, escapes)
                && (isLastPatternSegment
                    || MatchSegments(pattern[(patternEnd + 1)..], ps + 1, arn[(end + 1)..], s + 1, escapes)))
            {
                return true;
            }
            if (atArnEnd || !spans) { return false; }
            consumed = end + 1;
        }
    }

    private static int IndexOfColon(ReadOnlySpan<char> pattern, bool escapes)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (escapes && pattern[i] == '\\') { i++; }
            else if (pattern[i] == ':') { return i; }
        }
        return -1;
    }

    private static bool EndsWithStar(ReadOnlySpan<char> segment, bool escapes)
    {
        if (segment.IsEmpty || segment[^1] != '*') { return false; }
        if (!escapes) { return true; }
        // The star is escaped when an odd number of backslashes precede it.
        var backslashes = 0;
        for (var i = segment.Length - 2; i >= 0 && segment[i] == '\\'; i--) { backslashes++; }
        return backslashes % 2 == 0;
    }
}
