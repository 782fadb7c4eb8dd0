using System.Collections.Concurrent;
using System.Diagnostics;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Observability;

/// <summary>Tracing on (an OTLP endpoint nobody listens at: export fails quietly, spans are still made).</summary>
public sealed class TracingSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:1";
    }
}

public sealed class TracingObservabilityTests(App<Sqlite, TracingSettings> app) : IClassFixture<App<Sqlite, TracingSettings>>
{
    [Fact]
    public async Task A_request_span_carries_the_request_id_the_client_got()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var requestId = "trace-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health/live");
        request.Headers.Add("X-Request-Id", requestId);

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(requestId, response.Headers.GetValues("X-Request-Id").Single());
        Activity? span = null;
        for (var i = 0; i < 100 && span is null; i++)
        {
            span = stopped.FirstOrDefault(a => a.GetTagItem("request.id") as string == requestId);
            await Task.Delay(span is null ? 20 : 0);
        }

        Assert.NotNull(span);
        Assert.Equal("/api/health/live", span.GetTagItem("http.route"));
    }
}
