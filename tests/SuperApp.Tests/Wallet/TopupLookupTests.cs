using System.Net;
using System.Net.Http.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Wallet;

/// <summary>The Location headers of a created top-up and a requested withdrawal resolve, for their owner only.</summary>
public abstract class TopupLookupTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task The_location_of_a_topup_resolves_for_its_owner_only()
    {
        var s = await app.RegisterAsync();
        var created = await s.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 25_000, provider = "sandbox" });
        var location = created.Headers.Location!.ToString();
        var id = (await created.JsonAsync()).GetProperty("topupId").GetGuid();

        var mine = await s.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        var body = await mine.JsonAsync();
        Assert.Equal(id, body.GetProperty("topupId").GetGuid());
        Assert.Equal(25_000, body.GetProperty("amount").GetInt64());
        Assert.Equal("pending", body.GetProperty("status").GetString());

        var other = await app.RegisterAsync();
        await other.Client.GetAsync(location).ShouldBeProblemAsync(HttpStatusCode.NotFound, "TOPUP_NOT_FOUND");
        var unknown = await s.Client.GetAsync($"/api/wallet/topups/{Guid.NewGuid()}");
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "TOPUP_NOT_FOUND");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(location)).StatusCode);
    }

    [Fact]
    public async Task The_location_of_a_withdrawal_resolves_for_its_owner_only()
    {
        var s = await app.RegisterAsync();
        await app.FundAsync(s, 100_000);
        var requested = await s.Client.PostAsJsonAsync("/api/wallet/withdraw",
            new { amount = 60_000, bankAccount = new { bankName = "BCA", accountNumber = "0123456789", accountName = "Test User" } });
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var location = requested.Headers.Location!.ToString();

        var mine = await s.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        var body = await mine.JsonAsync();
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal("******6789", body.GetProperty("accountNumber").GetString());

        var other = await app.RegisterAsync();
        await other.Client.GetAsync(location).ShouldBeProblemAsync(HttpStatusCode.NotFound, "WITHDRAWAL_NOT_FOUND");
        var unknown = await s.Client.GetAsync($"/api/wallet/withdrawals/{Guid.NewGuid()}");
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "WITHDRAWAL_NOT_FOUND");
    }

    [Fact]
    public async Task The_caller_lists_their_own_topups_newest_first()
    {
        var s = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        var (first, _) = await app.CreateTopupAsync(s, 10_000);
        var (second, _) = await app.CreateTopupAsync(s, 11_000);
        await app.CreateTopupAsync(other, 12_000);

        var page = await (await s.Client.GetAsync("/api/wallet/topups?limit=1")).JsonAsync();
        Assert.Equal(second, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("topupId").GetGuid());
        var cursor = page.GetProperty("nextCursor").GetString();
        var next = await (await s.Client.GetAsync($"/api/wallet/topups?limit=1&cursor={cursor}")).JsonAsync();
        Assert.Equal(first, Assert.Single(next.GetProperty("items").EnumerateArray()).GetProperty("topupId").GetGuid());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, next.GetProperty("nextCursor").ValueKind);
        await s.Client.GetAsync("/api/wallet/topups?cursor=nope").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }
}

public sealed class TopupLookupTestsOnPostgres(App<Postgres, Defaults> app) : TopupLookupTests<App<Postgres, Defaults>>(app);

public sealed class TopupLookupTestsOnSqlite(App<Sqlite, Defaults> app) : TopupLookupTests<App<Sqlite, Defaults>>(app);
