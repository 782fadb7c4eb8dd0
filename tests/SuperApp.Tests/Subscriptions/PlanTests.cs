using System.Net;
using System.Net.Http.Json;
using SuperApp.Features.Users;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Subscriptions;

public abstract class PlanTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static readonly string[] Untrimmed = ["  Behind the scenes ", "Q&A"];

    [Fact]
    public async Task A_creator_sets_replaces_and_publishes_plans()
    {
        var creator = await app.CreatorAsync(("yearly", 1_000_000), ("monthly", 100_000), ("quarterly", 270_000));
        var viewer = await app.RegisterAsync();

        var plans = await (await viewer.Client.GetAsync($"/api/subscription/plans/{creator.UserId}")).JsonAsync();
        Assert.Equal(creator.UserId, plans.GetProperty("creatorId").GetGuid());
        var items = plans.GetProperty("plans").EnumerateArray().ToList();
        Assert.Equal(["monthly", "quarterly", "yearly"], items.Select(p => p.GetProperty("plan").GetString()));
        Assert.Equal([30, 90, 365], items.Select(p => p.GetProperty("durationDays").GetInt32()));
        Assert.Equal([100_000L, 270_000, 1_000_000], items.Select(p => p.GetProperty("price").GetInt64()));
        Assert.Equal("IDR", items[0].GetProperty("currency").GetString());

        var replaced = await creator.Client.PutAsJsonAsync("/api/subscription/plans",
            new { plans = new[] { new { plan = "Monthly", price = 150_000, benefits = Untrimmed } } });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var only = Assert.Single((await replaced.JsonAsync()).GetProperty("plans").EnumerateArray());
        Assert.Equal(150_000, only.GetProperty("price").GetInt64());
        Assert.Equal(["Behind the scenes", "Q&A"], only.GetProperty("benefits").EnumerateArray().Select(b => b.GetString()));
        Assert.Single((await (await viewer.Client.GetAsync($"/api/subscription/plans/{creator.UserId}")).JsonAsync())
            .GetProperty("plans").EnumerateArray());

        var none = await creator.Client.PutAsJsonAsync("/api/subscription/plans", new { plans = Array.Empty<object>() });
        Assert.Empty((await none.JsonAsync()).GetProperty("plans").EnumerateArray());
    }

    [Fact]
    public async Task Plan_changes_are_refused_with_reasons()
    {
        var creator = await app.CreatorAsync(("monthly", 50_000));
        var user = await app.RegisterAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await user.SetPlansAsync(("monthly", 50_000))).StatusCode);
        await creator.SetPlansAsync(("weekly", 50_000)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await creator.SetPlansAsync(("monthly", 50_000), ("monthly", 60_000))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await creator.SetPlansAsync(("monthly", 999)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        await creator.SetPlansAsync(("yearly", 50_000_001)).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        await creator.Client.PutAsJsonAsync("/api/subscription/plans", new { })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await creator.Client.PutAsJsonAsync("/api/subscription/plans",
            new { plans = new[] { new { plan = "monthly", price = 50_000, benefits = Enumerable.Repeat("x", 11) } } })
                .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await creator.Client.PutAsJsonAsync("/api/subscription/plans",
            new { plans = new[] { new { plan = "monthly", price = 50_000, benefits = new[] { new string('x', 201) } } } })
                .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");

        // Nothing above changed the plan that was there.
        var plans = await (await user.Client.GetAsync($"/api/subscription/plans/{creator.UserId}")).JsonAsync();
        Assert.Equal(50_000, Assert.Single(plans.GetProperty("plans").EnumerateArray()).GetProperty("price").GetInt64());

        await user.Client.GetAsync($"/api/subscription/plans/{Guid.NewGuid()}")
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "CREATOR_NOT_FOUND");
        await creator.Client.GetAsync($"/api/subscription/plans/{user.UserId}")
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "CREATOR_NOT_FOUND");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync($"/api/subscription/plans/{creator.UserId}"))
            .StatusCode);
    }

    [Fact]
    public async Task Admins_may_offer_plans_too()
    {
        var admin = await app.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.SetPlansAsync(("monthly", 10_000))).StatusCode);
        var demoted = await app.WithRoleAsync(admin, Role.User);
        Assert.Equal(HttpStatusCode.Forbidden, (await demoted.SetPlansAsync(("monthly", 10_000))).StatusCode);
    }
}

public sealed class PlanTestsOnPostgres(App<Postgres, Defaults> app) : PlanTests<App<Postgres, Defaults>>(app);

public sealed class PlanTestsOnSqlite(App<Sqlite, Defaults> app) : PlanTests<App<Sqlite, Defaults>>(app);
