using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Ciem.Collect;

/// <summary>
/// How every collector calls an API: a time-out per attempt and retries with jittered exponential backoff (Polly),
/// for answers the service marks as worth retrying (throttling, 5xx) and for lost connections and time-outs, waiting
/// what the service asks for (Retry-After and the like) up to <see cref="MaxDelay"/>.
/// </summary>
public sealed record CallPolicy(TimeSpan Timeout, int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static readonly CallPolicy Default = new(TimeSpan.FromSeconds(30), 5, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(20));

    /// <summary>The pipeline for answers of type <typeparamref name="T"/>.</summary>
    /// <param name="retryable">whether an answer is to be tried again.</param>
    /// <param name="wait">how long the service asked to wait before the next attempt, if it said.</param>
    public ResiliencePipeline<T> Pipeline<T>(Func<T, bool> retryable, Func<T, TimeSpan?> wait)
    {
        ArgumentNullException.ThrowIfNull(retryable);
        ArgumentNullException.ThrowIfNull(wait);
        return new ResiliencePipelineBuilder<T>()
            .AddRetry(new RetryStrategyOptions<T>
            {
                MaxRetryAttempts = MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BaseDelay,
                MaxDelay = MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result: { } answer } => retryable(answer),
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } answer && wait(answer) is { } after
                    && after > TimeSpan.Zero
                    ? (TimeSpan?)(after < MaxDelay ? after : MaxDelay)
                    : null),
            })
            .AddTimeout(Timeout)
            .Build();
    }
}
