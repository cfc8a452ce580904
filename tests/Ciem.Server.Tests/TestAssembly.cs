namespace Ciem.Tests;

/// <summary>This assembly's name, for the shared test discoverers (tests/Shared/Postgres).</summary>
internal static class TestAssembly
{
    public const string Name = "Ciem.Server.Tests";
}
