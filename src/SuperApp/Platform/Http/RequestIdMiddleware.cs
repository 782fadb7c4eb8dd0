using System.Text.RegularExpressions;
using Serilog.Context;

namespace SuperApp.Platform.Http;

/// <summary>
/// Accepts a well-formed <c>X-Request-Id</c> from the client (so a mobile app can correlate its own
/// logs) or makes one, and puts it on the response, in every log line and in <c>TraceIdentifier</c>,
/// which ProblemDetails, audit rows and Sentry read.
/// </summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext http)
    {
        var supplied = http.Request.Headers[Header].ToString();
        var id = IsValid(supplied) ? supplied : Guid.CreateVersion7().ToString("N");
        http.TraceIdentifier = id;
        // Set as the response starts: the exception handler clears headers set before it.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        Sentry.SentrySdk.ConfigureScope(scope => scope.SetTag("request_id", id));
        // ASP.NET Core's own logging scope carries a RequestId too (the TraceIdentifier from before this
        // ran); an inner scope wins for ILogger events, LogContext for Serilog's own (request lines).
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = id }))
        using (LogContext.PushProperty("RequestId", id))
        {
            await next(http);
        }
    }

    public static bool IsValid(string? id) => !string.IsNullOrEmpty(id) && id.Length <= 64 && Allowed().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex Allowed();
}
