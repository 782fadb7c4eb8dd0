namespace SuperApp.Platform.Errors;

/// <summary>
/// A business-rule failure raised from deep inside an operation (for example the ledger), turned
/// into ProblemDetails by <see cref="ApiExceptionHandler"/>. Endpoints that can answer directly
/// return <see cref="Problems"/> results instead.
/// </summary>
public sealed class ApiException(int status, string code, string title, string? detail = null) : Exception(detail ?? title)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();

    /// <summary>Sent as <c>Retry-After</c> when set (rate and velocity limits).</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>
    /// "Not now" rather than "no": the same request may succeed if sent again (a 429, or a conflict
    /// with a change made meanwhile). Such an answer is never stored as an idempotency key's answer.
    /// </summary>
    public bool TryAgain
    {
        get => _tryAgain || Status == 429;
        init => _tryAgain = value;
    }

    private readonly bool _tryAgain;
}
