using Serilog.Core;
using Serilog.Events;

namespace SuperApp.Platform.Observability;

/// <summary>A Serilog sink that only counts events by level (<c>superapp_log_events_total</c>), for the log volume alert.</summary>
public sealed class LogEventCounter(AppMetrics metrics) : ILogEventSink
{
    private static readonly string[] Levels = ["verbose", "debug", "information", "warning", "error", "fatal"];

    public void Emit(LogEvent logEvent) => metrics.LogEvent(Levels[(int)logEvent.Level]);
}
