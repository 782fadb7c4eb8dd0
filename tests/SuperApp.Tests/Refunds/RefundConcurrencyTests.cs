using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Creators;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Premium;

namespace SuperApp.Tests.Refunds;

/// <summary>Refunds racing each other and settlement, on PostgreSQL (SQLite has one writer, so nothing there runs at once).</summary>
public sealed class RefundConcurrencyTests(App<Postgres, PremiumSettings> app) : IClassFixture<App<Postgres, PremiumSettings>>
{
    private static readonly TimeSpan Hold = new RevenueOptions().HoldingPeriod;

    [Fact]
    public async Task Admins_refunding_the_same_purchases_at_once_refund_each_exactly_once()
    {
        var (admin, otherAdmin, creator) = (await app.AdminAsync(), await app.AdminAsync(), await app.CreatorAsync());
        var buyers = await app.CreateFundedUsersAsync(12, 1_000_000);
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 77_777));
        var purchases = new List<(Guid Buyer, Guid Tx)>();
        foreach (var (buyer, i) in buyers.Select((b, i) => (b, i)))
        {
            var response = i % 2 == 0 ? await buyer.UnlockAsync(content) : await buyer.Client.PostAsJsonAsync("/api/gift/send",
                new { recipientId = creator.UserId, giftType = "coffee" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            purchases.Add((buyer.UserId, (await response.JsonAsync()).GetProperty("transactionId").GetGuid()));
        }

        var platform = await app.SystemBalanceAsync(AccountKind.PlatformRevenue);
        var answers = await Task.WhenAll(purchases.SelectMany(p => Enumerable.Range(0, 4).Select(async i =>
            (p.Tx, (await (i % 2 == 0 ? admin : otherAdmin).RefundAsync(p.Tx, $"duplicate {i}")).StatusCode))));

        foreach (var group in answers.GroupBy(a => a.Tx))
        {
            Assert.Equal(1, group.Count(a => a.StatusCode == HttpStatusCode.OK));
            Assert.Equal(3, group.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        }

        foreach (var b in buyers)
        {
            Assert.Equal(1_000_000, await app.BalanceAsync(b.UserId));
        }

        Assert.Equal(0, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(platform - (6 * (77_777 * 3_000 / 10_000)) - (6 * 5_000), await app.SystemBalanceAsync(AccountKind.PlatformRevenue));
        var expected = purchases.Select(p => $"refund:{p.Tx}").ToList();
        var refunds = await app.WithDbAsync(db =>
            db.LedgerTransactions.Where(t => expected.Contains(t.Reference!)).Select(t => t.Reference).ToListAsync());
        Assert.Equal(expected.Order(), refunds.Order());
        Assert.Equal(0, await app.WithDbAsync(db =>
            db.PremiumContents.Where(c => c.Id == content).Select(c => c.UnlockCount).SingleAsync()));
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_refund_racing_a_settlement_of_the_same_earnings_ends_with_one_consistent_outcome()
    {
        const int Runs = 24;
        var admin = await app.AdminAsync();
        var fans = await app.CreateFundedUsersAsync(Runs, 5_000_000);
        var creators = new List<Session>();
        var refunded = new List<Guid>();
        for (var i = 0; i < Runs; i++)
        {
            var creator = await app.CreatorAsync();
            creators.Add(creator);
            refunded.Add(await fans[i].GiftedAsync(creator.UserId, "diamond"));   // creator 450,000: refunded in the race
            await fans[i].GiftedAsync(creator.UserId, "star");                    // creator 90,000: stays
        }

        await app.AdvanceAsync(Hold + TimeSpan.FromMinutes(1), admin);
        for (var i = 0; i < Runs; i++)
        {
            var creator = creators[i].UserId;
            // Half the runs send the refund first, half the settlement; both are in flight at once.
            Task<HttpResponseMessage> settle, refund;
            if (i % 2 == 0)
            {
                refund = admin.RefundAsync(refunded[i], "race");
                settle = admin.Client.PostAsJsonAsync("/api/admin/revenue/settle", new { creatorId = creator });
            }
            else
            {
                settle = admin.Client.PostAsJsonAsync("/api/admin/revenue/settle", new { creatorId = creator });
                refund = admin.RefundAsync(refunded[i], "race");
            }

            var (s, r) = (await settle, await refund);
            Assert.Equal(HttpStatusCode.OK, s.StatusCode);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var paid = (await s.JsonAsync()).PaidTo(creator);
            var split = (await r.JsonAsync()).Split();

            // Whichever went first, the creator ends with the kept gift's share settled and nothing pending;
            // the refunded share came back from pending or from the wallet, never from losses.
            Assert.Equal(500_000, split.Amount);
            Assert.Equal(0, split.FromLosses);
            Assert.Equal(450_000, split.FromEarnings + split.FromWallet);
            Assert.Contains(paid, new long[] { 90_000, 540_000 });
            Assert.Equal(paid == 90_000 ? 450_000 : 0, split.FromEarnings);
            Assert.Equal(0, await app.BalanceAsync(creator, AccountKind.EarningsPending));
            Assert.Equal(90_000, await app.BalanceAsync(creator));
            Assert.Equal(5_000_000 - 100_000, await app.BalanceAsync(fans[i].UserId));
            await app.AssertLedgerConsistentAsync();
        }

        var negative = await app.WithDbAsync(db => db.Accounts.CountAsync(a => a.Balance < 0 && a.Kind != AccountKind.ExternalFunding));
        Assert.Equal(0, negative);
    }
}
