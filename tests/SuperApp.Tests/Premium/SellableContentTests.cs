using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Premium;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Premium;

/// <summary>
/// An unlock of content this instance sold a moment ago skips the read before the money transaction. A change made
/// elsewhere (another instance: here, straight in the database) is caught by the transaction itself: 409
/// CONTENT_CHANGED with nothing moved, and the retry answers for the content as it is now.
/// </summary>
public abstract class SellableContentTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private async Task<(Session Creator, Guid Content, Session Buyer)> SoldOnceAsync(long price = 10_000)
    {
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: price));
        var first = await app.RegisterAsync();
        await app.FundAsync(first, 100_000);
        Assert.Equal(HttpStatusCode.Created, (await first.UnlockAsync(content)).StatusCode); // remembered from here
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 100_000);
        return (creator, content, buyer);
    }

    private Task ChangeBehindTheCacheAsync(Guid content, Action<PremiumContent> change) => app.WithDbAsync(async db =>
    {
        change(await db.PremiumContents.SingleAsync(c => c.Id == content));
        await db.SaveChangesAsync();
    });

    private Task<int> UnlocksAsync(Guid buyer) => app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.UserId == buyer));

    [Fact]
    public async Task A_price_changed_elsewhere_is_never_charged_unseen_and_the_retry_pays_the_new_price()
    {
        var (_, content, buyer) = await SoldOnceAsync();
        await ChangeBehindTheCacheAsync(content, c => c.Price = 12_000);

        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
        Assert.Equal((100_000, 0), (await app.BalanceAsync(buyer.UserId), await UnlocksAsync(buyer.UserId)));

        var retried = await buyer.UnlockAsync(content);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(12_000, (await retried.JsonAsync()).GetProperty("amount").GetInt64());
        Assert.Equal(88_000, await app.BalanceAsync(buyer.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Theory]
    [InlineData("deleted", HttpStatusCode.Gone, "CONTENT_DELETED")]
    [InlineData("unpublished", HttpStatusCode.NotFound, "CONTENT_NOT_FOUND")]
    [InlineData("subscribers", HttpStatusCode.UnprocessableEntity, "SUBSCRIPTION_REQUIRED")]
    public async Task Content_taken_off_sale_elsewhere_sells_nothing_and_the_retry_says_why(string how, HttpStatusCode status, string code)
    {
        var (_, content, buyer) = await SoldOnceAsync();
        await ChangeBehindTheCacheAsync(content, c =>
        {
            switch (how)
            {
                case "deleted": c.DeletedAt = app.Clock.GetUtcNow().UtcDateTime; break;
                case "unpublished": c.Status = ContentStatus.Draft; break;
                default: c.SubscriberOnly = true; break;
            }
        });

        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
        await buyer.UnlockAsync(content).ShouldBeProblemAsync(status, code);
        Assert.Equal((100_000, 0), (await app.BalanceAsync(buyer.UserId), await UnlocksAsync(buyer.UserId)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_change_made_here_applies_to_the_next_unlock_at_once()
    {
        var (creator, content, buyer) = await SoldOnceAsync();
        var draft = PremiumApi.Draft(price: 15_000);
        Assert.Equal(HttpStatusCode.OK, (await creator.Client.PutAsJsonAsync($"/api/premium/{content}", draft)).StatusCode);

        var unlocked = await buyer.UnlockAsync(content);
        Assert.Equal(HttpStatusCode.Created, unlocked.StatusCode);
        Assert.Equal(15_000, (await unlocked.JsonAsync()).GetProperty("amount").GetInt64());

        var other = await app.RegisterAsync();
        await app.FundAsync(other, 100_000);
        Assert.Equal(HttpStatusCode.NoContent, (await creator.Client.DeleteAsync($"/api/premium/{content}")).StatusCode);
        await other.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        Assert.Equal(100_000, await app.BalanceAsync(other.UserId));
    }

    [Fact]
    public async Task Owning_it_already_is_the_answer_before_any_money_check()
    {
        var (creator, content, buyer) = await SoldOnceAsync(price: 60_000);
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(content)).StatusCode);

        // 40,000 left: too little for a second purchase, but the answer is that it is owned.
        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");
        await creator.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "OWN_CONTENT");
        Assert.Equal((40_000, 1), (await app.BalanceAsync(buyer.UserId), await UnlocksAsync(buyer.UserId)));
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class SellableContentTestsOnPostgres(App<Postgres, PremiumSettings> app)
    : SellableContentTests<App<Postgres, PremiumSettings>>(app);

public sealed class SellableContentTestsOnSqlite(App<Sqlite, PremiumSettings> app)
    : SellableContentTests<App<Sqlite, PremiumSettings>>(app);
