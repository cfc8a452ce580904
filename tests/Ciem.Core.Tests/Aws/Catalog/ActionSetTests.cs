using Ciem.Core.Aws.Catalog;
using FsCheck.Xunit;

namespace Ciem.Core.Tests.Aws.Catalog;

[Trait("Category", "SharedData")]
public sealed class ActionSetTests
{
    private static AwsActionCatalog Catalog => AwsActionCatalog.Default;

    [Fact]
    public void Empty_NewCatalog_HasNoActions()
    {
        // Given the catalog's empty set
        var empty = Catalog.Empty;

        // Then it is empty and contains nothing
        Assert.True(empty.IsEmpty);
        Assert.Empty(empty);
        Assert.False(empty.Contains(0));
        Assert.False(Catalog.All.IsEmpty);
    }

    [Fact]
    public void Algebra_TwoServicePatterns_GivesExpectedCounts()
    {
        // Given `s3:Get*` and `s3:*Object*`
        var get = Catalog.Expand("s3:Get*");
        var obj = Catalog.Expand("s3:*Object*");

        // When combining them
        var union = get.Union(obj);
        var intersect = get.Intersect(obj);
        var except = get.Except(obj);

        // Then the counts satisfy inclusion-exclusion and membership is as named
        Assert.Equal(get.Count + obj.Count - intersect.Count, union.Count);
        Assert.Equal(get.Count - intersect.Count, except.Count);
        Assert.Contains(intersect, a => a.FullName == "s3:GetObject");
        Assert.DoesNotContain(except, a => a.FullName == "s3:GetObject");
        Assert.Contains(except, a => a.FullName == "s3:GetBucketPolicy");
        Assert.True(intersect.IsSubsetOf(get));
        Assert.True(get.Overlaps(obj));
        Assert.False(except.Overlaps(obj));
    }

    [Fact]
    public void Complement_Set_IsEverythingElse()
    {
        // Given the s3 actions
        var s3 = Catalog.Expand("s3:*");

        // When taking the complement
        var rest = s3.Complement();

        // Then together they cover the catalog without overlap
        Assert.Equal(Catalog.Count, s3.Count + rest.Count);
        Assert.Equal(Catalog.All, s3.Union(rest));
        Assert.True(s3.Intersect(rest).IsEmpty);
    }

    [Fact]
    public void Equals_SameActionsBuiltDifferently_AreEqualWithSameHash()
    {
        // Given the same actions reached by a pattern and by explicit names
        var byPattern = Catalog.Expand("s3:Get?bject");
        Assert.True(Catalog.TryGetAction("s3:GetObject", out var getObject));
        var byName = Catalog.CreateSet([getObject!]);

        // Then the sets are equal and hash alike, and differ from another set
        Assert.Equal(byPattern, byName);
        Assert.Equal(byPattern.GetHashCode(), byName.GetHashCode());
        Assert.NotEqual(byPattern, Catalog.Empty);
        Assert.True(byName.Contains(getObject!));
    }

    [Fact]
    public void Enumerate_Set_YieldsActionsInIdOrder()
    {
        // Given a set spanning several services
        var set = Catalog.ExpandMany(["iam:Get*", "ec2:Describe*", "s3:List*"]);

        // When enumerating actions and ids
        var actions = set.ToList();
        var ids = set.Ids.ToList();

        // Then both are in ascending id order and agree
        Assert.Equal(set.Count, actions.Count);
        Assert.Equal(actions.Select(a => a.Id), ids);
        Assert.Equal(ids.Order(), ids);
    }

    [Fact]
    public void Union_SetsFromDifferentCatalogs_Throws()
    {
        // Given sets from two catalog instances
        var shipped = Catalog.Expand("s3:*");
        var other = SharedData.GeneratedCatalog.Expand("s3:*");

        // When combining them, then it is a caller bug
        Assert.Throws<ArgumentException>(() => shipped.Union(other));
        Assert.NotEqual(shipped, other);
    }

    [Fact]
    public void Builder_AccumulatesInPlace_SnapshotIsImmutable()
    {
        // Given a builder with s3 read actions
        var builder = new ActionSetBuilder(Catalog);
        builder.UnionWith(Catalog.Expand("s3:Get*"));
        var snapshot = builder.ToActionSet();

        // When changing the builder afterwards
        builder.ExceptWith(Catalog.Expand("s3:GetObject*"));
        builder.IntersectWith(Catalog.Expand("s3:*"));
        var after = builder.ToActionSet();
        builder.Clear();

        // Then the snapshot kept its members and the builder's results are as expected
        Assert.Equal(Catalog.Expand("s3:Get*"), snapshot);
        Assert.Equal(Catalog.Expand("s3:Get*").Except(Catalog.Expand("s3:GetObject*")), after);
        Assert.True(builder.ToActionSet().IsEmpty);
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.Add(Catalog.Count));
    }

    [Property(MaxTest = 200)]
    public bool Algebra_RandomSets_AgreesWithHashSet(int[] left, int[] right)
    {
        // Given two random id sets and their HashSet twins
        var a = Ids(left);
        var b = Ids(right);
        var setA = Catalog.CreateSet(a.Select(i => Catalog.Actions[i]));
        var setB = Catalog.CreateSet(b.Select(i => Catalog.Actions[i]));

        // When applying each operation, then the bitset agrees with HashSet
        return setA.Union(setB).Ids.SequenceEqual(a.Union(b).Order())
            && setA.Intersect(setB).Ids.SequenceEqual(a.Intersect(b).Order())
            && setA.Except(setB).Ids.SequenceEqual(a.Except(b).Order())
            && setA.Count == a.Count
            && setA.Overlaps(setB) == a.Overlaps(b)
            && setA.IsSubsetOf(setB) == a.IsSubsetOf(b);
    }

    private static HashSet<int> Ids(int[] values) =>
        (values ?? []).Select(v => (int)((uint)v * 2654435761u % (uint)Catalog.Count)).ToHashSet();
}
