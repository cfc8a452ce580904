namespace Ciem.Collect;

/// <summary>
/// A collector could not read something it needs (refused, timed out, unusable settings): <see cref="Code"/> is a
/// stable CIEM69xx code and the message names what could not be read and why, never a secret.
/// </summary>
public sealed class CollectException : Exception
{
    public CollectException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    public CollectException() : this("", "") { }

    public CollectException(string message) : this("", message) { }

    public CollectException(string message, Exception inner) : this("", message, inner) { }

    public string Code { get; }

    /// <summary>The service's error code (`AccessDenied`, `InvalidClientTokenId`), when the service gave one.</summary>
    public string? ServiceCode { get; init; }

    /// <summary>The HTTP status the service answered with, if it answered.</summary>
    public int? Status { get; init; }
}
