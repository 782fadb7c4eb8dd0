using System.Net;
using System.Net.Http.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Premium;

public abstract class ContentTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static readonly string[] MixedTags = ["Baking", "bread", "baking"];

    [Fact]
    public async Task A_creator_drafts_edits_publishes_and_unpublishes_content()
    {
        var creator = await app.CreatorAsync();
        var viewer = await app.RegisterAsync();

        var created = await creator.Client.PostAsJsonAsync("/api/premium",
            new { title = "  Sourdough basics ", description = "Flour, water, time.", category = "Lifestyle", price = 25_000,
                subscriberOnly = false, tags = MixedTags });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/premium/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("draft", body.GetProperty("status").GetString());
        Assert.Equal("Sourdough basics", body.GetProperty("title").GetString());
        Assert.Equal("lifestyle", body.GetProperty("category").GetString());
        Assert.Equal(["baking", "bread"], body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(25_000, body.GetProperty("price").GetInt64());
        Assert.Equal("IDR", body.GetProperty("currency").GetString());
        Assert.Equal("creator", body.GetProperty("accessStatus").GetString());
        Assert.Equal(creator.Username, body.GetProperty("creator").GetProperty("username").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("publishedAt").ValueKind);
        await viewer.Client.GetAsync($"/api/premium/{id}").ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");

        var edited = await creator.Client.PutAsJsonAsync($"/api/premium/{id}",
            PremiumApi.Draft(price: 30_000, category: "art", title: "Sourdough, revised"));
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(30_000, (await edited.JsonAsync()).GetProperty("price").GetInt64());

        var published = await (await creator.Client.PostAsync($"/api/premium/{id}/publish", null)).JsonAsync();
        Assert.Equal("published", published.GetProperty("status").GetString());
        var publishedAt = published.GetProperty("publishedAt").GetDateTime();
        Assert.Equal(HttpStatusCode.OK, (await creator.Client.PostAsync($"/api/premium/{id}/publish", null)).StatusCode);

        var seen = await (await viewer.Client.GetAsync($"/api/premium/{id}")).JsonAsync();
        Assert.Equal("Sourdough, revised", seen.GetProperty("title").GetString());
        Assert.Equal("locked", seen.GetProperty("accessStatus").GetString());

        var unpublished = await (await creator.Client.PostAsync($"/api/premium/{id}/unpublish", null)).JsonAsync();
        Assert.Equal("draft", unpublished.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.Client.GetAsync($"/api/premium/{id}")).StatusCode);
        var again = await (await creator.Client.PostAsync($"/api/premium/{id}/publish", null)).JsonAsync();
        Assert.Equal(publishedAt, again.GetProperty("publishedAt").GetDateTime());
    }

    [Fact]
    public async Task Drafts_are_validated_against_the_configured_rules()
    {
        var creator = await app.CreatorAsync();

        Task<HttpResponseMessage> Create(object body) => creator.Client.PostAsJsonAsync("/api/premium", body);

        await Create(PremiumApi.Draft(title: "ab")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Create(PremiumApi.Draft(title: "   a   ")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Create(PremiumApi.Draft(title: new string('x', 201))).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Create(PremiumApi.Draft(description: new string('x', 2001)))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Create(new { description = "no title", category = "art", price = 1000 })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var category = await Create(PremiumApi.Draft(category: "gambling"))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(category.Body.GetProperty("errors").TryGetProperty("category", out _));
        await Create(PremiumApi.Draft(price: -1)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Create(PremiumApi.Draft(price: 499)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        await Create(PremiumApi.Draft(price: 100_000_001)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        await Create(PremiumApi.Draft(tags: Enumerable.Range(0, 11).Select(i => $"t{i}").ToArray()))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Create(PremiumApi.Draft(tags: ["no spaces allowed"])).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(HttpStatusCode.Created,
            (await creator.Client.PostAsJsonAsync("/api/premium", PremiumApi.Draft(price: 500))).StatusCode);
        Assert.Equal(HttpStatusCode.Created,
            (await creator.Client.PostAsJsonAsync("/api/premium", PremiumApi.Draft(price: 100_000_000))).StatusCode);

        var user = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.PostAsJsonAsync("/api/premium", PremiumApi.Draft())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await app.CreateClient().PostAsJsonAsync("/api/premium", PremiumApi.Draft())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/premium/browse")).StatusCode);
    }

    [Fact]
    public async Task Only_the_creator_changes_content_and_other_peoples_drafts_stay_unknown()
    {
        var owner = await app.CreatorAsync();
        var other = await app.CreatorAsync();
        var published = await owner.CreateContentAsync();
        var draft = await owner.CreateContentAsync(publish: false);

        await other.Client.PutAsJsonAsync($"/api/premium/{published}", PremiumApi.Draft())
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "NOT_CONTENT_OWNER");
        await other.Client.PostAsync($"/api/premium/{published}/unpublish", null)
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "NOT_CONTENT_OWNER");
        await other.Client.DeleteAsync($"/api/premium/{published}").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "NOT_CONTENT_OWNER");
        await other.Client.PostAsync($"/api/premium/{draft}/publish", null)
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await other.Client.GetAsync($"/api/premium/{draft}/access").ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await owner.Client.PutAsJsonAsync($"/api/premium/{Guid.NewGuid()}", PremiumApi.Draft())
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await owner.Client.GetAsync($"/api/premium/{Guid.NewGuid()}").ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync("/api/premium/not-a-guid")).StatusCode);

        var mine = await (await owner.Client.GetAsync("/api/premium/mine")).JsonAsync();
        Assert.Equal([draft, published], mine.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        var drafts = await (await owner.Client.GetAsync("/api/premium/mine?status=draft")).JsonAsync();
        Assert.Equal(draft, Assert.Single(drafts.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        await owner.Client.GetAsync("/api/premium/mine?status=deleted")
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Empty((await (await other.Client.GetAsync("/api/premium/mine")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Deleted_content_is_gone_for_everyone_but_its_buyers_and_stays_in_their_list()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync();
        var buyer = await app.RegisterAsync();
        var late = await app.RegisterAsync();
        await app.FundAsync(buyer, 50_000);
        await app.FundAsync(late, 50_000);
        var id = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(id)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await creator.Client.DeleteAsync($"/api/premium/{id}")).StatusCode);

        foreach (var who in new[] { creator, late })
        {
            await who.Client.GetAsync($"/api/premium/{id}").ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        }

        Assert.Equal(HttpStatusCode.OK, (await buyer.Client.GetAsync($"/api/premium/{id}")).StatusCode); // buyers keep what they paid for

        await late.UnlockAsync(id).ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        await late.Client.PostAsync($"/api/premium/{id}/unlock", null).ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        await creator.Client.PutAsJsonAsync($"/api/premium/{id}", PremiumApi.Draft())
            .ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        await creator.Client.DeleteAsync($"/api/premium/{id}").ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        Assert.Equal(50_000, await app.BalanceAsync(late.UserId));
        Assert.Empty((await (await creator.Client.GetAsync("/api/premium/mine")).JsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await late.Client.GetAsync($"/api/premium/browse?creator={creator.UserId}")).JsonAsync())
            .GetProperty("items").EnumerateArray());

        var bought = Assert.Single((await (await buyer.Client.GetAsync("/api/premium/unlocked")).JsonAsync()).GetProperty("items")
            .EnumerateArray());
        Assert.Equal(id, bought.GetProperty("content").GetProperty("id").GetGuid());
        Assert.True(bought.GetProperty("content").GetProperty("deleted").GetBoolean());
        Assert.Equal(10_000, bought.GetProperty("pricePaid").GetInt64());

        var audit = await (await admin.Client.GetAsync($"/api/admin/audit?entityType=premium_content&entityId={id}")).JsonAsync();
        Assert.Equal("premium.delete", Assert.Single(audit.GetProperty("items").EnumerateArray()).GetProperty("action").GetString());
    }

    [Fact]
    public async Task A_deleted_draft_stays_unknown_to_others()
    {
        var creator = await app.CreatorAsync();
        var other = await app.RegisterAsync();
        var id = await creator.CreateContentAsync(publish: false);
        Assert.Equal(HttpStatusCode.NoContent, (await creator.Client.DeleteAsync($"/api/premium/{id}")).StatusCode);

        await other.Client.GetAsync($"/api/premium/{id}").ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await creator.Client.GetAsync($"/api/premium/{id}").ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
    }

}

public sealed class ContentTestsOnPostgres(App<Postgres, PremiumSettings> app) : ContentTests<App<Postgres, PremiumSettings>>(app);

public sealed class ContentTestsOnSqlite(App<Sqlite, PremiumSettings> app) : ContentTests<App<Sqlite, PremiumSettings>>(app);
