using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Realtime;

/// <summary>The service on a real Kestrel port (0: the system picks one), for clients outside the process.</summary>
public sealed class KestrelApp() : AppFixture(Postgres.Provider)
{
    public Uri Address { get; private set; } = null!;

    protected override void StartHost()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }
}

/// <summary>The official JavaScript client (@microsoft/signalr, tests/js) under Node.js: connect with a token, send, receive,
/// resume.</summary>
public sealed class RealtimeJsClientTests(KestrelApp app) : IClassFixture<KestrelApp>
{
    [Fact]
    public async Task The_javascript_client_connects_sends_receives_and_resumes()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        var id = await a.ConversationAsync(b);
        var script = Path.Combine(RepositoryRoot(), "tests", "js", "realtime.mjs");
        var start = new ProcessStartInfo("node", [script])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            Environment =
            {
                ["HUB_URL"] = new Uri(app.Address, "/hubs/realtime").ToString(),
                ["ACCESS_TOKEN"] = a.AccessToken,
                ["CONVERSATION_ID"] = id.ToString(),
            },
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await errors}\n{await output}");

        var steps = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
                .ToDictionary(e => e.GetProperty("step").GetString()!, e => e.GetProperty("value"));
        var sent = steps["sent"];
        Assert.Equal("hello from <js> ✓", sent.GetProperty("text").GetString());
        var received = steps["received"];
        Assert.Equal("message.created", received.GetProperty("type").GetString());
        Assert.Equal(sent.GetProperty("id").GetGuid(), received.GetProperty("data").GetProperty("id").GetGuid());
        var seq = received.GetProperty("seq").GetInt64();
        var resumed = steps["resumed"];
        Assert.Equal(seq, resumed.GetProperty("result").GetProperty("lastSeq").GetInt64());
        var replayed = Assert.Single(resumed.GetProperty("events").EnumerateArray());
        Assert.Equal((seq, sent.GetProperty("id").GetGuid()),
            (replayed.GetProperty("seq").GetInt64(), replayed.GetProperty("data").GetProperty("id").GetGuid()));
        Assert.StartsWith("CONVERSATION_NOT_FOUND", steps["refused"].GetString(), StringComparison.Ordinal);

        // b, never connected, finds the same message waiting by REST.
        var waiting = await (await b.Client.GetAsync("/api/realtime/events?after=0")).JsonAsync();
        Assert.Contains(waiting.GetProperty("items").EnumerateArray(),
            e => e.GetProperty("data").GetProperty("id").GetGuid() == sent.GetProperty("id").GetGuid());
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SuperApp.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (SuperApp.slnx) was not found.");
    }
}
