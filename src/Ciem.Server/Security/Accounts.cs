using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Ciem.Storage;
using Microsoft.AspNetCore.Identity;

namespace Ciem.Server.Security;

/// <summary>A result or the reason it was refused (nothing was written then).</summary>
public sealed record AccountResult<T>(T? Value, string? Error);

/// <summary>
/// Users and API tokens: passwords hashed with ASP.NET Core Identity's PBKDF2 hasher (HMAC-SHA512, 100,000 rounds,
/// salted); tokens are 32 random bytes shown once, stored as their SHA-256 only. Used by `ciem users` and the server.
/// </summary>
public static partial class Accounts
{
    public const string TokenPrefix = "ciem_";
    public const int MinPasswordLength = 12;
    private static readonly PasswordHasher<ServerUser> Hasher = new();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")]
    private static partial Regex NamePattern();

    public static AccountResult<ServerUser> Add(IServerStore store, string name, string? email, string role, string? owner, string? password, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (Problem(name, email, role, password) is { } problem) { return new(null, problem); }
        var user = new ServerUser(name, email, role, owner ?? email, password is null ? null : Hash(name, password), now, false);
        return store.AddUser(user) ? new(user, null) : new(null, $"a user named `{name}`{(email is null ? "" : $" or with e-mail `{email}`")} exists already");
    }

    /// <summary>Why these values cannot make a user, or null.</summary>
    public static string? Problem(string name, string? email, string role, string? password)
    {
        if (!NamePattern().IsMatch(name ?? "")) { return $"user name `{name}` is not 1–64 letters, digits or `._@+-` starting with a letter or digit"; }
        if (!Roles.All.Contains(role)) { return $"role `{role}` is unknown: use {string.Join(", ", Roles.All)}"; }
        if (email is not null && (email.Length > 254 || !email.Contains('@', StringComparison.Ordinal))) { return $"e-mail `{email}` is not an address"; }
        if (password is not null && password.Length < MinPasswordLength) { return $"the password is shorter than {MinPasswordLength} characters"; }
        return null;
    }

    /// <summary>Sets a new password for an existing user (their role, e-mail and state are kept).</summary>
    public static AccountResult<ServerUser> ResetPassword(IServerStore store, string name, string password)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.FindUser(name) is not { } user) { return new(null, $"no user `{name}`"); }
        if (Problem(name, user.Email, user.Role, password) is { } problem) { return new(null, problem); }
        var changed = user with { PasswordHash = Hash(name, password) };
        return store.UpdateUser(changed) ? new(changed, null) : new(null, $"no user `{name}`");
    }

    public static string Hash(string name, string password) => Hasher.HashPassword(Stub(name), password);

    /// <summary>The user when the name and password match an enabled account with a password; null otherwise (same cost either way).</summary>
    public static ServerUser? SignIn(IServerStore store, string name, string password)
    {
        ArgumentNullException.ThrowIfNull(store);
        var user = string.IsNullOrEmpty(name) ? null : store.FindUser(name);
        // An unknown user is checked against a fixed hash so that the answer takes as long as for a known one.
        var hash = user?.PasswordHash ?? DummyHash.Value;
        var ok = Hasher.VerifyHashedPassword(Stub(name), hash, password ?? "") != PasswordVerificationResult.Failed;
        return ok && user is { Disabled: false, PasswordHash: not null } ? user : null;
    }

    /// <summary>Makes a token for <paramref name="user"/>: returns the secret (shown once) and its id.</summary>
    public static AccountResult<(string Secret, long Id)> CreateToken(IServerStore store, string user, string label, int? days, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.FindUser(user) is not { Disabled: false }) { return new(default, $"no enabled user `{user}`"); }
        if (string.IsNullOrWhiteSpace(label) || label.Length > 100) { return new(default, "a token needs a label of 1–100 characters"); }
        if (days is < 1 or > 3650) { return new(default, $"token lifetime `{days}` days is not between 1 and 3650"); }
        var secret = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var id = store.AddToken(user, label.Trim(), TokenHash(secret), now, days is { } d ? now.AddDays(d) : null);
        return new((secret, id), null);
    }

    /// <summary>The enabled user a live token belongs to, or null.</summary>
    public static ServerUser? Authenticate(IServerStore store, string secret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!secret.StartsWith(TokenPrefix, StringComparison.Ordinal) || secret.Length > 200) { return null; }
        var token = store.FindToken(TokenHash(secret));
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now) { return null; }
        return store.FindUser(token.User) is { Disabled: false } user ? user : null;
    }

    public static string TokenHash(string secret) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(Stub(""), Base64Url(RandomNumberGenerator.GetBytes(16))));

    private static ServerUser Stub(string name) => new(name, null, Roles.Auditor, null, null, DateTimeOffset.UnixEpoch, false);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
