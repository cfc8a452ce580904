using Google.Apis.Auth.OAuth2;

namespace Ciem.Collect.Tests.Gcp;

/// <summary>An access token as a Google credential gives one, without a sign-in (the local APIs check it); shared by the Google
/// collectors' tests.</summary>
internal sealed class StaticAccess(string token) : ITokenAccess
{
    public Task<string> GetAccessTokenForRequestAsync(string? authUri = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(token);
}
