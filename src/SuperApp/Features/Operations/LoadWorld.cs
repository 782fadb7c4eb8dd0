namespace SuperApp.Features.Operations;

/// <summary>
/// The load test's accounts and what they act on: N users of the chosen tier, funded by the admin
/// credit, and (for the mix) one creator with a published post and a monthly plan.
/// </summary>
public sealed class LoadWorld
{
    private readonly ApiClient _api;
    private readonly List<TestAccount> _users;
    private readonly TestAccount? _creator;
    private readonly Guid? _contentId;

    private LoadWorld(ApiClient api, List<TestAccount> users, TestAccount? creator, Guid? contentId)
    {
        (_api, _users, _creator, _contentId) = (api, users, creator, contentId);
    }

    public static async Task<LoadWorld> CreateAsync(ApiClient api, LoadTestOptions o, List<TestAccount> created, CancellationToken ct)
    {
        var admin = await api.LoginAsync(o.Target.AdminEmail, o.Target.AdminPassword, ct);
        var users = new List<TestAccount>();
        for (var i = 0; i < Math.Max(o.Users, 2); i++)
        {
            var user = await api.RegisterAsync("load", ct);
            created.Add(user);
            // Creators have their role's tier; plain users take free or premium.
            user = o.Tier == "creator" ? await api.SetAccessAsync(admin, user, null, "creator", ct)
                : o.Tier == "free" ? user : await api.SetAccessAsync(admin, user, o.Tier, null, ct);
            created[^1] = user;
            await api.CreditAsync(admin, user.Id, 50_000_000, ct);
            users.Add(user);
        }

        if (o.Scenario != LoadScenario.Mix)
        {
            return new LoadWorld(api, users, null, null);
        }

        var creator = await api.SetAccessAsync(admin, await api.RegisterAsync("loadcreator", ct), null, "creator", ct);
        created.Add(creator);
        var (_, content) = await api.SendAsync(HttpMethod.Post, "api/premium", creator.AccessToken,
            new { title = "Load test post", category = "other", price = 10_000 }, ct: ct);
        var contentId = content.GetProperty("id").GetGuid();
        await api.SendAsync(HttpMethod.Post, $"api/premium/{contentId}/publish", creator.AccessToken, ct: ct);
        await api.SendAsync(HttpMethod.Put, "api/subscription/plans", creator.AccessToken,
            new { plans = new[] { new { plan = "monthly", price = 5_000 } } }, ct: ct);
        return new LoadWorld(api, users, creator, contentId);
    }

    /// <summary>Sends request <paramref name="index"/> as one of the users in turn; the HTTP status, 0 when none came back.</summary>
    public async Task<int> SendAsync(string operation, int index, CancellationToken ct)
    {
        var user = _users[index % _users.Count];
        var other = _users[(index + 1) % _users.Count];
        var token = user.AccessToken;
        try
        {
            return operation switch
            {
                "balance" => await _api.StatusAsync(HttpMethod.Get, "api/wallet/balance", token, null, ct),
                "transactions" => await _api.StatusAsync(HttpMethod.Get, "api/wallet/transactions?limit=20", token, null, ct),
                "browse" => await _api.StatusAsync(HttpMethod.Get, "api/premium/browse?limit=20", token, null, ct),
                "leaderboard" => await _api.StatusAsync(HttpMethod.Get, "api/gift/leaderboard?period=day&board=receivers", token, null, ct),
                "content" => await _api.StatusAsync(HttpMethod.Get, $"api/premium/{_contentId}", token, null, ct),
                "subscription check" => await _api.StatusAsync(HttpMethod.Get, $"api/subscription/check/{_creator!.Id}", token, null, ct),
                "transfer" => await _api.StatusAsync(HttpMethod.Post, "api/wallet/transfer", token, new { toUserId = other.Id,
                    amount = 100 }, ct),
                "gift" => await _api.StatusAsync(HttpMethod.Post, "api/gift/send", token,
                    new { recipientId = (_creator ?? other).Id, giftType = "rose", quantity = 1 }, ct),
                _ => throw new InvalidOperationException("unknown operation " + operation),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return 0;
        }
    }
}
