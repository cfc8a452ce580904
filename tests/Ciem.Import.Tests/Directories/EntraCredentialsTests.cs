using Ciem.Core.Directories;
using Ciem.Import.Directories;

namespace Ciem.Import.Tests.Directories;

public sealed class EntraCredentialsTests
{
    [Fact]
    public void Read_ApplicationAndServicePrincipalCredentials_KeptWithValidityTagsAndAttachedResource()
    {
        // Given Graph `applications` with a secret and a certificate, and a managed identity with its alternativeNames
        const string json = """
        {
          "tenantId": "t1",
          "users": { "value": [] },
          "applications": { "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications", "value": [ {
            "id": "app-1", "appId": "c0ffee00-0000-4000-8000-000000000001", "displayName": "sales-etl", "tags": ["owner:team-bi"], "notes": null,
            "passwordCredentials": [ { "customKeyIdentifier": null, "displayName": "ci", "endDateTime": "2027-03-01T00:00:00Z", "hint": "Xq7", "keyId": "k-1", "secretText": null, "startDateTime": "2026-03-01T00:00:00Z" } ],
            "keyCredentials": [ { "customKeyIdentifier": "A1B2", "displayName": "CN=sales-etl", "endDateTime": "2026-12-15T00:00:00Z", "key": null, "keyId": "k-2", "startDateTime": "2024-12-15T00:00:00Z", "type": "AsymmetricX509Cert", "usage": "Verify" } ],
            "owners": [ { "@odata.type": "#microsoft.graph.user", "id": "u-1" } ] } ] },
          "servicePrincipals": { "value": [ {
            "id": "sp-mi", "appId": "c0ffee00-0000-4000-8000-000000000002", "displayName": "vm-ingest-01", "servicePrincipalType": "ManagedIdentity", "accountEnabled": true,
            "alternativeNames": ["isExplicit=False", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-ingest-01"],
            "passwordCredentials": [], "keyCredentials": [], "tags": [], "owners": [] } ] }
        }
        """;

        // When read
        var result = EntraReader.Read(TestData.Stream(json), "entra.json", TestData.TakenAt);

        // Then the app keeps its two credentials with their validity, its tags and owner; the identity its resource
        var app = Assert.Single(result.Value!.Applications);
        Assert.Equal([(CredentialKind.Secret, "k-1", new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero)), (CredentialKind.Certificate, "k-2", new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.Zero))],
            app.Credentials.Select(c => (c.Kind, c.KeyId, c.End!.Value)));
        Assert.Equal(["owner:team-bi"], app.Tags.ToArray());
        Assert.Equal(["u-1"], app.Owners.ToArray());
        var mi = Assert.Single(result.Value.ServicePrincipals);
        Assert.Equal(("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-ingest-01", ServicePrincipalKind.ManagedIdentity), (mi.AttachedResource, mi.Kind));
    }

    [Fact]
    public void Read_CredentialWithUnreadableDate_KeptWithoutItAndWarnedWhere()
    {
        // Given an application whose secret has an end date that is not a date
        const string json = """
        { "users": [], "applications": { "value": [ { "id": "app-1", "appId": "a1", "displayName": "x", "owners": [],
          "passwordCredentials": [ { "keyId": "k-1", "startDateTime": "2026-03-01T00:00:00Z", "endDateTime": "next year" } ] } ] } }
        """;

        // When read
        var result = EntraReader.Read(TestData.Stream(json), "entra.json", TestData.TakenAt);

        // Then the secret is kept with its start only, and the warning says which field of which record
        var secret = Assert.Single(Assert.Single(result.Value!.Applications).Credentials);
        Assert.Equal(((DateTimeOffset?)new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset?)null), (secret.Start, secret.End));
        var warning = Assert.Single(result.Diagnostics, d => d.Code == Ciem.Core.Diagnostics.DiagnosticCodes.DirectoryBadCredentialDate);
        Assert.EndsWith(".passwordCredentials[0].endDateTime", warning.Location!.JsonPath, StringComparison.Ordinal);
    }
}
