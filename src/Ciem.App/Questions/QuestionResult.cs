using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Ciem.App.Names;
using Ciem.Core.Diagnostics;
using Ciem.Core.Model;

namespace Ciem.App.Questions;

/// <summary>Why a question has no answer: the question itself is wrong, or the store cannot answer it.</summary>
public enum QuestionFailure
{
    /// <summary>The question is malformed or names nothing the estate holds (exit code 3 in the CLI).</summary>
    InvalidInput,

    /// <summary>The store holds no estate to ask (exit code 1 in the CLI).</summary>
    Unavailable,
}

/// <summary>The reason a question was not answered (lowercase, values in backticks) and its stable code, when it has one.</summary>
public sealed record QuestionProblem(QuestionFailure Kind, string Message, string? Code = null);

/// <summary>Something about the question that does not stop the answer (an action the shipped catalog does not know).</summary>
public sealed record QuestionWarning(string Code, string Message);

/// <summary>
/// The outcome of one question to the estate: the answer or the problem, the warnings about the question, and the
/// diagnostics of resolving the AWS estate the answer rests on (policies that could only be partly evaluated).
/// </summary>
public sealed record QuestionResult<T>(
    T? Answer, QuestionProblem? Problem, ImmutableArray<QuestionWarning> Warnings, ImmutableArray<Diagnostic> EstateDiagnostics)
    where T : class
{
    /// <summary>The same unanswered outcome as another answer type (a lookup that failed inside a larger question).</summary>
    public QuestionResult<TOther> As<TOther>()
        where TOther : class => new(null, Problem, Warnings, EstateDiagnostics);
}

/// <summary>What one question has gathered so far: warnings, estate diagnostics and, once something failed, the problem.</summary>
internal sealed class QuestionLog
{
    private readonly ImmutableArray<QuestionWarning>.Builder _warnings = ImmutableArray.CreateBuilder<QuestionWarning>();
    private ImmutableArray<Diagnostic> _diagnostics = [];
    private QuestionProblem? _problem;

    /// <summary>
    /// A question of one provider's estate (`ciem can`, `ciem who-can`): the permission checked against that provider's
    /// catalog, then that provider's own evaluation (AWS unless Azure or GCP), which records in the same log.
    /// </summary>
    public static QuestionResult<T> OfProvider<T>(string provider, string permission, Func<QuestionLog, QuestionResult<T>> aws,
        Func<QuestionLog, QuestionResult<T>> azure, Func<QuestionLog, QuestionResult<T>> gcp)
        where T : class
    {
        var log = new QuestionLog();
        log.CheckPermission(provider, permission);
        return provider switch
        {
            Provider.AzureName => azure(log),
            Provider.GcpName => gcp(log),
            _ => aws(log),
        };
    }

    /// <summary>A warning when the shipped catalog does not know the permission, with the closest names.</summary>
    public void CheckPermission(string provider, string permission)
    {
        if (KnownPermissions.Check(provider, permission) is { } problem)
        {
            _warnings.Add(new QuestionWarning(DiagnosticCodes.CliUnknownPermission, $"{problem} (evaluated as given)"));
        }
    }

    /// <summary>A warning when the shipped catalog does not know the service prefix, with the closest names.</summary>
    public void CheckService(string provider, string service)
    {
        if (KnownPermissions.CheckService(provider, service) is { } problem)
        {
            _warnings.Add(new QuestionWarning(DiagnosticCodes.CliUnknownPermission, problem));
        }
    }

    /// <summary>The loaded estate, or false with the store's reason recorded; its resolution diagnostics are kept.</summary>
    public bool TryLoad<T>(Loaded<T> loaded, [NotNullWhen(true)] out T? value)
        where T : class
    {
        value = loaded.Value;
        if (value is null)
        {
            _problem = new QuestionProblem(QuestionFailure.Unavailable, loaded.Error ?? "the store holds nothing to ask");
            return false;
        }
        _diagnostics = _diagnostics.AddRange(loaded.Diagnostics);
        return true;
    }

    /// <summary>A warning about what the answer rests on (records its estate's import left out).</summary>
    public void Warn(QuestionWarning warning) => _warnings.Add(warning);

    public QuestionResult<T> Invalid<T>(string message, string? code = null)
        where T : class => Fail<T>(new QuestionProblem(QuestionFailure.InvalidInput, message, code));

    public QuestionResult<T> Fail<T>(QuestionProblem problem)
        where T : class
    {
        _problem = problem;
        return Result<T>(null);
    }

    /// <summary>The answer, or (with a null answer) the problem recorded by <see cref="TryLoad"/>.</summary>
    public QuestionResult<T> Result<T>(T? answer)
        where T : class => new(answer, answer is null ? _problem : null, _warnings.ToImmutable(), _diagnostics);
}
