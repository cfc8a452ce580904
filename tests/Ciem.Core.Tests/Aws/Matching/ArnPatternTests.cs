using Ciem.Core.Aws.Matching;

namespace Ciem.Core.Tests.Aws.Matching;

public sealed class ArnPatternTests
{
    [Theory]
    [InlineData("*", "arn:aws:s3:::bucket", true)]
    [InlineData("*", "anything", true)]
    [InlineData("arn:aws:s3:::bucket", "arn:aws:s3:::bucket", true)]
    [InlineData("arn:aws:s3:::bucket", "arn:aws:s3:::Bucket", false)]
    [InlineData("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b", true)]
    [InlineData("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false)]
    [InlineData("arn:aws:iam::*:role/Admin", "arn:aws:iam::123456789012:role/Admin", true)]
    [InlineData("arn:aws:iam::???????????2:role/*", "arn:aws:iam::123456789012:role/x", true)]
    [InlineData("arn:aws:ec2:*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", true)]
    [InlineData("arn:aws:*", "arn:aws:s3:::bucket", true)]
    [InlineData("arn:*", "arn:aws-cn:s3:::bucket", true)]
    [InlineData("arn:aws:ec2:us*1:1:x", "arn:aws:ec2:us:x1:1:x", false)]
    [InlineData("arn:aws:ec2:us*1:1:x", "arn:aws:ec2:us-east-1:1:x", true)]
    [InlineData("arn:aws:s3", "arn:aws:s3:::bucket", false)]
    [InlineData("arn:aws:s3:::bucket", "arn:aws:s3", false)]
    [InlineData("arn:aws:logs:r:1:log-group:g:*", "arn:aws:logs:r:1:log-group:g:log-stream:s", true)]
    [InlineData("arn:aws:logs:r:1:log-group:*", "arn:aws:logs:r:1:log-group:g:log-stream:s", true)]
    [InlineData("arn:aws:logs:r:1:log-group:g", "arn:aws:logs:r:1:log-group:g:log-stream:s", false)]
    [InlineData("arn:aws:s3:::b", "arn:aws:s3:us-east-1::b", false)]
    [InlineData("arn:aws:s*:::b", "arn:aws:s3:us-east-1::b", false)]
    [InlineData("arn:aws:s*::b", "arn:aws:s3:us-east-1::b", true)]
    public void IsMatch_DocumentedCases_MatchPerSegment(string pattern, string arn, bool expected)
    {
        // Given a Resource pattern and an ARN; When matched; Then segments are compared one by one
        Assert.Equal(expected, ArnPattern.IsMatch(pattern, arn));
    }

    [Fact]
    public void IsMatch_EscapedStar_IsLiteral()
    {
        // Given an escaped star from variable expansion; Then it matches only a literal star
        Assert.True(ArnPattern.IsMatch(@"arn:aws:s3:::b/\*", "arn:aws:s3:::b/*", escapes: true));
        Assert.False(ArnPattern.IsMatch(@"arn:aws:s3:::b/\*", "arn:aws:s3:::b/x", escapes: true));
    }

    [Fact]
    public void IsMatch_EscapedTrailingStar_DoesNotSpanSegments()
    {
        // Given `\*` at the end of a segment; Then it is a literal, not a segment-spanning wildcard
        Assert.False(ArnPattern.IsMatch(@"arn:aws:ec2:\*", "arn:aws:ec2:us-east-1:1:instance/i", escapes: true));
        Assert.True(ArnPattern.IsMatch(@"arn:aws:ec2:\*", "arn:aws:ec2:*", escapes: true));
    }

    [Fact]
    public void IsMatch_WithoutEscapes_BackslashIsLiteral()
    {
        Assert.True(ArnPattern.IsMatch(@"arn:aws:s3:::b\*", @"arn:aws:s3:::b\xyz"));
    }
}
