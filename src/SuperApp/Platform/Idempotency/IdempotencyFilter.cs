using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using SuperApp.Platform.Observability;

namespace SuperApp.Platform.Idempotency;

/// <summary>
/// Makes a money endpoint idempotent per user and <c>Idempotency-Key</c>. The claim of the key, the
/// handler and the completion of the key's record run in one database transaction, so a response is
/// stored if and only if its effects committed. 2xx/4xx answers are stored and replayed
/// byte-for-byte; a 5xx rolls back and leaves the key free. The claim is sent with the work's first
/// ledger batch (see <see cref="KeyClaim"/>); an attempt that finds the key taken rolls its
/// work back and answers what the key's holder answered (replay, 409 while in flight, or 422).
/// </summary>
public sealed class IdempotencyFilter(
    IOptions<IdempotencyOptions> options, AppMetrics metrics, IProblemDetailsService problems) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!options.Value.Enabled)
        {
            return await next(context);
        }

        var http = context.HttpContext;
        var values = http.Request.Headers[Header];
        var key = values.ToString();
        // Two headers would reach us joined as "a,b": one key the client never sent. Refuse both shapes.
        if (values.Count != 1 || !IsValidKey(key))
        {
            return Problems.Of(400, "IDEMPOTENCY_KEY_REQUIRED", "A valid Idempotency-Key header is required.",
                "Send exactly one Idempotency-Key header of 1-255 printable ASCII characters without commas, unique per operation, "
                + "and reuse it only to retry that operation.");
        }

        var services = http.RequestServices;
        var store = services.GetRequiredService<IdempotencyStore>();
        var db = services.GetRequiredService<AppDbContext>();
        var ct = http.RequestAborted;
        var userId = http.User.UserId();
        var hash = await FingerprintAsync(http.Request, ct);
        // One connection for claim, work and completion rather than one per statement.
        await db.Database.OpenConnectionAsync(ct);

        // Runs one attempt: its own claim on the key, the answer and the stored answer, all in one unit
        // of work; a 5xx or a "try again" answer rolls back, taking the claim with it. A stored answer
        // counts as a first use: the hit rate is replays over replays plus first uses.
        async Task<IResult> AttemptAsync(Func<Task<CapturedResponse>> answer)
        {
            var claim = store.NewClaim(userId, key, hash);
            var result = await db.RunAsync(claim, async ct =>
            {
                var captured = await answer();
                if (captured.Status >= 500 || captured.Status == StatusCodes.Status429TooManyRequests)
                {
                    // Neither is the key's answer: roll back, taking the claim with it, so a retry runs again.
                    throw new UnstoredResponse(captured);
                }

                store.Complete(claim.RecordId, captured);
                return (IResult)captured;
            }, ct);
            metrics.IdempotencyFirstUses.Add(1);
            return result;
        }

        // A second pass only after the key was found past its retention and deleted.
        for (var pass = 0; pass < 2; pass++)
        {
            try
            {
                CapturedResponse refusal;
                try
                {
                    return await AttemptAsync(async () => await CapturedResponse.RunAsync(http, await next(context)));
                }
                catch (ApiException e) when (e.Status is >= 400 and < 500 && !e.TryAgain)
                {
                    refusal = await ProblemOf(http, e);
                }

                // A business rule said no and the work rolled back. That answer becomes final for the
                // key if this attempt can still claim it; if another attempt got there first, the
                // client gets that attempt's answer instead, never two different answers for one key.
                return await AttemptAsync(() => Task.FromResult(refusal));
            }
            catch (ApiException e)
            {
                // "Not now" (a 429, a conflict with a change made meanwhile) is not "no", and a 5xx is
                // not the key's answer either: the transaction rolled back with the claim, nothing is
                // stored, and the client can retry with the same key.
                return await ProblemOf(http, e);
            }
            catch (UnstoredResponse e)
            {
                return e.Response;
            }
            catch (KeyTakenException)
            {
                // Another attempt holds the key; this one's work rolled back.
            }

            if (await AnswerForHeldKeyAsync(store, userId, key, hash, ct) is { } held)
            {
                return held;
            }
        }

        // The key was expired and deleted once, yet is taken again: another attempt has it now.
        metrics.IdempotencyConflicts.Add(1);
        return InProgress();
    }

    /// <summary>The answer for a key another attempt holds; null when it had expired and is free again.</summary>
    private async Task<IResult?> AnswerForHeldKeyAsync(IdempotencyStore store, Guid userId, string key, byte[] hash, CancellationToken ct)
    {
        var (outcome, stored) = await store.ResolveAsync(userId, key, hash, ct);
        switch (outcome)
        {
            case KeyOutcome.Replay:
                metrics.IdempotencyReplays.Add(1);
                return new StoredResponse(stored!);
            case KeyOutcome.InProgress:
                metrics.IdempotencyConflicts.Add(1);
                return InProgress();
            case KeyOutcome.Mismatch:
                metrics.IdempotencyMismatches.Add(1);
                return Problems.Unprocessable("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used for a different request.",
                    "A key names one operation: the same method, path and body. Use a new key for a new operation.");
            default:
                return null;
        }
    }

    private static ProblemHttpResult InProgress() =>
        Problems.Of(StatusCodes.Status409Conflict, "IDEMPOTENCY_IN_PROGRESS",
            "A request with this Idempotency-Key is still being processed.",
            "Retry shortly with the same key to get its answer.");

    private Task<CapturedResponse> ProblemOf(HttpContext http, ApiException e) =>
        CapturedResponse.RunAsync(http, new ProblemResult(problems, ApiExceptionHandler.ToProblem(e), e.RetryAfter));

    public static bool IsValidKey(string key) => key.Length is > 0 and <= 255 && key.All(c => c is >= ' ' and <= '~' and not ',');

    private static async Task<byte[]> FingerprintAsync(HttpRequest request, CancellationToken ct)
    {
        using var body = new MemoryStream();
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            await request.Body.CopyToAsync(body, ct);
        }

        return Fingerprint(request.Method, request.Path, body.ToArray());
    }

    /// <summary>What makes two requests "the same": method, path and the exact body bytes.</summary>
    public static byte[] Fingerprint(string method, string path, ReadOnlySpan<byte> body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{method}\n{path}\n"));
        sha.AppendData(body);
        return sha.GetHashAndReset();
    }

    private sealed class UnstoredResponse(CapturedResponse response) : Exception("an answer not stored for the key")
    {
        public CapturedResponse Response { get; } = response;
    }

    private sealed class ProblemResult(IProblemDetailsService problems, ProblemDetails problem, TimeSpan? retryAfter) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = problem.Status ?? 500;
            if (retryAfter is { } wait)
            {
                httpContext.Response.SetRetryAfter(wait);
            }

            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
        }
    }
}
