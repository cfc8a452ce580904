using Ciem.Core.Metrics;
using Ciem.Tests;

namespace Ciem.Storage.Tests;

/// <summary>The web server's users, API tokens and paged identity queries.</summary>
public abstract partial class CiemStoreContractTests
{
    private static readonly DateTimeOffset ServerAt = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    private IServerStore OpenServerStore() => (IServerStore)OpenStore();

    [StoreFact]
    public void AddUser_NameOrEmailTaken_RefusedAndKeepsFirst()
    {
        // Given a user ana
        var store = OpenServerStore();
        using var _ = (IDisposable)store;
        Assert.True(store.AddUser(new ServerUser("ana", "ana@example.com", "admin", "ana@example.com", "hash-1", ServerAt, false)));

        // When a second user takes the same name, then another the same e-mail
        var sameName = store.AddUser(new ServerUser("ana", "other@example.com", "auditor", null, null, ServerAt, false));
        var sameEmail = store.AddUser(new ServerUser("bob", "ana@example.com", "auditor", null, null, ServerAt, false));

        // Then both are refused and ana is as first written, found by name and by e-mail
        Assert.False(sameName);
        Assert.False(sameEmail);
        var ana = store.FindUser("ana")!;
        Assert.Equal(new ServerUser("ana", "ana@example.com", "admin", "ana@example.com", "hash-1", ServerAt, false), ana with { CreatedAt = ServerAt });
        Assert.Equal(ServerAt.ToUniversalTime(), ana.CreatedAt.ToUniversalTime());
        Assert.Equal("ana", store.FindUserByEmail("ana@example.com")!.Name);
        Assert.Null(store.FindUser("bob"));
        Assert.Single(store.ListUsers());
    }

    [StoreFact]
    public void UpdateUser_ChangesRoleAndPassword_UnknownUserIsFalse()
    {
        // Given a reviewer
        var store = OpenServerStore();
        using var _ = (IDisposable)store;
        store.AddUser(new ServerUser("cy", null, "reviewer", null, "old", ServerAt, false));

        // When promoted with a new hash and disabled, and an unknown user is updated
        var changed = store.UpdateUser(new ServerUser("cy", null, "admin", "cy@example.com", "new", ServerAt, true));
        var unknown = store.UpdateUser(new ServerUser("nobody", null, "admin", null, null, ServerAt, false));

        // Then the change is kept and the unknown user is reported
        Assert.True(changed);
        Assert.False(unknown);
        var cy = store.FindUser("cy")!;
        Assert.Equal(("admin", "cy@example.com", "new", true), (cy.Role, cy.Owner, cy.PasswordHash, cy.Disabled));
    }

    [StoreFact]
    public void RevokeToken_OtherUsersToken_RefusedOwnRevokedOnce()
    {
        // Given two users with one token each
        var store = OpenServerStore();
        using var _ = (IDisposable)store;
        store.AddUser(new ServerUser("ana", null, "admin", null, null, ServerAt, false));
        store.AddUser(new ServerUser("bob", null, "auditor", null, null, ServerAt, false));
        var anas = store.AddToken("ana", "ci", "sha256:aaa", ServerAt, null);
        var bobs = store.AddToken("bob", "export", "sha256:bbb", ServerAt, ServerAt.AddDays(30));

        // When bob revokes ana's token, then his own twice
        var foreign = store.RevokeToken(anas, "bob", ServerAt.AddHours(1));
        var own = store.RevokeToken(bobs, "bob", ServerAt.AddHours(1));
        var again = store.RevokeToken(bobs, "bob", ServerAt.AddHours(2));

        // Then only his own is revoked, once, and the tokens are found by hash with their dates
        Assert.False(foreign);
        Assert.True(own);
        Assert.False(again);
        Assert.Null(store.FindToken("sha256:aaa")!.RevokedAt);
        var bob = store.FindToken("sha256:bbb")!;
        Assert.Equal(ServerAt.AddHours(1).ToUniversalTime(), bob.RevokedAt!.Value.ToUniversalTime());
        Assert.Equal(ServerAt.AddDays(30).ToUniversalTime(), bob.ExpiresAt!.Value.ToUniversalTime());
        Assert.Null(store.FindToken("sha256:ccc"));
        Assert.Equal(["ci"], store.ListTokens("ana").Select(t => t.Label));
        Assert.Equal(2, store.ListTokens(null).Length);
    }

