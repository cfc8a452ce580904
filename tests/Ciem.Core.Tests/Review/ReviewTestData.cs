using System.Collections.Immutable;
using Ciem.Core.Model;
using Ciem.Core.Review;

namespace Ciem.Core.Tests.Review;

internal static class ReviewTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public static ReviewCandidate Candidate(
        string id, string provider = "aws", IdentityKind kind = IdentityKind.Role, string env = "preprod", string scope = "111111111111",
        double confidence = 0.9, bool admin = false, string[]? sensitive = null, (string, string)[]? tags = null,
        string? failure = null, string? directoryOwner = null) => new(
        provider, id, id.Split('/')[^1], kind, scope, env,
        [.. (tags ?? [("owner", "team-a@example.test")]).Select(t => new KeyValuePair<string, string>(t.Item1, t.Item2))],
        admin, confidence, [.. sensitive ?? []], ["s3:GetObject", "s3:PutObject", "s3:DeleteBucket"], ["s3:DeleteBucket"],
        ["s3:GetObject", "s3:PutObject"], 3, 2, "sha256:" + id.Length, directoryOwner, failure);
}
