using Ciem.Core.Aws.Usage;

namespace Ciem.Core.Tests.Aws.Usage;

public sealed class EventActionMapperTests
{
    private static readonly EventActionMapper Mapper = EventActionMapper.Default;

    [Theory]
    [InlineData("iam.amazonaws.com", "CreateUser", "iam:CreateUser", EventMappingKind.Catalog)]
    [InlineData("ec2.amazonaws.com", "DescribeInstances", "ec2:DescribeInstances", EventMappingKind.Catalog)]
    [InlineData("s3.amazonaws.com", "GetObject", "s3:GetObject", EventMappingKind.Catalog)]
    [InlineData("s3.amazonaws.com", "ListObjects", "s3:ListBucket", EventMappingKind.Override)]
    [InlineData("s3.amazonaws.com", "ListObjectsV2", "s3:ListBucket", EventMappingKind.Override)]
    [InlineData("s3.amazonaws.com", "ListBuckets", "s3:ListAllMyBuckets", EventMappingKind.Override)]
    [InlineData("s3.amazonaws.com", "GetBucketEncryption", "s3:GetEncryptionConfiguration", EventMappingKind.Override)]
    [InlineData("s3.amazonaws.com", "DeleteBucketLifecycle", "s3:PutLifecycleConfiguration", EventMappingKind.Override)]
    [InlineData("monitoring.amazonaws.com", "DescribeAlarms", "cloudwatch:DescribeAlarms", EventMappingKind.Catalog)]
    [InlineData("email.amazonaws.com", "SendEmail", "ses:SendEmail", EventMappingKind.Catalog)]
    [InlineData("lambda.amazonaws.com", "Invoke", "lambda:InvokeFunction", EventMappingKind.Override)]
    [InlineData("lambda.amazonaws.com", "GetFunction20150331v2", "lambda:GetFunction", EventMappingKind.Catalog)]
    [InlineData("lambda.amazonaws.com", "ListFunctions20150331", "lambda:ListFunctions", EventMappingKind.Catalog)]
    [InlineData("lambda.amazonaws.com", "PublishLayerVersion20181031", "lambda:PublishLayerVersion", EventMappingKind.Catalog)]
    [InlineData("cloudfront.amazonaws.com", "UpdateDistribution2020_05_31", "cloudfront:UpdateDistribution", EventMappingKind.Catalog)]
    [InlineData("apigateway.amazonaws.com", "GetRestApis", "apigateway:GET", EventMappingKind.Override)]
    [InlineData("apigateway.amazonaws.com", "UntagResource", "apigateway:DELETE", EventMappingKind.Override)]
    [InlineData("billingconsole.amazonaws.com", "GetAlternateContact", "account:GetAlternateContact", EventMappingKind.Override)]
    public void Map_KnownEvent_GivesItsIamAction(string source, string name, string action, EventMappingKind kind)
    {
        // Given a CloudTrail event source and name
        // When it is mapped
        var mapping = Mapper.Map(source, name);

        // Then its first action is the IAM action, found the expected way
        Assert.Equal(kind, mapping.Kind);
        Assert.Equal(action, mapping.Actions[0]);
    }

    [Fact]
    public void Map_CopyObject_GivesReadAndWrite()
    {
        // Given / When
        var mapping = Mapper.Map("s3.amazonaws.com", "CopyObject");

        // Then both halves of the copy are exercised
        Assert.Equal<string>(["s3:GetObject", "s3:PutObject"], mapping.Actions.ToArray());
        Assert.False(string.IsNullOrEmpty(mapping.Reason));
    }

    [Theory]
    [InlineData("signin.amazonaws.com", "ConsoleLogin")]
    [InlineData("signin.amazonaws.com", "CheckMfa")]
    [InlineData("sso.amazonaws.com", "Federate")]
    [InlineData("secretsmanager.amazonaws.com", "StartSecretVersionDelete")]
    public void Map_SignInAndServiceEvents_AreNoAction(string source, string name)
    {
        // When
        var mapping = Mapper.Map(source, name);

        // Then the event is known and authorised by no IAM action
        Assert.Equal(EventMappingKind.NoAction, mapping.Kind);
        Assert.Empty(mapping.Actions);
        Assert.True(mapping.IsKnown);
    }

