using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using SuperApp.Platform.Observability;

namespace SuperApp.Platform.Logging;

public static class LoggingModule
{
    /// <summary>
    /// JSON lines to stdout and to a rolling file (20 MB a file, 14 days kept), level from
    /// <c>LOG_LEVEL</c>, sensitive values masked before either sink sees them.
    /// </summary>
    public static WebApplicationBuilder AddLogging(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var level = ParseLevel(config["LOG_LEVEL"]);
        var directory = config["Logging:File:Directory"] is { Length: > 0 } dir
            ? dir
            : Path.Combine(builder.Environment.ContentRootPath, "logs");

        var console = config.GetValue("Logging:Console:Enabled", true);
        builder.Services.AddSerilog((services, lc) => lc
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", "superapp")
            .Enrich.With<SensitiveDataMasker>()
            .WriteTo.Sink(services.GetRequiredService<LogEventCounter>())
            .WriteTo.Sink(SentryLogSink.For(services))
            .WriteTo.Conditional(_ => console, sinks => sinks.Console(new RenderedCompactJsonFormatter()))
            .WriteTo.File(new RenderedCompactJsonFormatter(), Path.Combine(directory, "superapp-.json"),
                rollingInterval: RollingInterval.Day,
                fileSizeLimitBytes: 20 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: null,
                retainedFileTimeLimit: TimeSpan.FromDays(14)),
            // The host's own logger rather than the process-wide Log.Logger, which every host in the
            // process (tests run many) would overwrite and the first to stop would silence.
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>One line per request: method, route, status, elapsed ms, user id, request id.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            o.MessageTemplate = "HTTP {RequestMethod} {Route} responded {StatusCode} in {Elapsed:0.000} ms";
            o.GetLevel = (http, _, ex) => ex is not null
                || http.Response.StatusCode >= 500 ? LogEventLevel.Error : LogEventLevel.Information;
            o.EnrichDiagnosticContext = (diag, http) =>
            {
                diag.Set("Route", (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "");
                diag.Set("UserId", http.User.UserIdOrNull()?.ToString());
                diag.Set("ClientIp", http.Connection.RemoteIpAddress?.ToString());
            };
        });

    public static LogEventLevel ParseLevel(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "trace" or "verbose" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "warn" or "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "fatal" => LogEventLevel.Fatal,
        _ => LogEventLevel.Information,
    };
}
