using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Features.Wallet;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Ledger;

/// <summary>
/// The verifier's top-up checks catch what they are for. Breaks the books on purpose, so it has a
/// database of its own (its fixture) and mends them before it ends.
/// </summary>
public abstract class LedgerVerifierTopupTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Verify_reports_suspense_that_does_not_match_held_topups_and_paid_topups_left_pending()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var (heldId, heldRef) = await app.CreateTopupAsync(s, 70_000);
        var (pendingId, _) = await app.CreateTopupAsync(s, 20_000);
        await admin.FreezeAsync(s.UserId);
        Assert.Equal("held", await app.WebhookStatusAsync(heldRef, "paid", 70_000));

        var report = await VerifyAsync();
        Assert.True(report.Ok);
        Assert.Equal(70_000, report.HeldTopupsTotal);
        Assert.Equal(70_000, report.SuspenseBalance);

        // A top-up's payment posted while the top-up itself was left pending: exactly the stranded case.
        var funding = AccountRef.System(AccountKind.ExternalFunding);
        var suspense = AccountRef.System(AccountKind.Suspense, shard: 0);
        await app.PostAsync(PostingRequest.Move(TransactionKind.Topup, funding, suspense, 20_000)
            with { Reference = $"topup:{pendingId}" });
        report = await VerifyAsync();
        Assert.False(report.Ok);
        Assert.Equal(pendingId, Assert.Single(report.PaidTopupsNotSettled));
        Assert.Equal(90_000, report.SuspenseBalance);
        Assert.Equal(70_000, report.HeldTopupsTotal);

        // Marked held, both checks pass again; then a held top-up whose money is not in suspense fails.
        await app.WithDbAsync(db => db.Topups.Where(t => t.Id == pendingId)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, TopupStatus.Held)));
        Assert.True((await VerifyAsync()).Ok);
        await app.PostAsync(PostingRequest.Move(TransactionKind.Adjustment, suspense, funding, 1));
        report = await VerifyAsync();
        Assert.False(report.Ok);
        Assert.Equal(89_999, report.SuspenseBalance);
        Assert.Empty(report.PaidTopupsNotSettled);

        await app.PostAsync(PostingRequest.Move(TransactionKind.Adjustment, funding, suspense, 1));
        await app.AssertLedgerConsistentAsync();
    }

    private Task<LedgerReport> VerifyAsync() => app.WithDbAsync(db => LedgerVerifier.VerifyAsync(db, CancellationToken.None));
}

public sealed class LedgerVerifierTopupTestsOnPostgres(App<Postgres, Defaults> app)
    : LedgerVerifierTopupTests<App<Postgres, Defaults>>(app);

public sealed class LedgerVerifierTopupTestsOnSqlite(App<Sqlite, Defaults> app) : LedgerVerifierTopupTests<App<Sqlite, Defaults>>(app);
