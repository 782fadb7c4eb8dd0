using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace SuperApp.Platform.Errors;

/// <summary>
/// Turns every exception into ProblemDetails: business rules keep their status and code, bad
/// requests (malformed JSON, wrong content type, oversized body) keep theirs, an unreachable
/// database is 503, anything else is a bare 500. Never a stack trace or SQL text.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            ApiException e => ToProblem(e),
            BadHttpRequestException e => WithCode(new ProblemDetails { Status = e.StatusCode, Title = TitleFor(e.StatusCode),
                Detail = e.Message }, CodeFor(e), null),
            _ when IsDatabaseUnavailable(exception) => WithCode(new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "A dependency is unavailable. Try again shortly.",
            }, "DEPENDENCY_UNAVAILABLE", null),
            _ => WithCode(new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
            }, "INTERNAL_ERROR", null),
        };

        http.Response.StatusCode = problem.Status!.Value;
        if (exception is ApiException { RetryAfter: { } wait })
        {
            http.Response.SetRetryAfter(wait);
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem,
            Exception = exception });
    }

    public static ProblemDetails ToProblem(ApiException e) =>
        WithCode(new ProblemDetails { Status = e.Status, Title = e.Title, Detail = e.Detail }, e.Code, e.Extensions);

    private static ProblemDetails WithCode(ProblemDetails problem, string code, IDictionary<string, object?>? extra)
    {
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    private static string CodeFor(BadHttpRequestException e) =>
        e.StatusCode == StatusCodes.Status400BadRequest && e.InnerException is System.Text.Json.JsonException
            ? "MALFORMED_JSON"
            : Problems.CodeFor(e.StatusCode);

    private static string TitleFor(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "The request content type is not supported.",
        _ => "The request could not be read.",
    };

    private static bool IsDatabaseUnavailable(Exception e) => e switch
    {
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException } => true,
        NpgsqlException n when n.IsTransient => true,
        TimeoutException => true,
        _ when e.InnerException is not null => IsDatabaseUnavailable(e.InnerException),
        _ => false,
    };
}
