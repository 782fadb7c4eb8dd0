namespace SuperApp.Platform.Observability;

/// <summary>
/// One Sentry configuration for the service and for <c>superapp sentry test</c>: release and
/// environment on every event, no default PII, the scrubber last before sending, and expected
/// outcomes (a business rule's refusal, a malformed request, a client gone) never reported.
/// </summary>
public static class SentrySetup
{
    public static string Release => $"superapp@{ObservabilityModule.Version}";

    public static void Configure(SentryOptions o, string dsn, string environment)
    {
        o.Dsn = dsn;
        o.SendDefaultPii = false;
        o.Environment = environment;
        o.Release = Release;
        o.AutoSessionTracking = false;
        // Queued events are sent before the process ends, up to this long (host stop or the CLI's exit).
        o.ShutdownTimeout = TimeSpan.FromSeconds(5);
        o.FlushTimeout = TimeSpan.FromSeconds(5);
        o.AddExceptionFilterForType<ApiException>();
        o.AddExceptionFilterForType<BadHttpRequestException>();
        o.AddExceptionFilterForType<OperationCanceledException>();
        o.SetBeforeSend((e, _) => SentryScrubber.Scrub(SentryRequestContext.Apply(e)));
    }

    public static void Configure(Sentry.AspNetCore.SentryAspNetCoreOptions o, string dsn, string environment)
    {
        Configure((SentryOptions)o, dsn, environment);
        o.MaxRequestBodySize = Sentry.Extensibility.RequestSize.None;
        // Error logs reach Sentry through SentryLogSink (Serilog owns logging); the SDK's logger provider is not used.
        o.MinimumEventLevel = LogLevel.None;
    }
}

/// <summary>Puts the request id and the signed-in user's id (nothing else of theirs) on an event raised during a request.</summary>
internal static class SentryRequestContext
{
    private static readonly HttpContextAccessor Accessor = new();

    public static SentryEvent Apply(SentryEvent e)
    {
        if (Accessor.HttpContext is { } http)
        {
            e.SetTag("request_id", http.TraceIdentifier);
            if (http.User.UserIdOrNull()?.ToString() is { } userId)
            {
                e.User = new SentryUser { Id = userId };
            }
        }

        return e;
    }
}
