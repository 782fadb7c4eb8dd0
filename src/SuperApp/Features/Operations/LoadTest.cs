using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Spectre.Console;

namespace SuperApp.Features.Operations;

/// <summary>
/// <c>loadtest</c>: open-model load. Request i is due at start + i / rate and is sent then, whatever
/// the earlier ones are doing; its latency is measured from that due time, so time spent queued
/// behind a slow server counts (no coordinated omission). Percentiles from HdrHistogram. 429s are
/// counted apart from errors: they are the limiter working, not the service failing.
/// </summary>
public static class LoadTest
{
    private const long MaxMicros = 120_000_000;
    private static readonly string[] Header = ["operation", "count", "p50 ms", "p95 ms", "p99 ms", "max ms", "429", "errors"];

    private sealed class OpStats(string name)
    {
        public string Name { get; } = name;
        public LongConcurrentHistogram Latency { get; } = new(1, MaxMicros, 3);
        public ConcurrentDictionary<int, int> Statuses { get; } = new();
    }

    public static async Task<OpsReport> RunAsync(LoadTestOptions o, IAnsiConsole? console, CancellationToken ct)
    {
        var report = new OpsReport("loadtest");
        var total = (int)Math.Round(o.Rate * o.Duration.TotalSeconds);
        using var http = ApiClient.CreateHttp(o.Target.BaseUrl, TimeSpan.FromSeconds(30), maxConnections: 1024);
        var api = new ApiClient(http);
        var accounts = new List<TestAccount>();
        try
        {
            var world = await LoadWorld.CreateAsync(api, o, accounts, ct);
            var ops = LoadScenarios.For(o.Scenario);
            var stats = ops.ToDictionary(op => op.Name, op => new OpStats(op.Name), StringComparer.Ordinal);
            var plan = Plan(ops, total);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var (sendWindow, elapsed) = console is not null && console.Profile.Capabilities.Interactive
                ? await WithProgressAsync(console, o, plan, world, stats, ct)
                : await DriveAsync(o, plan, world, stats, null, ct);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Summarise(report, o, stats.Values, total, sendWindow, elapsed, cpu);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            report.Fail("target answers", o.Target.BaseUrl, e.Message);
        }
        finally
        {
            var deleted = 0;
            foreach (var account in accounts)
            {
                deleted += await api.DeleteAsync(account) ? 1 : 0;
            }

            report.Add(OpsCheck.Of("cleanup", deleted == accounts.Count, $"{deleted}/{accounts.Count} test accounts deleted",
                "Some test accounts could not be deleted."));
        }

        return report;
    }

    /// <summary>Which operation request i is: spread evenly by weight (a fixed interleaving, so runs compare).</summary>
    private static string[] Plan(LoadOperation[] ops, int total)
    {
        var cycle = ops.SelectMany(op => Enumerable.Repeat(op.Name, op.Weight)).ToArray();
        new Random(42).Shuffle(cycle);
        return Enumerable.Range(0, total).Select(i => cycle[i % cycle.Length]).ToArray();
    }

