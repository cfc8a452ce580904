using Ciem.Core.Aws.Usage;

namespace Ciem.Core.Tests.Aws.Usage;

public sealed class EventAttributionTests
{
    private const string Account = "111122223333";

    private static UserIdentity Identity(string? type, string? arn = null, string? principalId = null, string? account = Account,
        string? userName = null, string? invokedBy = null, SessionIssuer? issuer = null, string? provider = null,
        string? onBehalfOf = null, string? store = null) =>
        new(type, principalId, arn, account, null, userName, invokedBy,
            issuer is null ? null : new SessionContext(issuer, false, null, null, null), provider, onBehalfOf, store, null);

    [Fact]
    public void Attribute_IamUser_IsTheUserArn()
    {
        var p = EventAttribution.Attribute(Identity("IAMUser", $"arn:aws:iam::{Account}:user/dev/alice", "AIDAEXAMPLE", userName: "alice"), Account);

        Assert.Equal(EventPrincipalKind.IamUser, p.Kind);
        Assert.Equal($"arn:aws:iam::{Account}:user/dev/alice", p.IdentityKey);
        Assert.False(p.IsCrossAccount);
    }

    [Fact]
    public void Attribute_AssumedRole_IsTheRoleWithItsPathFromTheIssuer()
    {
        // Given a role session whose role has a path, which only sessionIssuer.arn shows
        var issuer = new SessionIssuer("Role", "AROAEXAMPLE", $"arn:aws:iam::{Account}:role/service/deployer", Account, "deployer");
        var identity = Identity("AssumedRole", $"arn:aws:sts::{Account}:assumed-role/deployer/ci-run-7", "AROAEXAMPLE:ci-run-7", issuer: issuer);

        // When
        var p = EventAttribution.Attribute(identity, Account);

        // Then usage counts against the role (with path), and the session is kept
        Assert.Equal(EventPrincipalKind.AssumedRole, p.Kind);
        Assert.Equal($"arn:aws:iam::{Account}:role/service/deployer", p.IdentityKey);
        Assert.Equal("ci-run-7", p.SessionName);
        Assert.Null(p.Person);
    }

    [Fact]
    public void Attribute_AssumedRoleWithoutIssuer_DerivesTheRoleFromTheStsArn()
    {
        var p = EventAttribution.Attribute(Identity("AssumedRole", $"arn:aws:sts::{Account}:assumed-role/tester/s1", "AROA:s1"), Account);

        Assert.Equal($"arn:aws:iam::{Account}:role/tester", p.IdentityKey);
        Assert.Equal("s1", p.SessionName);
    }

    [Fact]
    public void Attribute_IdentityCenterRoleSession_NamesThePerson()
    {
        // Given a session of an AWSReservedSSO_ role, named after the signed-in user
        var role = $"arn:aws:iam::{Account}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef";
        var issuer = new SessionIssuer("Role", "AROASSO", role, Account, "AWSReservedSSO_AdministratorAccess_0123456789abcdef");
        var identity = Identity("AssumedRole", $"arn:aws:sts::{Account}:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane@example.com",
            "AROASSO:jane@example.com", issuer: issuer);

        // When
        var p = EventAttribution.Attribute(identity, Account);

        // Then the role is the identity and the person is the session name
        Assert.Equal(EventPrincipalKind.SsoRoleSession, p.Kind);
        Assert.Equal(role, p.IdentityKey);
        Assert.Equal("jane@example.com", p.Person);
        Assert.Equal("AdministratorAccess", EventAttribution.PermissionSetName(p.Arn));
    }

    [Fact]
    public void Attribute_FederatedUser_CountsAgainstTheIssuingUser()
    {
        var issuer = new SessionIssuer("IAMUser", "AIDAEXAMPLE", $"arn:aws:iam::{Account}:user/bob", Account, "bob");
        var identity = Identity("FederatedUser", $"arn:aws:sts::{Account}:federated-user/contractor", $"{Account}:contractor", issuer: issuer);

        var p = EventAttribution.Attribute(identity, Account);

        Assert.Equal(EventPrincipalKind.FederatedUser, p.Kind);
        Assert.Equal($"arn:aws:iam::{Account}:user/bob", p.IdentityKey);
        Assert.Equal("contractor", p.Person);
    }

