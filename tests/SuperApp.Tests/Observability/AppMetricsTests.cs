using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SuperApp.Platform.Observability;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Observability;

/// <summary>Limits on, in memory (no Redis), so one test can be refused.</summary>
public sealed class MetricsSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["RATE_LIMIT_ENABLED"] = "true";
        app.Settings["Observability:SampleInterval"] = "00:00:01";
    }
}

/// <summary>The <c>superapp</c> meter, read with MetricCollector while the real service does the work.</summary>
public sealed class AppMetricsTests(App<Postgres, MetricsSettings> app) : IClassFixture<App<Postgres, MetricsSettings>>
{
    private MetricCollector<T> Collect<T>(string instrument) where T : struct =>
        new(app.Services.GetRequiredService<IMeterFactory>(), AppMetrics.MeterName, instrument);

    private static long Sum(MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags.GetValueOrDefault(tag), value)).Sum(m => m.Value);

    [Fact]
    public async Task A_committed_transfer_counts_one_posting_and_its_amount_and_a_refused_one_counts_nothing()
    {
        var users = await app.CreateFundedUsersAsync(2, 1_000);
        using var postings = Collect<long>("superapp.ledger.postings");
        using var amounts = Collect<long>("superapp.ledger.amount");

        var ok = await users[0].Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = users[1].UserId, amount = 250 });
        var refused = await users[0].Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = users[1].UserId,
            amount = 1_000_000 });

        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.True((int)refused.StatusCode is >= 400 and < 500, refused.StatusCode.ToString());
        Assert.Equal(1, Sum(postings, "kind", "transfer"));
        Assert.Equal(250, Sum(amounts, "kind", "transfer"));
    }

    [Fact]
    public async Task A_repeated_key_counts_one_first_use_and_one_replay()
    {
        var users = await app.CreateFundedUsersAsync(2, 1_000);
        using var firstUses = Collect<long>("superapp.idempotency.first_uses");
        using var replays = Collect<long>("superapp.idempotency.replays");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = users[0].Client.DefaultRequestHeaders.Authorization;
        var key = Guid.NewGuid().ToString("N");

        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/wallet/transfer")
            {
                Content = JsonContent.Create(new { toUserId = users[1].UserId, amount = 10 }),
            };
            request.Headers.Add("Idempotency-Key", key);
            Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(1, firstUses.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, replays.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Rate_limit_rejections_carry_the_tier_and_the_route()
    {
        var s = await app.RegisterAsync();
        using var rejections = Collect<long>("superapp.ratelimit.rejections");

        // Free users get 10 a minute: 25 in a row are refused at least once even if a window ends midway.
        var refused = 0;
        for (var i = 0; i < 25; i++)
        {
            refused += (await s.Client.GetAsync("/api/wallet/balance")).StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        var measurements = rejections.GetMeasurementSnapshot();
        Assert.True(refused > 0);
        Assert.Equal(refused, measurements.Sum(m => m.Value));
        Assert.All(measurements, m =>
        {
            Assert.Equal("free", m.Tags["tier"]);
            Assert.Equal("/api/wallet/balance", m.Tags["route"]);
        });
    }

    [Fact]
    public async Task Webhook_outcomes_are_counted_by_provider_and_outcome()
    {
        using var webhooks = Collect<long>("superapp.webhooks");

        var forged = await app.SendWebhookAsync("no-such-reference", "succeeded", 100, signature: "forged");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        var m = Assert.Single(webhooks.GetMeasurementSnapshot());
        Assert.Equal(("sandbox", "invalid_signature"), (m.Tags["provider"], m.Tags["outcome"]));
    }

    [Fact]
    public async Task Log_events_are_counted_by_level()
    {
        using var logs = Collect<long>("superapp.log.events");

        await app.CreateClient().GetAsync("/api/health/live");

        // The request line is written as the response completes, a moment after the client has it.
        for (var i = 0; i < 50 && Sum(logs, "level", "information") == 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.True(Sum(logs, "level", "information") >= 1);
    }

    [Fact]
    public async Task Held_top_ups_are_sampled_from_the_database()
    {
        var s = await app.RegisterAsync();
        var now = DateTime.UtcNow;
        await app.WithDbAsync(async db =>
        {
            db.Topups.Add(new SuperApp.Features.Wallet.Topup
            {
                UserId = s.UserId, Amount = 700, Provider = "sandbox", ProviderReference = Guid.NewGuid().ToString("N"),
                Status = SuperApp.Features.Wallet.TopupStatus.Held, HeldReason = "WALLET_FROZEN", CreatedAt = now.AddHours(-2),
            });
            await db.SaveChangesAsync();
        });
        using var count = Collect<long>("superapp.topups.held");
        using var amount = Collect<long>("superapp.topups.held_amount");
        using var age = Collect<double>("superapp.topups.oldest_held_age");

        // The sampler refreshes every second here; other tests of this class hold no top-ups.
        for (var i = 0; i < 100; i++)
        {
            count.RecordObservableInstruments();
            if (count.LastMeasurement?.Value >= 1)
            {
                break;
            }

            await Task.Delay(50);
        }

        amount.RecordObservableInstruments();
        age.RecordObservableInstruments();
        Assert.Equal(1, count.LastMeasurement?.Value);
        Assert.Equal(700, amount.LastMeasurement!.Value);
        Assert.InRange(age.LastMeasurement!.Value, 7_100, 7_300 + 60);
    }

    [Fact]
    public void The_health_gauge_reads_the_last_report()
    {
        var metrics = app.Services.GetRequiredService<AppMetrics>();
        using var health = Collect<double>("superapp.health.status");
        metrics.HealthStatus = 0.5;

        health.RecordObservableInstruments();

        Assert.Equal(0.5, health.LastMeasurement!.Value);
    }

    [Fact]
    public void Job_runs_and_failures_are_counted_by_job()
    {
        using var runs = Collect<long>("superapp.job.runs");
        using var failures = Collect<long>("superapp.job.failures");

        app.Services.GetRequiredService<AppMetrics>().JobRan("test_job", failed: true);

        Assert.Equal(1, Sum(runs, "job", "test_job"));
        Assert.Equal(1, Sum(failures, "job", "test_job"));
    }
}
