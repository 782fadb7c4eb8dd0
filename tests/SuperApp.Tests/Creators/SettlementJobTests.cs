using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Features.Creators;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Creators;

/// <summary>The hosted job on a manual clock: its timer only ticks when the test moves the clock.</summary>
public sealed class SettlementJobTests(App<Postgres, SettlementJobTests.HourlySettlementSettings> app)
    : IClassFixture<App<Postgres, SettlementJobTests.HourlySettlementSettings>>
{
    private static readonly TimeSpan Hold = new RevenueOptions().HoldingPeriod;

    [Fact]
    public async Task The_job_settles_earnings_once_the_clock_passes_the_holding_period()
    {
        var users = await app.CreateFundedUsersAsync(2, 1_000_000);
        var (fan, creator) = (users[0].UserId, users[1].UserId);
        await app.EarnAsync(TransactionKind.Gift, fan, creator, 90_000, 10_000);
        using var metrics = new SettlementWatch(app.Services.GetRequiredService<IMeterFactory>());

        app.Clock.Advance(Hold - TimeSpan.FromHours(1));
        await metrics.Runs(1).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal((90_000L, 1_000_000L),
            (await app.BalanceAsync(creator, AccountKind.EarningsPending), await app.BalanceAsync(creator)));

        app.Clock.Advance(TimeSpan.FromHours(2));
        await metrics.Settled(90_000).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal((0L, 1_090_000L), (await app.BalanceAsync(creator, AccountKind.EarningsPending), await app.BalanceAsync(creator)));
        var actor = await app.WithDbAsync(db => db.LedgerTransactions.Where(t => t.Kind == TransactionKind.Settlement)
            .Select(t => t.ActorId).SingleAsync());
        Assert.Null(actor);
        await app.AssertLedgerConsistentAsync();
    }

    public sealed class HourlySettlementSettings : ITestSettings
    {
        public static void Configure(AppFixture app)
        {
            app.Clock = TestClock.Manual();
            app.Settings["Creators:SettlementInterval"] = "01:00:00";
        }
    }

    /// <summary>Listens to this service's settlement counters, so the test knows when a run of the job has finished.</summary>
    private sealed class SettlementWatch : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Lock _gate = new();
        private readonly List<(Func<bool> Done, TaskCompletionSource Signal)> _waits = [];
        private long _runs;
        private long _amount;

        public SettlementWatch(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name is SettlementMetrics.RunsName or SettlementMetrics.AmountName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                lock (_gate)
                {
                    if (instrument.Name == SettlementMetrics.RunsName)
                    {
                        _runs += value;
                    }
                    else
                    {
                        _amount += value;
                    }

                    foreach (var wait in _waits.Where(w => w.Done()).ToList())
                    {
                        wait.Signal.TrySetResult();
                        _waits.Remove(wait);
                    }
                }
            });
            _listener.Start();
        }

        public Task Runs(long atLeast) => When(() => _runs >= atLeast);

        public Task Settled(long atLeast) => When(() => _amount >= atLeast);

        private Task When(Func<bool> done)
        {
            lock (_gate)
            {
                if (done())
                {
                    return Task.CompletedTask;
                }

                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waits.Add((done, signal));
                return signal.Task;
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
