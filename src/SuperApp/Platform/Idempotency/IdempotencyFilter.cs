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
/// Makes a money endpoint idempotent per user and <c>Idempotency-Key</c>. The handler runs inside
/// one database transaction together with the completion of the key's record, so a response is
/// stored if and only if its effects committed. 2xx/4xx answers are stored and replayed
/// byte-for-byte; a 5xx releases the key.
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
        var ct = http.RequestAborted;
        var db = services.GetRequiredService<AppDbContext>();
        // One connection for claim, work and completion rather than one per statement.
        await db.Database.OpenConnectionAsync(ct);
        var claim = await store.ClaimAsync(http.User.UserId(), key, await FingerprintAsync(http.Request, ct), ct);
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

        var scope = services.GetRequiredService<IdempotencyContext>();
        CapturedResponse response;
        try
        {
            response = await db.RunAsync(async ct =>
            {
                scope.Set(claim.RecordId);
                var captured = await CapturedResponse.RunAsync(http, await next(context));
                if (captured.Status >= 500)
                {
                    throw new ServerErrorResponse(captured);
                }

                if (!await store.CompleteAsync(claim, captured.Status, captured.ContentType, captured.Location, captured.Body, ct))
                {
                    throw new ApiException(409, "IDEMPOTENCY_IN_PROGRESS", "A newer attempt with this Idempotency-Key took over.");
                }

                return captured;
            }, ct);
        }
        catch (ApiException e)
        {
            // A business rule stopped the operation and its transaction rolled back; the answer is
            // still final for this key, so it is stored like any other 4xx.
            response = await CapturedResponse.RunAsync(http, new ProblemResult(problems, ApiExceptionHandler.ToProblem(e), e.RetryAfter));
            // A 429 means "not now", not "no": the key is released so the client can retry with it.
            if (e.Status == StatusCodes.Status429TooManyRequests)
            {
                await store.ReleaseAsync(claim, CancellationToken.None);
            }
            else if (e.Status < 500)
            {
                await store.CompleteAsync(claim, response.Status, response.ContentType, response.Location, response.Body, CancellationToken.None);
            }
        }
        catch (ServerErrorResponse e)
        {
            await store.ReleaseAsync(claim, CancellationToken.None);
            response = e.Response;
        }
        catch
        {
            await store.ReleaseAsync(claim, CancellationToken.None);
            throw;
        }

        return response;
    }

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
