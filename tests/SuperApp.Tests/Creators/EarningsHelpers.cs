using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Creators;

/// <summary>Creator earnings arranged the way the unlock and subscription features post them: a payer's wallet split between creator and
/// platform.</summary>
public static class EarningsHelpers
{
    public static Task EarnAsync(this AppFixture app, TransactionKind kind, Guid payer, Guid creator, long creatorShare,
        long platformFee) =>
        app.PostAsync(new PostingRequest(kind, creatorShare + platformFee,
        [
            new Posting(AccountRef.Wallet(payer), -(creatorShare + platformFee)),
            new Posting(AccountRef.Earnings(creator), creatorShare),
            new Posting(AccountRef.System(AccountKind.PlatformRevenue), platformFee),
        ]));

    public static async Task<JsonElement> GetJsonAsync(this Session s, string path)
    {
        var response = await s.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    public static async Task<JsonElement> SettleAsync(this Session admin, Guid? creatorId = null, bool dryRun = false)
    {
        var response = await admin.Client.PostAsJsonAsync("/api/admin/revenue/settle", new { creatorId, dryRun });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>What a settlement report paid one creator (0 when it is not listed).</summary>
    public static long PaidTo(this JsonElement report, Guid creatorId) => report.GetProperty("items").EnumerateArray()
        .Where(i => i.GetProperty("creatorId").GetGuid() == creatorId && i.GetProperty("error").ValueKind == JsonValueKind.Null)
        .Sum(i => i.GetProperty("amount").GetInt64());

    public static (long Pending, long Settled, long Lifetime, long Unlocks, long Subscriptions, long Gifts) Revenue(this JsonElement r) => (
        r.GetProperty("pending").GetInt64(), r.GetProperty("settled").GetInt64(), r.GetProperty("lifetime").GetInt64(),
        r.GetProperty("bySource").GetProperty("unlocks").GetInt64(), r.GetProperty("bySource").GetProperty("subscriptions").GetInt64(),
        r.GetProperty("bySource").GetProperty("gifts").GetInt64());
}
