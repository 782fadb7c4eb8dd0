using System.Reflection;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SuperApp.Platform.Observability;

/// <summary>
/// Metrics (OpenTelemetry, scraped at <c>/metrics</c>), traces (to OTLP only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), the database interceptors that count postings and log
/// slow queries, and the sampler behind the database-backed gauges.
/// </summary>
public static class ObservabilityModule
{
    public static readonly string Version =
        typeof(ObservabilityModule).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?
            .InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(ObservabilityOptions.Section);
        services.AddOptions<ObservabilityOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ObservabilityOptions>, ObservabilityOptionsValidator>();
        services.TryAddSingleton<AppMetrics>();
        services.AddHttpContextAccessor();
        services.AddSingleton<PostingTally>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<PostingTally>());
        services.AddSingleton<IInterceptor, SlowQueryInterceptor>();
        services.AddSingleton<LogEventCounter>();
        services.AddSingleton<IHealthCheckPublisher, HealthGauge>();
        services.AddHostedService<ObservabilitySampler>();

        var options = section.Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        if (options.MetricsPort is { } port)
        {
            // Added to whatever the service already listens on, which stays as configured.
            var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 } u ? u : "http://localhost:5000";
            builder.WebHost.UseUrls($"{urls};http://0.0.0.0:{port}");
        }

        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("superapp", serviceVersion: Version));
        if (options.MetricsEnabled)
        {
            otel.WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddProcessInstrumentation()
                // Named although the ASP.NET Core instrumentation adds it: SignalR's connection counts must not depend on that default.
                .AddMeter(AppMetrics.MeterName, "Npgsql", "Microsoft.AspNetCore.Http.Connections")
                .AddPrometheusExporter());
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o =>
                    // At the response the request id middleware has run, so the span carries the id the client saw.
                    o.EnrichWithHttpResponse = (activity, response) => activity.SetTag("request.id", response.HttpContext.TraceIdentifier))
                .AddHttpClientInstrumentation()
                .AddSource("Npgsql")
                .AddOtlpExporter());
        }

        return builder;
    }
}
