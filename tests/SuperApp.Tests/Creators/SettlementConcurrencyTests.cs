using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Features.Creators;
using SuperApp.Features.Gifts;
using SuperApp.Features.Ledger;
using SuperApp.Features.Users;
using SuperApp.Platform.Audit;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Creators;

/// <summary>Settlement racing itself on two instances of the service sharing one PostgreSQL database.</summary>
public sealed class SettlementConcurrencyTests(TwoInstances<Defaults> servers) : IClassFixture<TwoInstances<Defaults>>
{
    private static readonly TimeSpan Hold = new RevenueOptions().HoldingPeriod;

    [Fact]
    public async Task Settlements_racing_on_two_instances_and_with_new_gifts_settle_each_earning_exactly_once()
    {
        var (a, b) = (servers.A, servers.B);
        var fans = await a.CreateFundedUsersAsync(40, 5_000_000);
        var creators = await a.CreateFundedUsersAsync(20, 1_000_000);
        var creatorIds = creators.Select(c => c.UserId).ToList();
        await a.WithDbAsync(async db =>
        {
            foreach (var u in await db.Users.Where(u => creatorIds.Contains(u.Id)).ToListAsync())
            {
                u.SetRole(Role.Creator);
            }

            await db.SaveChangesAsync();
        });
        var admin = await a.AdminAsync();
        var adminOnB = b.CreateUserClient();
        adminOnB.DefaultRequestHeaders.Authorization = admin.Client.DefaultRequestHeaders.Authorization;

        // Earnings from all three sources: gifts over HTTP on both instances at once, unlocks and subscriptions posted directly.
        var rng = new Random(7);
        var types = new[] { "rose", "coffee", "star", "diamond" };
        var gifts = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var fan = fans[i % fans.Count];
            var client = i % 2 == 0 ? fan.Client : OnB(fan);
            var response = await client.PostAsJsonAsync("/api/gift/send",
                new { recipientId = creatorIds[rng.Next(creatorIds.Count)], giftType = types[i % types.Length] });
            return response.StatusCode;
        }));
        Assert.All(gifts, s => Assert.Equal(HttpStatusCode.Created, s));
        for (var i = 0; i < creatorIds.Count; i++)
        {
            await a.EarnAsync(i % 2 == 0 ? TransactionKind.Unlock : TransactionKind.Subscription, fans[i].UserId, creatorIds[i],
                7_000 + i, 3_000);
        }

        await AssertLeaderboardMatchesGiftsAsync(a);

        // Pending earnings are split over shards: each creator's is their sum.
        var owed = await a.WithDbAsync(db => db.Accounts.Where(x => creatorIds.Contains(x.OwnerId) && x.Kind == AccountKind.EarningsPending)
            .GroupBy(x => x.OwnerId).Select(g => new { g.Key, Balance = g.Sum(x => x.Balance) })
            .ToDictionaryAsync(x => x.Key, x => x.Balance));
        Assert.Equal(creatorIds.Count, owed.Count);
        var shift = Hold + TimeSpan.FromMinutes(1);
        b.Clock.Advance(shift);
        await a.AdvanceAsync(shift, [admin, .. fans, .. creators]);
        adminOnB.DefaultRequestHeaders.Authorization = admin.Client.DefaultRequestHeaders.Authorization;
        var shiftedAt = a.Clock.GetUtcNow().UtcDateTime;

        // While settlements race, more gifts arrive, some sent by the creators being settled.
        var late = Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            var from = i % 3 == 0 ? creators[i % creators.Count] : fans[i % fans.Count];
            var to = creatorIds[(i * 7 + 1) % creatorIds.Count];
            to = to == from.UserId ? creatorIds[(i * 7 + 2) % creatorIds.Count] : to;
            var client = i % 2 == 0 ? from.Client : OnB(from);
            return (await client.PostAsJsonAsync("/api/gift/send", new { recipientId = to, giftType = "rose" })).StatusCode;
        }));
        var runs = await Task.WhenAll(
            RunOnceAsync(a), RunOnceAsync(b), RunOnceAsync(a), RunOnceAsync(b),
            HttpSettleAsync(admin.Client), HttpSettleAsync(adminOnB), HttpSettleAsync(admin.Client), HttpSettleAsync(adminOnB));

        Assert.Equal(owed.Values.Sum(), runs.Sum());
        Assert.All(await late, s => Assert.Equal(HttpStatusCode.Created, s));

        var (lateShares, spent) = await a.WithDbAsync(async db => (
            await db.Gifts.Where(g => g.CreatedAt >= shiftedAt).GroupBy(g => g.RecipientId)
                .ToDictionaryAsync(g => g.Key, g => g.Sum(x => x.CreatorShare)),
            await db.Gifts.Where(g => creatorIds.Contains(g.SenderId)).GroupBy(g => g.SenderId)
                .ToDictionaryAsync(g => g.Key, g => g.Sum(x => x.Amount))));
        foreach (var creator in creatorIds)
        {
            Assert.Equal(lateShares.GetValueOrDefault(creator), await a.BalanceAsync(creator, AccountKind.EarningsPending));
            Assert.Equal(1_000_000 + owed[creator] - spent.GetValueOrDefault(creator), await a.BalanceAsync(creator));
        }

        var settlements = await a.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Kind == TransactionKind.Settlement));
        Assert.Equal(creatorIds.Count, settlements);
        await a.AssertLedgerConsistentAsync();

        HttpClient OnB(Session s)
        {
            var client = b.CreateUserClient();
            client.DefaultRequestHeaders.Authorization = s.Client.DefaultRequestHeaders.Authorization;
            return client;
        }
    }

    /// <summary>Upserts from concurrent gifts on two instances lost nothing: each board row equals its gifts.</summary>
    private static async Task AssertLeaderboardMatchesGiftsAsync(AppFixture app)
    {
        var (rows, received, sent) = await app.WithDbAsync(async db => (
            await db.GiftLeaderboard.Where(e => e.Period == LeaderboardPeriod.All)
                .GroupBy(e => new { e.Board, e.UserId }) // a receiver's totals are split over shards
                .Select(g => new LeaderboardEntry { Board = g.Key.Board, UserId = g.Key.UserId, Total = g.Sum(e => e.Total),
                    GiftCount = g.Sum(e => e.GiftCount) }).ToListAsync(),
            await db.Gifts.GroupBy(g => g.RecipientId)
                .Select(g => new { g.Key, Total = g.Sum(x => x.Amount), Count = g.Sum(x => (long)x.Quantity) }).ToListAsync(),
            await db.Gifts.GroupBy(g => g.SenderId)
                .Select(g => new { g.Key, Total = g.Sum(x => x.Amount), Count = g.Sum(x => (long)x.Quantity) }).ToListAsync()));
        Assert.Equal(received.Select(g => (g.Key, g.Total, g.Count)).Order(),
            rows.Where(r => r.Board == LeaderboardBoard.Receivers).Select(r => (r.UserId, r.Total, r.GiftCount)).Order());
        Assert.Equal(sent.Select(g => (g.Key, g.Total, g.Count)).Order(),
            rows.Where(r => r.Board == LeaderboardBoard.Senders).Select(r => (r.UserId, r.Total, r.GiftCount)).Order());
    }

    private static async Task<long> RunOnceAsync(AppFixture app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var settlement = scope.ServiceProvider.GetRequiredService<RevenueSettlement>();
        var report = await settlement.RunOnceAsync(AuditContext.System, app.Clock.GetUtcNow().UtcDateTime, null, false,
            CancellationToken.None);
        Assert.Equal(0, report.Refused);
        return report.TotalAmount;
    }

    private static async Task<long> HttpSettleAsync(HttpClient admin)
    {
        var response = await admin.PostAsJsonAsync("/api/admin/revenue/settle", new { });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("totalAmount").GetInt64();
    }
}
