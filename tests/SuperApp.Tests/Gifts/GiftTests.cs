using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Gifts;

public abstract class GiftTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task The_catalogue_lists_five_gifts_with_prices()
    {
        var s = await app.RegisterAsync();
        var body = await (await s.Client.GetAsync("/api/gift/types")).JsonAsync();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["rose", "coffee", "star", "diamond", "crown"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal([10_000L, 50_000, 100_000, 500_000, 1_000_000], items.Select(i => i.GetProperty("price").GetInt64()));
        Assert.All(items, i => Assert.Equal("IDR", i.GetProperty("currency").GetString()));
        Assert.Equal("Rose", items[0].GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/gift/types")).StatusCode);
    }

    [Fact]
    public async Task A_gift_pays_the_creator_pending_and_the_platform_by_the_split_in_one_transaction()
    {
        var fan = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        await app.FundAsync(fan, 1_000_000);
        var platformBefore = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue);

        var response = await fan.GiftAsync(creator.UserId, "star", 3, "great stream");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(300_000, body.GetProperty("amount").GetInt64());
        Assert.Equal(700_000, body.GetProperty("balance").GetInt64());
        Assert.Equal(3, body.GetProperty("quantity").GetInt32());
        Assert.Equal("star", body.GetProperty("giftType").GetString());
        var txId = body.GetProperty("transactionId").GetGuid();

        Assert.Equal(700_000, await app.BalanceAsync(fan.UserId));
        Assert.Equal(270_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(0, await app.BalanceAsync(creator.UserId));
        Assert.Equal(platformBefore + 30_000, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue));
        var (kind, entries) = await app.WithDbAsync(async db => (
            await db.LedgerTransactions.Where(t => t.Id == txId).Select(t => t.Kind).SingleAsync(),
            await db.LedgerEntries.CountAsync(e => e.TransactionId == txId)));
        Assert.Equal((TransactionKind.Gift, 3), (kind, entries));

        var sent = Assert.Single((await (await fan.Client.GetAsync("/api/gift/sent")).JsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(("star", "Star", 300_000L, 270_000L),
            (sent.GetProperty("giftType").GetString(), sent.GetProperty("giftName").GetString(),
            sent.GetProperty("amount").GetInt64(), sent.GetProperty("creatorShare").GetInt64()));
        Assert.Equal(creator.Username, sent.GetProperty("recipient").GetProperty("username").GetString());
        Assert.Equal("great stream", sent.GetProperty("message").GetString());
        var received = Assert.Single((await (await creator.Client.GetAsync("/api/gift/received")).JsonAsync()).GetProperty("items")
            .EnumerateArray());
        Assert.Equal(fan.UserId, received.GetProperty("sender").GetProperty("id").GetGuid());
        Assert.Empty((await (await fan.Client.GetAsync("/api/gift/received")).JsonAsync()).GetProperty("items").EnumerateArray());

        var statement = await (await fan.Client.GetAsync($"/api/wallet/transactions/{txId}")).JsonAsync();
        Assert.Equal(-300_000, statement.GetProperty("amount").GetInt64());
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Gift_errors_move_no_money()
    {
        var fan = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        var plain = await app.RegisterAsync();
        await app.FundAsync(fan, 60_000);
        await app.FundAsync(creator, 60_000);

        Task<HttpResponseMessage> Send(Session from, object body) => from.Client.PostAsJsonAsync("/api/gift/send", body);

        await Send(creator, new { recipientId = creator.UserId, giftType = "rose" })
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "SELF_GIFT");
        await Send(fan, new { recipientId = plain.UserId, giftType = "rose" })
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "RECIPIENT_NOT_CREATOR");
        await Send(fan, new { recipientId = Guid.NewGuid(), giftType = "rose" })
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        await Send(fan, new { recipientId = creator.UserId, giftType = "unicorn" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Send(fan, new { recipientId = creator.UserId, giftType = "rose", quantity = 0 })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Send(fan, new { recipientId = creator.UserId, giftType = "rose", quantity = 101 })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Send(fan, new { giftType = "rose" }).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Send(fan, new { recipientId = creator.UserId }).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Send(fan, new { recipientId = creator.UserId, giftType = "rose", message = new string('x', 201) })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Send(fan, new { recipientId = creator.UserId, giftType = "rose", quantity = 7 })
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS");

        using var noKey = app.CreateClient();
        noKey.DefaultRequestHeaders.Authorization = fan.Client.DefaultRequestHeaders.Authorization;
        await noKey.PostAsJsonAsync("/api/gift/send",
                new { recipientId = creator.UserId, giftType = "rose" })
                    .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "IDEMPOTENCY_KEY_REQUIRED");
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await app.CreateUserClient().PostAsJsonAsync("/api/gift/send", new { recipientId = creator.UserId, giftType = "rose" }))
                .StatusCode);

        Assert.Equal(60_000, await app.BalanceAsync(fan.UserId));
        Assert.Equal(60_000, await app.BalanceAsync(creator.UserId));
        Assert.Equal(0, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Empty((await (await fan.Client.GetAsync("/api/gift/sent")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_frozen_sender_cannot_gift_and_the_refusal_is_audited()
    {
        var admin = await app.AdminAsync();
        var fan = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        await app.FundAsync(fan, 50_000);
        await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{fan.UserId}/freeze", new { reason = "fraud review" });

        await fan.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        Assert.Equal(50_000, await app.BalanceAsync(fan.UserId));
        var audit = await (await admin.Client.GetAsync($"/api/admin/audit?entityType=user&entityId={fan.UserId}")).JsonAsync();
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), r => r.GetProperty("action").GetString() == "fraud.wallet_frozen");
    }

    [Fact]
    public async Task A_gift_above_the_gift_limit_is_refused()
    {
        var fan = (await app.CreateFundedUsersAsync(1, 900_000_000))[0];
        var creator = await app.CreatorAsync();
        await fan.GiftAsync(creator.UserId, "crown", 60).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        Assert.Equal(900_000_000, await app.BalanceAsync(fan.UserId));
    }

    [Fact]
    public async Task A_repeated_key_sends_the_gift_once()
    {
        var fan = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        await app.FundAsync(fan, 100_000);
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request() => new(HttpMethod.Post, "/api/gift/send")
        {
            Content = JsonContent.Create(new { recipientId = creator.UserId, giftType = "coffee" }),
            Headers = { { "Idempotency-Key", key } },
        };

        var first = await fan.Client.SendAsync(Request());
        var again = await fan.Client.SendAsync(Request());
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(50_000, await app.BalanceAsync(fan.UserId));
        Assert.Single((await (await fan.Client.GetAsync("/api/gift/sent")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Sent_and_received_lists_page_with_a_cursor()
    {
        var fan = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        await app.FundAsync(fan, 100_000);
        for (var q = 1; q <= 3; q++)
        {
            Assert.Equal(HttpStatusCode.Created, (await fan.GiftAsync(creator.UserId, "rose", q)).StatusCode);
        }

        var first = await (await creator.Client.GetAsync("/api/gift/received?limit=2")).JsonAsync();
        Assert.Equal([3, 2], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("quantity").GetInt32()));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await (await creator.Client.GetAsync($"/api/gift/received?limit=2&cursor={cursor}")).JsonAsync();
        Assert.Equal([1], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("quantity").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        await fan.Client.GetAsync("/api/gift/sent?cursor=%%%").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await fan.Client.GetAsync("/api/gift/received?cursor=abc").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }
}

/// <summary>A lower gift ceiling than the default, so a big order of the dearest gift passes it.</summary>
public sealed class GiftSettings : ITestSettings
{
    public static void Configure(AppFixture app) => app.Settings["Revenue:Limits:Gift:Max"] = "50000000";
}

public sealed class GiftTestsOnPostgres(App<Postgres, GiftSettings> app) : GiftTests<App<Postgres, GiftSettings>>(app);

public sealed class GiftTestsOnSqlite(App<Sqlite, GiftSettings> app) : GiftTests<App<Sqlite, GiftSettings>>(app);
