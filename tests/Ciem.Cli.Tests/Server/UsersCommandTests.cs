using System.Text.Json;
using Ciem.Cli.Commands;
using Ciem.Server.Security;
using Ciem.Storage;

namespace Ciem.Cli.Tests.Server;

/// <summary>`ciem users add|list|token|disable|enable|reset` on a real store: what signs in afterwards, and bad input refused with nothing changed.</summary>
public sealed class UsersCommandTests : IDisposable
{
    private const string Password = "correct-horse-battery";
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private (int Code, string Out, string Err) Add(string name, string role, string? email, string? password)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = UsersCommand.Add(_cli.Host(output, error), name, role, email, null, password is null ? null : new StringReader(password + "\n"), _cli.Db, "text");
        return (code, output.ToString(), error.ToString());
    }

    private (int Code, string Out, string Err) Reset(string name, string input)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = UsersCommand.Reset(_cli.Host(output, error), name, new StringReader(input), _cli.Db);
        return (code, output.ToString(), error.ToString());
    }

    private ServerUser? SignIn(string name, string password)
    {
        using var store = StoreLocation.Parse(_cli.Db).Open();
        return Accounts.SignIn((IServerStore)store, name, password);
    }

    private string ListJson() => _cli.Run("users", "list", "--db", _cli.Db, "--format", "json").Out;

    [Fact]
    public void Add_AdminWithPasswordAndSsoOwner_ListedWithoutSecretsAndAdminSignsIn()
    {
        // Given an empty store; When an admin with a password and an owner for single sign-on only are added
        var admin = Add("ana", "admin", "ana@example.com", Password);
        var owner = Add("bob", "owner", "bob@example.com", null);

        // Then both are listed (roles, e-mails, whether a password is set) and no hash is ever printed
        Assert.Equal((0, "added `ana` (admin)\n"), (admin.Code, admin.Out));
        Assert.Equal("added `bob` (owner), single sign-on only\n", owner.Out);
        var list = JsonDocument.Parse(ListJson()).RootElement;
        Assert.Equal(["ana admin True", "bob owner False"], list.GetProperty("items").EnumerateArray().Select(u => $"{u.GetProperty("name")} {u.GetProperty("role")} {u.GetProperty("password")}"));
        Assert.DoesNotContain("AQAAAA", ListJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", _cli.Run("users", "list", "--db", _cli.Db).Out, StringComparison.Ordinal);
        // And the admin signs in with the password, not with a near miss; the owner has no password at all
        Assert.Equal("ana", SignIn("ana", Password)?.Name);
        Assert.Null(SignIn("ana", Password + " "));
        Assert.Null(SignIn("bob", ""));
    }

    [Theory]
    [InlineData("../ana", "admin", "ana2@example.com", Password, "user name `../ana` is not 1–64 letters")]
    [InlineData("ana", "admin", "ANA@Example.com", Password, "a user named `ana` or with e-mail `ANA@Example.com` exists already")]
    [InlineData("carol", "admin", "carol@example.com", "short-pass", "the password is shorter than 12 characters")]
    [InlineData("carol", "admin", "not-an-address", Password, "e-mail `not-an-address` is not an address")]
    [InlineData("carol", "admin", "carol@example.com", "", "`--password-stdin` read no password")]
    public void Add_BadInput_RefusedWithTheReasonAndNothingAdded(string name, string role, string email, string password, string reason)
    {
        // Given one user
        Assert.Equal(0, Add("ana", "admin", "ana@example.com", Password).Code);

        // When a bad name, a taken name or e-mail (in another case), a short or empty password, or a bad address is given
        var (code, _, error) = Add(name, role, email, password);

        // Then exit 3 with the reason, and still one user
        Assert.Equal(3, code);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Single(JsonDocument.Parse(ListJson()).RootElement.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public void Add_UnknownRole_RefusedByTheCommandLine()
    {
        // When a role that does not exist is asked for through the command line
        var (code, _, error) = _cli.Run("users", "add", "eve", "--role", "root", "--db", _cli.Db);

        // Then it is refused with the choices, and nobody was added
        Assert.NotEqual(0, code);
        Assert.Contains("root", error, StringComparison.Ordinal);
        Assert.Contains("auditor", error, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(ListJson()).RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public void DisableEnable_UserAndTheirToken_StopAndWorkAgain()
    {
        // Given a reviewer with a password and an API token
        Assert.Equal(0, Add("rita", "reviewer", "rita@example.com", Password).Code);
        var token = JsonDocument.Parse(_cli.Run("users", "token", "rita", "--label", "ci", "--db", _cli.Db, "--format", "json").Out).RootElement.GetProperty("token").GetString()!;

        // When she is disabled
        var disabled = _cli.Run("users", "disable", "rita", "--db", _cli.Db);

        // Then neither her password nor her token lets her in, and the list says so
        Assert.Equal((0, "disabled `rita`\n"), (disabled.Code, disabled.Out));
        Assert.Null(SignIn("rita", Password));
        using (var store = StoreLocation.Parse(_cli.Db).Open())
        {
            Assert.Null(Accounts.Authenticate((IServerStore)store, token, CliRunner.Now));
        }
        Assert.True(JsonDocument.Parse(ListJson()).RootElement.GetProperty("items")[0].GetProperty("disabled").GetBoolean());

        // When she is enabled again; Then both work again
        Assert.Equal(0, _cli.Run("users", "enable", "rita", "--db", _cli.Db).Code);
        Assert.Equal("rita", SignIn("rita", Password)?.Name);
        using (var store = StoreLocation.Parse(_cli.Db).Open())
        {
            Assert.Equal("rita", Accounts.Authenticate((IServerStore)store, token, CliRunner.Now)?.Name);
        }
    }

    [Fact]
    public void DisableAndToken_UnknownUserOrBadLifetime_Refused()
    {
        // Given one user; When an unknown user is disabled, enabled or given a token, or a token would live 0 days
        Assert.Equal(0, Add("ana", "admin", "ana@example.com", Password).Code);
        var disable = _cli.Run("users", "disable", "nobody", "--db", _cli.Db);
        var enable = _cli.Run("users", "enable", "nobody", "--db", _cli.Db);
        var token = _cli.Run("users", "token", "nobody", "--label", "ci", "--db", _cli.Db);
        var lifetime = _cli.Run("users", "token", "ana", "--label", "ci", "--days", "0", "--db", _cli.Db);

        // Then each exits 3 with the reason
        Assert.Equal((3, "error CIEM7209: no user `nobody`\n"), (disable.Code, disable.Err));
        Assert.Equal(3, enable.Code);
        Assert.Contains("no enabled user `nobody`", token.Err, StringComparison.Ordinal);
        Assert.Contains("token lifetime `0` days is not between 1 and 3650", lifetime.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_NewPassword_OldOneStopsRoleKept()
    {
        // Given an auditor with a password
        Assert.Equal(0, Add("audrey", "auditor", "audrey@example.com", Password).Code);

        // When her password is reset from standard input
        var reset = Reset("audrey", "a-new-long-passphrase\n");

        // Then the new one signs her in as an auditor and the old one no longer does
        Assert.Equal((0, "set a new password for `audrey`\n"), (reset.Code, reset.Out));
        Assert.Equal("auditor", SignIn("audrey", "a-new-long-passphrase")?.Role);
        Assert.Null(SignIn("audrey", Password));
    }

    [Theory]
    [InlineData("nobody", "a-new-long-passphrase\n", "no user `nobody`")]
    [InlineData("audrey", "short\n", "the password is shorter than 12 characters")]
    [InlineData("audrey", "", "no password on standard input")]
    public void Reset_BadInput_RefusedAndTheOldPasswordStillWorks(string name, string input, string reason)
    {
        // Given an auditor with a password
        Assert.Equal(0, Add("audrey", "auditor", "audrey@example.com", Password).Code);

        // When an unknown user, a short password or nothing is given
        var (code, _, error) = Reset(name, input);

        // Then exit 3 with the reason, and her password is unchanged
        Assert.Equal(3, code);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Equal("audrey", SignIn("audrey", Password)?.Name);
    }
}
