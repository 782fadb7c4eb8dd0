using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Platform.Auth;
using SuperApp.Platform.Errors;
using SuperApp.Platform.Observability;

namespace SuperApp.Platform.Idempotency;

/// <summary>
/// Makes a money endpoint idempotent per user and <c>Idempotency-Key</c>. The claim of the key, the
/// handler and the completion of the key's record run in one database transaction, so a response is
/// stored if and only if its effects committed. 2xx/4xx answers are stored and replayed
/// byte-for-byte; a 5xx rolls back and leaves the key free.
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
        var key = http.Request.Headers[Header].ToString();
        if (!IsValidKey(key))
        {
            return Problems.Of(400, "IDEMPOTENCY_KEY_REQUIRED", "A valid Idempotency-Key header is required.",
                "Send 1-255 printable ASCII characters, unique per operation, and reuse them only to retry it.");
        }

        var services = http.RequestServices;
        var store = services.GetRequiredService<IdempotencyStore>();
        var scope = services.GetRequiredService<IdempotencyContext>();
        var db = services.GetRequiredService<AppDbContext>();
        var ct = http.RequestAborted;
        var userId = http.User.UserId();
        var hash = await FingerprintAsync(http.Request, ct);
        // One connection for claim, work and completion rather than one per statement.
        await db.Database.OpenConnectionAsync(ct);
        ApiException? refusal = null;
        try
        {
            var response = await db.RunAsync(async ct =>
            {
                var claim = await store.ClaimAsync(userId, key, hash, ct);
                switch (claim.Outcome)
                {
                    case ClaimOutcome.Replay:
                        metrics.IdempotencyReplays.Add(1);
                        return new StoredResponse(claim.Stored!);
                    case ClaimOutcome.InProgress:
                        metrics.IdempotencyConflicts.Add(1);
                        return Problems.Conflict("IDEMPOTENCY_IN_PROGRESS", "A request with this Idempotency-Key is still being processed.");
                    case ClaimOutcome.Mismatch:
                        metrics.IdempotencyMismatches.Add(1);
                        return Problems.Unprocessable("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used for a different request.");
                }

                scope.Set(claim.RecordId);
                CapturedResponse captured;
                try
                {
                    captured = await CapturedResponse.RunAsync(http, await next(context));
                }
                catch (ApiException e) when (e.Status is >= 400 and < 500 and not StatusCodes.Status429TooManyRequests)
                {
                    // A business rule said no: that answer is final for this key. The work is undone
                    // but the claim (and its lock) stays, so no duplicate can run before it is stored.
                    await store.UndoWorkAsync(ct);
                    refusal = e;
                    captured = await ProblemOf(http, e);
                }

                if (captured.Status >= 500)
                {
                    // Rolling back takes the claim with it: nothing is stored and the key is free.
                    throw new ServerErrorResponse(captured);
                }

                store.Complete(claim.RecordId, captured);
                return (IResult)captured;
            }, ct);
            if (refusal is not null)
            {
                await MoneyTransaction.RunAfterRollbackAsync(refusal);
            }

            return response;
        }
        catch (ApiException e)
        {
            // A 429 means "not now", not "no" (and a 5xx is not the key's answer either): the
            // transaction rolled back with the claim, nothing is stored, and the client can retry.
            return await ProblemOf(http, e);
        }
        catch (ServerErrorResponse e)
        {
            return e.Response;
        }
    }

    private Task<CapturedResponse> ProblemOf(HttpContext http, ApiException e) =>
        CapturedResponse.RunAsync(http, new ProblemResult(problems, ApiExceptionHandler.ToProblem(e), e.RetryAfter));

    public static bool IsValidKey(string key) => key.Length is > 0 and <= 255 && key.All(c => c is >= ' ' and <= '~');

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

    private sealed class ServerErrorResponse(CapturedResponse response) : Exception("server error")
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