    [Fact]
    public void Map_UnknownEvent_IsReportedWithItsCandidate()
    {
        // When an event names nothing the catalog or the table knows
        var mapping = Mapper.Map("iam.amazonaws.com", "NotCreateUser");

        // Then it is unknown, and the reason names what was looked for
        Assert.Equal(EventMappingKind.Unknown, mapping.Kind);
        Assert.Contains("`iam:NotCreateUser`", mapping.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_EveryActionIsInTheCatalogAndEveryRowSaysWhy()
    {
        // Given the shipped exception table
        foreach (var row in Mapper.Overrides)
        {
            // Then each row has a reason, and each action it names exists
            Assert.False(string.IsNullOrWhiteSpace(row.Why));
            if (row.Kind == "service")
            {
                Assert.True(Mapper.Catalog.TryGetService(row.Actions[0], out _), $"unknown prefix `{row.Actions[0]}`");
                continue;
            }
            foreach (var action in row.Actions)
            {
                Assert.True(Mapper.Catalog.TryGetAction(action, out _), $"unknown action `{action}` in override for `{row.Event}`");
            }
        }
    }

    [Fact]
    public void Overrides_NoEventRowDuplicatesTheCatalog()
    {
        // Given the exception table: an `event` row for a name the catalog already has would be dead weight or a contradiction
        foreach (var row in Mapper.Overrides.Where(r => r.Kind == "event" && !r.Event.EndsWith('*')))
        {
            var direct = $"{Mapper.ServicePrefix(row.Source)}:{EventActionMapper.NormalizeName(row.Event)}";

            // Then either the catalog lacks the direct name, or the row adds something the direct name does not say
            Assert.True(!Mapper.Catalog.TryGetAction(direct, out var known) || row.Actions.Length > 1 || !string.Equals(known.FullName, row.Actions[0], StringComparison.OrdinalIgnoreCase),
                $"override for `{row.Event}` repeats the catalog");
        }
    }

    [Theory]
    [InlineData("GetFunction20150331v2", "GetFunction")]
    [InlineData("ListFunctions20150331", "ListFunctions")]
    [InlineData("CreateDistribution2020_05_31", "CreateDistribution")]
    [InlineData("PutObject", "PutObject")]
    [InlineData("ListObjectsV2", "ListObjectsV2")]
    [InlineData("GetEbsDefaultKmsKeyId", "GetEbsDefaultKmsKeyId")]
    public void NormalizeName_RemovesOnlyApiVersionSuffixes(string name, string expected) =>
        Assert.Equal(expected, EventActionMapper.NormalizeName(name));

    [Fact]
    public void ServicePrefix_EndpointNames_MapToIamPrefixes()
    {
        Assert.Equal("cloudwatch", Mapper.ServicePrefix("monitoring.amazonaws.com"));
        Assert.Equal("s3", Mapper.ServicePrefix("s3.amazonaws.com"));
        Assert.Equal("monitoring.amazonaws.com", Mapper.EventSourceFor("cloudwatch"));
        Assert.Equal("iam.amazonaws.com", Mapper.EventSourceFor("iam"));
    }

    [Fact]
    public void ParseOverrides_BadRow_ThrowsNamingTheLine()
    {
        // Given a table whose second data row has no reason
        var text = "# comment\nkind\tsource\tevent\tactions\twhy\nevent\ts3.amazonaws.com\tListObjects\ts3:ListBucket\tbecause\nevent\ts3.amazonaws.com\tX\ts3:Y\t\n";

        // When parsed, then the file and line are named
        var ex = Assert.Throws<InvalidDataException>(() => EventActionMapper.ParseOverrides(new StringReader(text)));
        Assert.Contains("line 4", ex.Message, StringComparison.Ordinal);
    }
}
