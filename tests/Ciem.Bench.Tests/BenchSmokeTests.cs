using Ciem.Core.Aws.Evaluation;
using Ciem.Core.Model;
using Ciem.Tests;

namespace Ciem.Bench.Tests;

/// <summary>
/// Runs every benchmark code path on tiny inputs, untimed, so the benchmark command cannot rot.
/// The figures themselves are measured by `dotnet run -c Release --project bench/Ciem.Bench -- all`.
/// </summary>
[Trait("Category", "SharedData")]
public sealed class BenchSmokeTests
{
    private static readonly string SampleExport = TestPaths.Repo("samples", "aws", "authorization-details.json");

    private static double Value(IReadOnlyList<Figure> figures, string name) => figures.Single(f => f.Name == name).Value;

    [Fact]
    public void EvalWorkload_EachRequest_GetsTheDecisionItsCommentStates()
    {
        // Given the eval benchmark's policy set and prepared requests
        var (policies, requests) = EvalBench.Workload();

        // When each request is evaluated once
        var decisions = requests.Select(r => AwsAuthorizer.Evaluate(r, policies).Decision).ToArray();

        // Then the mix is the documented one: 7 allowed, 3 explicitly and 4 implicitly denied
        Decision[] expected =
        [
            Decision.Allow, Decision.Allow, Decision.Allow, Decision.Allow, Decision.Allow,
            Decision.ExplicitDeny, Decision.Allow, Decision.ImplicitDeny, Decision.ExplicitDeny, Decision.Allow,
            Decision.ExplicitDeny, Decision.ImplicitDeny, Decision.ImplicitDeny, Decision.ImplicitDeny,
        ];
        Assert.Equal(expected, decisions);
    }

    [Fact]
    public void EvalRun_TinyDuration_ReportsRatesAndAllocations()
    {
        // Given / When a very short eval run
        var figures = EvalBench.Run(TimeSpan.FromMilliseconds(1), repetitions: 1);

        // Then it reports positive rates and the workload's shape
        Assert.True(Value(figures, "eval.single") > 0);
        Assert.True(Value(figures, "eval.cpu") > 0);
        Assert.True(Value(figures, "eval.parallel") > 0);
        Assert.True(Value(figures, "eval.alloc") >= 0);
        Assert.Equal(14, Value(figures, "eval.requests"));
    }

    [Fact]
    public void CatalogRun_OneWarmLoad_ReportsTheCatalogSize()
    {
        // Given / When
        var figures = CatalogBench.Run(warmRepetitions: 1);

        // Then
        Assert.True(Value(figures, "catalog.actions") > 10_000);
        Assert.True(Value(figures, "catalog.warm") > 0);
    }

    [Fact]
    public void EffectiveRun_SampleEstate_ComputesEveryIdentity()
    {
        // Given the sample estate's export
        // When effective permissions are computed for every identity
        var figures = EffectiveBench.Run(SampleExport);

        // Then every identity is counted and the checksum is positive
        Assert.True(Value(figures, "input.identities") > 0);
        Assert.Equal(Value(figures, "input.users") + Value(figures, "input.roles"), Value(figures, "input.identities"));
        Assert.True(Value(figures, "effective.granted") > 0);
        Assert.True(Value(figures, "effective.peak") > 0);
    }

    [Fact]
    public void ImportRun_SampleEstate_WritesADatabase()
    {
        // Given / When the sample export is imported into a temporary store
        var figures = ImportBench.Run(SampleExport);

        // Then records were imported and the database has a size
        Assert.True(Value(figures, "import.records") > 0);
        Assert.True(Value(figures, "import.db") > 0);
    }

    [Fact]
    public void SimulateRun_GeneratedRequests_EveryRequestDecidedInOrderWithPoliciesReused()
    {
        // Given 300 requests written by the generator from the example export
        var input = Inputs.SimulateRequests(300, factor: 1);

        // When the simulate pipeline runs on them
        var figures = SimulateBench.Run(input);

        // Then every request is read and decided, and the repeated policy documents are compiled once each
        Assert.Equal(300, Value(figures, "simulate.requests"));
        Assert.Equal(0, Value(figures, "simulate.invalid"));
        Assert.Equal(300, Value(figures, "simulate.Allow") + Value(figures, "simulate.ExplicitDeny") + Value(figures, "simulate.ImplicitDeny"));
        Assert.True(Value(figures, "simulate.Allow") > 0 && Value(figures, "simulate.ExplicitDeny") > 0);
        Assert.True(Value(figures, "simulate.compiled") < Value(figures, "simulate.reused"));
    }

    [Fact]
    public void Replicated_FactorTwo_DoublesTheRoles()
    {
        // Given the shared generator, When the example export is replicated twice and read
        var figures = EffectiveBench.Run(Inputs.Replicated(2));

        // Then it has twice the example's 78 roles
        Assert.Equal(156, Value(figures, "input.roles"));
    }

    [Fact]
    public void FigureLine_RoundTrips()
    {
        // Given a figure, When it is written as a line and parsed back, Then it is unchanged
        var figure = new Figure("eval.single", 1234567.5, "evaluations/s");
        Assert.True(Figure.TryParseLine(figure.ToLine(), out var parsed));
        Assert.Equal(figure, parsed);
    }

    [Theory]
    [InlineData("--factor", "0")]
    [InlineData("--runs", "x")]
    [InlineData("--bogus", "1")]
    [InlineData("--seconds", "-1")]
    public void ProgramRun_BadOption_ThrowsArgumentException(string option, string value)
    {
        // Given / When / Then
        Assert.Throws<ArgumentException>(() => Program.Run(["eval", option, value], TextWriter.Null));
    }

    [Fact]
    public void ProgramRun_StoreToAnEmptyLocation_RefusedBeforeReadingTheInput()
    {
        // Given a store benchmark whose target is empty and whose input does not exist
        // When / Then the target is refused first, as an argument error naming the option
        var error = Assert.Throws<ArgumentException>(() => Program.Run(["store", "--input", "missing.db", "--to", " "], TextWriter.Null));
        Assert.Contains("`--to  `: the store location is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProgramRun_Help_PrintsUsage()
    {
        // Given a writer, When --help is asked for, Then the usage names every command
        using var output = new StringWriter();
        Assert.Equal(0, Program.Run(["--help"], output));
        Assert.Contains("effective", output.ToString(), StringComparison.Ordinal);
    }
}
