using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SuperApp.Tests.Observability;

/// <summary>
/// A stand-in for Sentry's ingestion: a real HTTP endpoint on loopback taking the envelopes the SDK
/// posts (gzip-compressed) to <c>/api/42/envelope/</c>, keeping every event item with the raw text it came in.
/// </summary>
public sealed class SentryReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedEvent> _events = new();

    private SentryReceiver(WebApplication app) => _app = app;

    public string Dsn { get; private set; } = "";

    public IReadOnlyList<ReceivedEvent> Events => [.. _events];

    public static async Task<SentryReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new SentryReceiver(builder.Build());
        receiver._app.MapPost("/api/42/envelope/", receiver.ReceiveAsync);
        await receiver._app.StartAsync();
        var port = new Uri(receiver._app.Urls.Single()).Port;
        receiver.Dsn = $"http://key@127.0.0.1:{port}/42";
        return receiver;
    }

    /// <summary>Waits (bounded) until an event matching <paramref name="match"/> has arrived.</summary>
    public async Task<ReceivedEvent> WaitForAsync(Func<ReceivedEvent, bool> match, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (Events.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no matching Sentry event; got {Events.Count}: {string.Join("\n", Events.Select(e => e.Raw))}");
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        Stream body = request.Body;
        if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(request.Body, CompressionMode.Decompress);
        }

        using var reader = new StreamReader(body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        var lines = raw.Split('\n');
        for (var i = 1; i + 1 < lines.Length; i += 2)
        {
            using var header = JsonDocument.Parse(lines[i]);
            if (header.RootElement.TryGetProperty("type", out var type) && type.GetString() == "event")
            {
                _events.Enqueue(new ReceivedEvent(JsonDocument.Parse(lines[i + 1]).RootElement.Clone(), raw));
            }
        }

        return Results.Ok(new { id = "ok" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedEvent(JsonElement Event, string Raw)
{
    public string? Tag(string name) =>
        Event.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object && tags.TryGetProperty(name, out var v)
            ? v.GetString()
            : null;

    public string? Id => Event.GetProperty("event_id").GetString();
}
