using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Gifts;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Refunds;

public static class RefundHelpers
{
    public static Task<HttpResponseMessage> RefundAsync(this Session admin, Guid transactionId, string reason = "customer complaint") =>
        admin.Client.PostAsJsonAsync($"/api/admin/transactions/{transactionId}/refund", new { reason });

    /// <summary>A refund that must succeed; returns its answer.</summary>
    public static async Task<JsonElement> RefundedAsync(this Session admin, Guid transactionId, string reason = "customer complaint")
    {
        var response = await admin.RefundAsync(transactionId, reason);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>(amount, fromEarnings, fromCreatorWallet, fromLosses) of a refund answer.</summary>
    public static (long Amount, long FromEarnings, long FromWallet, long FromLosses) Split(this JsonElement refund) => (
        refund.GetProperty("amount").GetInt64(), refund.GetProperty("fromEarnings").GetInt64(),
        refund.GetProperty("fromCreatorWallet").GetInt64(), refund.GetProperty("fromLosses").GetInt64());

    /// <summary>Sends a gift and returns its ledger transaction id.</summary>
    public static async Task<Guid> GiftedAsync(this Session from, Guid to, string giftType, int quantity = 1)
    {
        var response = await from.Client.PostAsJsonAsync("/api/gift/send", new { recipientId = to, giftType, quantity });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("transactionId").GetGuid();
    }

    public static Task<long> SystemBalanceAsync(this AppFixture app, AccountKind kind) => app.BalanceAsync(SystemAccounts.Owner, kind);

    /// <summary>Every leaderboard row (all boards, all periods) equals the sum of the gifts not refunded.</summary>
    public static async Task AssertLeaderboardMatchesUnrefundedGiftsAsync(this AppFixture app)
    {
        var (rows, gifts, refunded) = await app.WithDbAsync(async db => (
            await db.GiftLeaderboard.AsNoTracking().ToListAsync(),
            await db.Gifts.AsNoTracking().ToListAsync(),
            (await db.LedgerTransactions.Where(t => t.Kind == TransactionKind.Refund).Select(t => t.Reference!).ToListAsync())
                .ToHashSet()));
        var live = gifts.Where(g => !refunded.Contains($"refund:{g.TransactionId}")).ToList();
        var expected = new List<(LeaderboardPeriod, DateTime, LeaderboardBoard, Guid, long, long)>();
        foreach (var period in Enum.GetValues<LeaderboardPeriod>())
        {
            foreach (var board in Enum.GetValues<LeaderboardBoard>())
            {
                expected.AddRange(live
                    .GroupBy(g => (GiftLeaderboard.PeriodStart(period, g.CreatedAt),
                        board == LeaderboardBoard.Receivers ? g.RecipientId : g.SenderId))
                    .Select(x => (period, x.Key.Item1, board, x.Key.Item2, x.Sum(g => g.Amount), x.Sum(g => (long)g.Quantity))));
            }
        }

        // A receiver's totals are split over shards: the board's figure is their sum. A row whose
        // every gift was refunded stays at zero rather than disappearing.
        var actual = rows.GroupBy(r => (r.Period, r.PeriodStart, r.Board, r.UserId))
            .Select(g => (g.Key.Period, g.Key.PeriodStart, g.Key.Board, g.Key.UserId, g.Sum(r => r.Total), g.Sum(r => r.GiftCount)))
            .Where(r => r.Item5 != 0 || r.Item6 != 0).Order().ToList();
        Assert.Equal(expected.Order().ToList(), actual);
    }
}
