using System.Collections.Concurrent;
using System.Collections.Immutable;
using Ciem.Core.Aws.Effective;
using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Aws.Inventory;

namespace Ciem.Core.Tests.Aws.Effective;

/// <summary>
/// The organisation's RCP levels are filled lazily by the parallel sweep's replays (an account named only by a request's
/// resource): many threads asking for many accounts at once get the single-threaded answer, each compiled once.
/// </summary>
public sealed class AwsEstateConcurrencyTests
{
    private const int Accounts = 48;
    private const int Threads = 12;
    private const string Caller = "111111111111";
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static string Rcp(int n) => """
        {"Version":"2012-10-17","Statement":[{"Sid":"RN","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
        "Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-abc123def4","aws:SourceAccount":"ACCOUNT"}}}]}
        """.Replace("RN", $"R{n}", StringComparison.Ordinal).Replace("ACCOUNT", AccountId(n), StringComparison.Ordinal);

    private static string AccountId(int i) => (200000000000L + i).ToString("D12", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A root, four OUs (one under another, one with no RCP, one whose parent is missing) and <see cref="Accounts"/> accounts spread
    /// over them; RCPs at the root, at three OUs and at every third account. Only the caller's account holds an identity.
    /// </summary>
    private static AwsInventory Inventory()
    {
        const string root = "r-ab12";
        string[] units = ["ou-ab12-00000001", "ou-ab12-00000002", "ou-ab12-00000003", "ou-ab12-00000004"];
        var accounts = Enumerable.Range(0, Accounts)
            .Select(i => new OrgAccount(AccountId(i), $"acct-{i}", null, "ACTIVE", i % 5 == 4 ? root : units[i % 4]))
            .Append(new OrgAccount(Caller, "caller", null, "ACTIVE", root))
            .ToImmutableArray();
        var policies = new List<OrgPolicy>
        {
            new("p-root", "RootRcp", OrgPolicyKind.Rcp, Rcp(0), false, [root]),
            new("p-ou1", "Ou1Rcp", OrgPolicyKind.Rcp, Rcp(1), false, [units[0]]),
            new("p-ou2", "Ou2Rcp", OrgPolicyKind.Rcp, Rcp(2), false, [units[1], units[0]]),
            new("p-ou4", "Ou4Rcp", OrgPolicyKind.Rcp, Rcp(4), false, [units[3]]),
            new("p-scp", "FullAWSAccess", OrgPolicyKind.Scp,
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", true, [root, Caller]),
        };
        policies.AddRange(Enumerable.Range(0, Accounts).Where(i => i % 3 == 0)
            .Select(i => new OrgPolicy($"p-a{i}", $"AccountRcp{i}", OrgPolicyKind.Rcp, Rcp(100 + i), false, [AccountId(i)])));
        var org = new AwsOrganization("o-abc123def4", Caller, TakenAt, root,
            [
                new OrgUnit(root, "Root", null, true),
                new OrgUnit(units[0], "Prod", root, false),
                new OrgUnit(units[1], "Payments", units[0], false),
                new OrgUnit(units[2], "Sandbox", root, false),
                new OrgUnit(units[3], "Orphan", "ou-ab12-99999999", false),
            ],
            accounts, [.. policies]);
        var role = new IamRole($"arn:aws:iam::{Caller}:role/reader", "reader", "AROAREADER", "/", TakenAt,
            """{"Version":"2012-10-17","Statement":[]}""",
            [new InlinePolicy("read",
                """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""")],
            [], null, [], [], null, null, null);
        return new AwsInventory([new AwsAccountSnapshot(Caller, TakenAt, [], [], [role], [])], org, [], []);
    }

    private static ImmutableArray<PolicyLevel> RcpsOf(AwsEstate estate, string account)
    {
        var who = estate.Identities.Single();
        var request = estate.CreateRequest(who, "s3:GetObject", $"arn:aws:s3:::bucket-{account}/key", resourceAccount: account);
        return estate.PolicySetFor(who, request).Rcps;
    }

    /// <summary>The levels as text (targets and policy names): equal for equal levels of two estates.</summary>
    private static string Describe(ImmutableArray<PolicyLevel> levels) =>
        string.Join(" | ", levels.Select(l => $"{l.Target}: {string.Join(", ", l.Policies.Select(p => p.Name))}"));

    [Fact]
    public void PolicySetFor_ManyThreadsManyAccounts_SingleThreadedAnswersEachCompiledOnce()
    {
        // Given the single-threaded answer for every account
        var accounts = Enumerable.Range(0, Accounts).Select(AccountId).Append(Caller).Append("999999999999").ToArray();
        var serial = AwsEstate.Build(Inventory());
        var expected = accounts.ToDictionary(a => a, a => Describe(RcpsOf(serial, a)), StringComparer.Ordinal);
        Assert.Equal("r-ab12: rcp:RootRcp (p-root) at r-ab12 | ou-ab12-00000001: rcp:Ou1Rcp (p-ou1) at ou-ab12-00000001, "
            + "rcp:Ou2Rcp (p-ou2) at ou-ab12-00000001 | 200000000000: rcp:AccountRcp0 (p-a0) at 200000000000",
            expected[AccountId(0)]);
        Assert.Equal("", expected[AccountId(3)]); // under the orphan OU: its chain is broken, no level applies
        Assert.Equal("", expected["999999999999"]); // not in the organisation
        Assert.Equal("r-ab12: rcp:RootRcp (p-root) at r-ab12 | ou-ab12-00000001: rcp:Ou1Rcp (p-ou1) at ou-ab12-00000001, "
            + "rcp:Ou2Rcp (p-ou2) at ou-ab12-00000001 | ou-ab12-00000002: rcp:Ou2Rcp (p-ou2) at ou-ab12-00000002",
            expected[AccountId(1)]);

        // And an estate that counts its level compilations, and how many run at once
        var compilations = new ConcurrentDictionary<(string, OrgPolicyKind), int>();
        var inside = 0;
        var mostInside = 0;
        var estate = AwsEstate.Build(Inventory(), null, (account, kind) =>
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref mostInside, now);
            compilations.AddOrUpdate((account, kind), 1, (_, n) => n + 1);
            // Held a moment, so that a second thread missing the same account would compile it too were there no lock.
            Thread.Sleep(1);
            Interlocked.Decrement(ref inside);
        });
        Assert.Equal((Caller, OrgPolicyKind.Scp), Assert.Single(compilations.Keys));

        // When many threads, released together, ask every account (each thread in its own rotation of the accounts)
        // (threads of their own: the thread pool of a small machine would add workers to a barrier one by one)
        var answers = Enumerable.Range(0, Threads).Select(_ => new ImmutableArray<PolicyLevel>[accounts.Length]).ToArray();
        var failures = new ConcurrentQueue<Exception>();
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                for (var k = 0; k < accounts.Length; k++)
                {
                    var a = (k + t * 7) % accounts.Length;
                    answers[t][a] = RcpsOf(estate, accounts[a]);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or NullReferenceException
                or IndexOutOfRangeException)
            {
                failures.Enqueue(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);

        // Then every answer is the single-threaded one, every thread got the same levels of an account (one compilation),
        // and no two compilations ever ran at once
        for (var a = 0; a < accounts.Length; a++)
        {
            for (var t = 0; t < Threads; t++)
            {
                Assert.Equal(expected[accounts[a]], Describe(answers[t][a]));
                Assert.True(answers[t][a] == answers[0][a], $"thread {t} got other levels of `{accounts[a]}` than thread 0");
            }
        }
        Assert.Equal(accounts.Length + 1, compilations.Count);
        Assert.All(compilations, c => Assert.Equal(1, c.Value));
        Assert.Equal(1, mostInside);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref target, value, seen);
            if (was == seen) { return; }
            seen = was;
        }
    }
}
