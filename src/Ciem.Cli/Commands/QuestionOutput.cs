using System.Diagnostics.CodeAnalysis;
using Ciem.App.Questions;

namespace Ciem.Cli.Commands;

/// <summary>
/// What every question command writes around its answer: the warnings about the question and the estate's resolution
/// diagnostics (stderr) first, then, when there is no answer, the problem and its exit code (3 invalid input, 1 no estate).
/// </summary>
public static class QuestionOutput
{
    public static bool TryAnswer<T>(CliHost host, QuestionResult<T> result, [NotNullWhen(true)] out T? answer, out int exit)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var w in result.Warnings) { host.Error.WriteLine($"warning {w.Code}: {w.Message}"); }
        if (!result.EstateDiagnostics.IsEmpty)
        {
            host.Error.WriteLine($"{result.EstateDiagnostics.Length} diagnostic(s) while resolving the inventory "
                + "(policies that cannot be fully evaluated are shown as indeterminate):");
            StoreAccess.WriteDiagnostics(host, result.EstateDiagnostics, max: 10);
        }
        answer = result.Answer;
        if (result.Problem is { } p)
        {
            host.Error.WriteLine(p.Code is null ? $"error: {p.Message}" : $"error {p.Code}: {p.Message}");
            exit = p.Kind == QuestionFailure.Unavailable ? ExitCodes.Failure : ExitCodes.InvalidInput;
            return false;
        }
        exit = ExitCodes.Ok;
        return answer is not null;
    }
}