    [StoreFact]
    public void QueryIdentities_FiltersSortsAndPagesTheLatestDay()
    {
        // Given two measured days; the later one has five identities
        using (var ciem = OpenStore())
        {
            ciem.RecordMeasurement(Measurement(MetricsDay.AddDays(-1), Measured("old", 5, 5)), MetricsDay);
            ciem.RecordMeasurement(Measurement(MetricsDay,
                Measured("orders", 120, 8, admin: true, owner: "ana@example.com"), Measured("refunds", 40, 0, owner: "ana@example.com"),
                Measured("ledger_50%", 70, 1), Measured("ledgerx50", 60, 2), Measured("batch", 10, 3, owner: "bob@example.com")), MetricsDay);
        }
        var store = OpenServerStore();
        using var _ = (IDisposable)store;

        // When queried by owner, by administrator, by a search with a LIKE wildcard, sorted by granted and paged
        var byOwner = store.QueryIdentities(new IdentityQuery(Owner: "ana@example.com"));
        var admins = store.QueryIdentities(new IdentityQuery(AdministratorsOnly: true));
        var search = store.QueryIdentities(new IdentityQuery(Search: "_50%"));
        var page2 = store.QueryIdentities(new IdentityQuery(Sort: IdentitySort.Granted, Descending: true, Page: 2, PageSize: 2));
        var inactive = store.QueryIdentities(new IdentityQuery(InactiveOnly: true));

        // Then each holds exactly the matching identities of the latest day, never the older day's
        Assert.Equal(new DateOnly(2026, 3, 2), byOwner.Day);
        Assert.Equal(["orders", "refunds"], byOwner.Identities.Select(i => i.Name));
        Assert.Equal(["orders"], admins.Identities.Select(i => i.Name));
        Assert.Equal(["ledger_50%"], search.Identities.Select(i => i.Name));
        Assert.Equal(5, page2.Total);
        Assert.Equal(["ledgerx50", "refunds"], page2.Identities.Select(i => i.Name));
        Assert.Equal(["refunds"], inactive.Identities.Select(i => i.Name));
        Assert.Equal(["aws"], store.IdentityFacet("provider").ToArray());
        Assert.Equal(120, store.FindIdentity("aws", "arn:aws:iam::111111111111:role/orders")!.Granted);
        Assert.Null(store.FindIdentity("aws", "arn:aws:iam::111111111111:role/old"));
        Assert.Null(store.FindIdentity("gcp", "arn:aws:iam::111111111111:role/orders"));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.IdentityFacet("name; DROP TABLE x"));
    }

    [StoreFact]
    public void QueryIdentities_EveryPageOfEverySort_IsTheSliceOfTheWholeOrder()
    {
        // Given a measured day of 23 identities with ties on every sort column (pages in the second half are read from
        // the other end)
        using (var ciem = OpenStore())
        {
            var measured = Enumerable.Range(0, 23).Select(i => Measured($"r{i % 7}", 10 + (i % 3), i % 2) with
            {
                Provider = i % 4 == 0 ? "gcp" : "aws", Identity = $"id-{i:00}", Account = $"acct-{i % 2}",
                Kind = i % 3 == 0 ? "user" : "role",
            });
            ciem.RecordMeasurement(Measurement(MetricsDay, [.. measured]), MetricsDay);
        }
        var store = OpenServerStore();
        using var _ = (IDisposable)store;
        foreach (var sort in Enum.GetValues<IdentitySort>())
        {
            foreach (var descending in new[] { false, true })
            {
                // When every page of 5 is read, and the whole day in one page
                var whole = store.QueryIdentities(new IdentityQuery(Sort: sort, Descending: descending, PageSize: 500)).Identities;
                var paged = Enumerable.Range(1, 6)
                    .SelectMany(p => store.QueryIdentities(new IdentityQuery(Sort: sort, Descending: descending, Page: p, PageSize: 5))
                        .Identities)
                    .Select(i => i.Identity).ToList();

                // Then the pages are the whole order cut in fives (the sixth is empty), and that order is the sort's: the
                // column in the asked direction, then name, provider and identity ascending (name alone descending)
                Assert.Equal(whole.Select(i => i.Identity), paged);
                Func<IdentityMeasure, object> key = sort switch
                {
                    IdentitySort.Provider => i => i.Provider, IdentitySort.Account => i => i.Account, IdentitySort.Kind => i => i.Kind,
                    IdentitySort.Granted => i => i.Granted, IdentitySort.Used => i => i.Used, IdentitySort.Unused => i => i.Unused,
                    _ => i => i.Name,
                };
                var first = descending ? whole.OrderByDescending(key, Comparer<object>.Default)
                    : whole.OrderBy(key, Comparer<object>.Default);
                var expected = first.ThenBy(i => i.Name, StringComparer.Ordinal).ThenBy(i => i.Provider, StringComparer.Ordinal)
                    .ThenBy(i => i.Identity, StringComparer.Ordinal).Select(i => i.Identity);
                if (sort == IdentitySort.Name && descending)
                {
                    expected = whole.OrderByDescending(i => i.Name, StringComparer.Ordinal).ThenBy(i => i.Provider, StringComparer.Ordinal)
                        .ThenBy(i => i.Identity, StringComparer.Ordinal).Select(i => i.Identity);
                }
                var order = string.Join(", ", whole.Select(i => i.Identity));
                Assert.True(expected.SequenceEqual(whole.Select(i => i.Identity)), $"{sort} {(descending ? "desc" : "asc")}: {order}");
            }
        }
    }

    [StoreFact]
    public void QueryIdentities_NothingMeasured_EmptyPageWithoutDay()
    {
        // Given an empty store
        var store = OpenServerStore();
        using var _ = (IDisposable)store;

        // When queried
        var page = store.QueryIdentities(new IdentityQuery());

        // Then there is no day and no identity, and the stamp is stable
        Assert.Null(page.Day);
        Assert.Equal(0, page.Total);
        Assert.Empty(page.Identities);
        Assert.Equal(store.MeasurementStamp(), store.MeasurementStamp());
        Assert.Empty(store.LoadIngestRuns());
    }
}