    [Fact]
    public void Attribute_Root_IsTheAccountRoot()
    {
        var p = EventAttribution.Attribute(Identity("Root", $"arn:aws:iam::{Account}:root", Account), Account);

        Assert.Equal(EventPrincipalKind.Root, p.Kind);
        Assert.Equal($"arn:aws:iam::{Account}:root", p.IdentityKey);
    }

    [Fact]
    public void Attribute_AwsService_IsTheServicePrincipal()
    {
        var typed = EventAttribution.Attribute(Identity("AWSService", account: null, invokedBy: "lambda.amazonaws.com"), Account);
        var untyped = EventAttribution.Attribute(Identity(null, invokedBy: "cloudtrail.amazonaws.com"), Account);

        Assert.Equal(EventPrincipalKind.AwsService, typed.Kind);
        Assert.Equal("lambda.amazonaws.com", typed.IdentityKey);
        Assert.Equal(EventPrincipalKind.AwsService, untyped.Kind);
        Assert.Equal("cloudtrail.amazonaws.com", untyped.IdentityKey);
    }

    [Fact]
    public void Attribute_OtherAccount_IsCrossAccount()
    {
        // Given a caller known only by its account (type AWSAccount), and a user of another account
        var account = EventAttribution.Attribute(Identity("AWSAccount", principalId: "AROAEXAMPLE:session-name", account: "444455556666"), Account);
        var user = EventAttribution.Attribute(Identity("IAMUser", "arn:aws:iam::444455556666:user/eve", account: "444455556666"), Account);

        // Then both are flagged cross-account; the account caller counts against that account
        Assert.Equal(EventPrincipalKind.AwsAccount, account.Kind);
        Assert.Equal("arn:aws:iam::444455556666:root", account.IdentityKey);
        Assert.True(account.IsCrossAccount);
        Assert.Equal("session-name", account.SessionName);
        Assert.True(user.IsCrossAccount);
    }

    [Fact]
    public void Attribute_Anonymous_IsAnonymous()
    {
        var p = EventAttribution.Attribute(Identity("AWSAccount", principalId: "ANONYMOUS_PRINCIPAL", account: "anonymous"), Account);

        Assert.Equal(EventPrincipalKind.Anonymous, p.Kind);
        Assert.Equal("anonymous", p.IdentityKey);
        Assert.False(p.IsCrossAccount);
    }

    [Fact]
    public void Attribute_IdentityCenterUser_IsTheDirectoryUser()
    {
        var identity = Identity("IdentityCenterUser", onBehalfOf: "906744b8-f0e1-70c6-c2e4-example",
            store: "arn:aws:identitystore::111122223333:identitystore/d-9067642ac7");

        var p = EventAttribution.Attribute(identity, Account);

        Assert.Equal(EventPrincipalKind.IdentityCenterUser, p.Kind);
        Assert.Equal("identitycenter:arn:aws:identitystore::111122223333:identitystore/d-9067642ac7/user/906744b8-f0e1-70c6-c2e4-example", p.IdentityKey);
        Assert.Equal("906744b8-f0e1-70c6-c2e4-example", p.Person);
    }

    [Fact]
    public void Attribute_WebIdentityAndSamlUsers_KeepProviderAndUser()
    {
        var web = EventAttribution.Attribute(Identity("WebIdentityUser", principalId: "accounts.google.com:id", userName: "id", provider: "accounts.google.com"), Account);
        var saml = EventAttribution.Attribute(Identity("SAMLUser", principalId: "SAMPLE:alice", userName: "alice", provider: "arn:aws:iam::111122223333:saml-provider/Okta"), Account);

        Assert.Equal(EventPrincipalKind.WebIdentityUser, web.Kind);
        Assert.Equal("webidentity:accounts.google.com/id", web.IdentityKey);
        Assert.Equal(EventPrincipalKind.SamlUser, saml.Kind);
        Assert.Equal("saml:arn:aws:iam::111122223333:saml-provider/Okta/alice", saml.IdentityKey);
        Assert.Equal("alice", saml.Person);
    }

    [Fact]
    public void Attribute_UnknownOrMissing_IsUnknownNotDropped()
    {
        Assert.Equal(EventPrincipalKind.Unknown, EventAttribution.Attribute(null, Account).Kind);
        var p = EventAttribution.Attribute(Identity("Unknown", principalId: "victim-id", userName: "Victim"), Account);
        Assert.Equal(EventPrincipalKind.Unknown, p.Kind);
        Assert.Equal("unknown:victim-id", p.IdentityKey);
    }
}
