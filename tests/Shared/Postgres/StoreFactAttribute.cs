using Xunit.Abstractions;
using Xunit.Sdk;

namespace Ciem.Tests;

/// <summary>
/// A fact about a store. On a test class marked <see cref="RequiresPostgresAttribute"/> it is reported as skipped,
/// with the reason, when no PostgreSQL server is configured (<c>CIEM_TEST_PG</c> unset, outside CI); the contract's
/// facts are declared once and discovered per backend subclass, so the check is made per concrete class.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Ciem.Tests.StoreFactDiscoverer", TestAssembly.Name)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>The test class runs against the PostgreSQL server of <c>CIEM_TEST_PG</c>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        var needsPostgres = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();
        if (needsPostgres && PostgresTestServer.SkipReason is { } reason)
        {
            return
            [
                new XunitSkippedDataRowTestCase(_sink, discoveryOptions.MethodDisplayOrDefault(),
                    discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason),
            ];
        }
        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
