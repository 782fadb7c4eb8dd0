using System.Net;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Subscriptions;

namespace SuperApp.Tests.Premium;

/// <summary>Buyers keep what they paid for (DESIGN 3.1): a post its creator deletes stays theirs, and only theirs.</summary>
public abstract class DeletedPostTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_buyer_keeps_details_access_and_media_of_a_deleted_post_and_a_non_buyer_does_not()
    {
        var creator = await app.CreatorAsync();
        var (buyer, other) = (await app.RegisterAsync(), await app.RegisterAsync());
        await app.FundAsync(buyer, 20_000);
        await app.FundAsync(other, 20_000);
        var id = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var png = MediaTests<TApp>.Png(2_000);
        Assert.Equal(HttpStatusCode.OK, (await MediaTests<TApp>.UploadAsync(creator, id, png, "cover.png")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(id)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await creator.Client.DeleteAsync($"/api/premium/{id}")).StatusCode);

        var details = await (await buyer.Client.GetAsync($"/api/premium/{id}")).JsonAsync();
        Assert.Equal((true, "unlocked"), (details.GetProperty("deleted").GetBoolean(), details.GetProperty("accessStatus").GetString()));
        var access = await (await buyer.Client.GetAsync($"/api/premium/{id}/access")).JsonAsync();
        Assert.Equal((true, "unlocked"), (access.GetProperty("hasAccess").GetBoolean(), access.GetProperty("reason").GetString()));
        var media = await buyer.Client.GetAsync($"/api/premium/{id}/media");
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
        Assert.Equal(png, await media.Content.ReadAsByteArrayAsync());
        var unlocked = await (await buyer.Client.GetAsync("/api/premium/unlocked")).JsonAsync();
        var listed = Assert.Single(unlocked.GetProperty("items").EnumerateArray());
        Assert.Equal(id, listed.GetProperty("content").GetProperty("id").GetGuid());

        foreach (var path in new[] { $"/api/premium/{id}", $"/api/premium/{id}/access", $"/api/premium/{id}/media" })
        {
            await other.Client.GetAsync(path).ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        }

        await other.UnlockAsync(id).ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        var browse = await (await other.Client.GetAsync($"/api/premium/browse?creator={creator.UserId}")).JsonAsync();
        Assert.Empty(browse.GetProperty("items").EnumerateArray());
        Assert.Equal(20_000, await app.BalanceAsync(other.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Subscribers_lose_a_deleted_subscriber_only_post_since_they_never_bought_it()
    {
        var creator = await app.CreatorAsync(("monthly", 5_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 10_000);
        await fan.SubscribedAsync(creator.UserId);
        var id = await creator.CreateContentAsync(PremiumApi.Draft(price: 0, subscriberOnly: true));
        Assert.Equal(HttpStatusCode.OK, (await fan.Client.GetAsync($"/api/premium/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await creator.Client.DeleteAsync($"/api/premium/{id}")).StatusCode);
        await fan.Client.GetAsync($"/api/premium/{id}").ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
    }

    [Fact]
    public async Task The_creators_account_erasure_removes_a_bought_post_even_for_its_buyer()
    {
        var creator = await app.CreatorAsync();
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 20_000);
        var id = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(id)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await creator.Client.DeleteAsync("/api/users/me")).StatusCode);
        await buyer.Client.GetAsync($"/api/premium/{id}").ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        await buyer.Client.GetAsync($"/api/premium/{id}/media").ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        // The purchase itself stays on the buyer's record.
        Assert.Single((await (await buyer.Client.GetAsync("/api/premium/unlocked")).JsonAsync()).GetProperty("items").EnumerateArray());
    }
}

public sealed class DeletedPostTestsOnPostgres(App<Postgres, PremiumSettings> app) : DeletedPostTests<App<Postgres, PremiumSettings>>(app);

public sealed class DeletedPostTestsOnSqlite(App<Sqlite, PremiumSettings> app) : DeletedPostTests<App<Sqlite, PremiumSettings>>(app);