    private static async Task<(TimeSpan, TimeSpan)> WithProgressAsync(IAnsiConsole console, LoadTestOptions o, string[] plan,
        LoadWorld world,
        Dictionary<string, OpStats> stats, CancellationToken ct)
    {
        (TimeSpan, TimeSpan) result = default;
        await console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"{o.Rate:0} req/s for {o.Duration.TotalSeconds:0} s", maxValue: plan.Length);
                result = await DriveAsync(o, plan, world, stats, done => task.Value = done, ct);
            });
        return result;
    }

    /// <summary>
    /// The scheduler: wakes up, sends every request whose due time has passed (so a late wake-up
    /// catches up instead of lowering the rate), then waits for the next due time.
    /// </summary>
    private static async Task<(TimeSpan SendWindow, TimeSpan Elapsed)> DriveAsync(LoadTestOptions o, string[] plan, LoadWorld world,
        Dictionary<string, OpStats> stats, Action<int>? onProgress, CancellationToken ct)
    {
        var inFlight = new List<Task>(plan.Length);
        var done = 0;
        var clock = Stopwatch.StartNew();
        var next = 0;
        while (next < plan.Length)
        {
            var now = clock.Elapsed;
            while (next < plan.Length && Due(next, o.Rate) <= now)
            {
                var (index, due) = (next, Due(next, o.Rate));
                inFlight.Add(Task.Run(async () =>
                {
                    var stat = stats[plan[index]];
                    var status = await world.SendAsync(plan[index], index, ct);
                    var micros = (long)((clock.Elapsed - due).TotalMicroseconds);
                    stat.Latency.RecordValue(Math.Clamp(micros, 1, MaxMicros));
                    stat.Statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                    onProgress?.Invoke(Interlocked.Increment(ref done));
                }, ct));
                next++;
            }

            if (next < plan.Length)
            {
                // Never spin: a wake-up a timer tick late sends the overdue requests at once, and their
                // latency still counts from their due time, so the lateness is measured, not hidden.
                var wait = Due(next, o.Rate) - clock.Elapsed;
                await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), ct);
            }
        }

        var sendWindow = clock.Elapsed;
        await Task.WhenAll(inFlight);
        return (sendWindow, clock.Elapsed);
    }

    private static TimeSpan Due(int i, double rate) => TimeSpan.FromSeconds(i / rate);

    private static void Summarise(OpsReport report, LoadTestOptions o, IEnumerable<OpStats> stats, int total, TimeSpan sendWindow,
        TimeSpan elapsed, TimeSpan cpu)
    {
        var all = new LongHistogram(MaxMicros, 3);
        var rows = new List<string[]> { Header };
        long errors = 0, limited = 0, answered = 0;
        foreach (var s in stats.Where(s => s.Latency.TotalCount > 0))
        {
            all.Add(s.Latency);
            var opErrors = s.Statuses.Where(kv => kv.Key is < 200 or >= 300 && kv.Key != 429).OrderBy(kv => kv.Key).ToList();
            errors += opErrors.Sum(kv => kv.Value);
            limited += s.Statuses.GetValueOrDefault(429);
            answered += s.Statuses.Where(kv => kv.Key > 0).Sum(kv => kv.Value);
            rows.Add([s.Name, s.Latency.TotalCount.ToString(CultureInfo.InvariantCulture), Ms(s.Latency, 50), Ms(s.Latency, 95),
                Ms(s.Latency, 99),
                Ms(s.Latency.GetMaxValue()), s.Statuses.GetValueOrDefault(429).ToString(CultureInfo.InvariantCulture),
                opErrors.Count == 0 ? "0" : string.Join(" ", opErrors.Select(kv => $"{(kv.Key == 0 ? "network" : kv.Key)}×{kv.Value}"))]);
        }

        rows.Add(["all", all.TotalCount.ToString(CultureInfo.InvariantCulture), Ms(all, 50), Ms(all, 95), Ms(all, 99),
            Ms(all.GetMaxValue()),
            limited.ToString(CultureInfo.InvariantCulture), errors.ToString(CultureInfo.InvariantCulture)]);
        report.Tables["latency by operation (from the scheduled send time)"] = rows;

        var achieved = total / sendWindow.TotalSeconds;
        var throughput = total / elapsed.TotalSeconds;
        var errorRate = total == 0 ? 1 : (double)errors / total;
        var (p50, p95, p99) = (Percentile(all, 50), Percentile(all, 95), Percentile(all, 99));
        report.Add(OpsCheck.Of("target answers", answered > 0, $"{answered}/{total} answered", "No request got an HTTP answer."));
        report.Add(OpsCheck.Pass("achieved rate",
            Inv($"{achieved:0.0} req/s sent (target {o.Rate:0.#}), {throughput:0.0} req/s completed")));
        report.Add(OpsCheck.Of("p50", p50 < LoadTestOptions.P50Target, Inv($"{p50.TotalMilliseconds:0.0} ms"), "target < 200 ms"));
        report.Add(OpsCheck.Of("p95", p95 < LoadTestOptions.P95Target, Inv($"{p95.TotalMilliseconds:0.0} ms"), "target < 500 ms"));
        report.Add(OpsCheck.Of("p99", p99 < LoadTestOptions.P99Target, Inv($"{p99.TotalMilliseconds:0.0} ms"), "target < 1000 ms"));
        report.Add(OpsCheck.Of("error rate", errorRate < LoadTestOptions.ErrorRateTarget,
            Inv($"{errorRate * 100:0.00} % ({errors} errors)"),
            "target < 1 % (429s are not errors)"));
        report.Add(limited == 0
            ? OpsCheck.Pass("rate limited (429)", "0")
            : OpsCheck.Warn("rate limited (429)", Inv($"{limited} ({100.0 * limited / total:0.0} %)"),
                $"The {o.Tier} tier's limit was reached; more --users or a higher --tier spread the load."));
        var cpuPer1000 = cpu.TotalMilliseconds / total * 1000;
        report.Add(OpsCheck.Pass("loadtest CPU", Inv($"{cpuPer1000:0} ms per 1,000 requests")));
        report.Figures["p50Ms"] = p50.TotalMilliseconds;
        report.Figures["p95Ms"] = p95.TotalMilliseconds;
        report.Figures["p99Ms"] = p99.TotalMilliseconds;
        report.Figures["maxMs"] = all.GetMaxValue() / 1000.0;
        report.Figures["errorRate"] = errorRate;
        report.Figures["rate429"] = (double)limited / Math.Max(total, 1);
        report.Figures["achievedRate"] = achieved;
        report.Figures["throughput"] = throughput;
        report.Figures["targetRate"] = o.Rate;
        report.Figures["requests"] = total;
        report.Figures["cpuMsPer1000"] = cpuPer1000;
    }

    private static TimeSpan Percentile(HistogramBase h, double p) =>
        h.TotalCount == 0 ? TimeSpan.MaxValue : TimeSpan.FromMicroseconds(h.GetValueAtPercentile(p));

    private static string Ms(HistogramBase h, double p) => Ms(h.GetValueAtPercentile(p));

    private static string Ms(long micros) => (micros / 1000.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
