using Serilog.Core;
using Serilog.Events;

namespace SuperApp.Platform.Observability;

/// <summary>
/// Error logs become Sentry events (Serilog owns logging, so the SDK's own logger provider never
/// sees them). The request-completion line is skipped: the exception behind a 500 is reported by
/// the SDK itself, and this line would report it twice. An exception logged again after the SDK
/// captured it is dropped by the SDK's duplicate detection.
/// </summary>
public sealed class SentryLogSink(IHub hub) : ILogEventSink
{
    private const string RequestLogging = "Serilog.AspNetCore.RequestLoggingMiddleware";

    /// <summary>The sink when Sentry is configured (SENTRY_DSN), else one that drops everything.</summary>
    public static ILogEventSink For(IServiceProvider services) =>
        services.GetService<IHub>() is { } hub ? new SentryLogSink(hub) : new NoSink();

    private sealed class NoSink : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
        }
    }

    public void Emit(LogEvent logEvent)
    {
        if (logEvent.Level < LogEventLevel.Error || !hub.IsEnabled ||
            logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: RequestLogging })
        {
            return;
        }

        var message = logEvent.RenderMessage();
        var level = logEvent.Level == LogEventLevel.Fatal ? SentryLevel.Fatal : SentryLevel.Error;
        var logger = logEvent.Properties.TryGetValue("SourceContext", out var ctx) ? ((ScalarValue)ctx).Value?.ToString() : null;
        var e = logEvent.Exception is { } exception ? new SentryEvent(exception) : new SentryEvent();
        e.Message = message;
        e.Level = level;
        e.Logger = logger;
        hub.CaptureEvent(e);
    }
}
