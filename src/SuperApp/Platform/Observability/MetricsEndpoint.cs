using System.Net;

namespace SuperApp.Platform.Observability;

/// <summary>
/// <c>GET /metrics</c> for Prometheus. It tells about traffic and money, so it is answered only to
/// loopback and the configured networks, or only on the metrics port when one is set; anyone else
/// falls through to routing and gets the same 404 as any unknown path (nothing to probe for).
/// Runs after the forwarded-headers middleware: a public request through a local proxy carries its
/// real client address by then, so the proxy being on loopback lets nobody in.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IApplicationBuilder UseMetricsEndpoint(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
        if (!options.MetricsEnabled)
        {
            return app;
        }

        var networks = options.ParsedNetworks();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(http => IsAllowed(http, options.MetricsPort, networks));
        if (options.MetricsPort is { } port)
        {
            // The metrics port serves metrics only: the API stays on the ports the proxy fronts.
            app.Use((http, next) =>
            {
                if (http.Connection.LocalPort != port)
                {
                    return next(http);
                }

                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        }

        return app;
    }

    public static bool IsAllowed(HttpContext http, int? metricsPort, IReadOnlyList<IPNetwork> networks)
    {
        if (!HttpMethods.IsGet(http.Request.Method) || !http.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (metricsPort is { } port)
        {
            return http.Connection.LocalPort == port;
        }

        var remote = http.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        return IPAddress.IsLoopback(remote) || networks.Any(n => n.Contains(remote));
    }
}
