using System.Net.Http.Json;
using SuperApp.Features.Users;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Platform;

/// <summary>One representative request per documented operation, run in order against one set of users.</summary>
public sealed class OpenApiRequests(AppFixture app)
{
    private static readonly Guid Unknown = Guid.CreateVersion7();
    private readonly Dictionary<string, Guid> _ids = [];
    private Session _user = null!, _other = null!, _creator = null!, _admin = null!;
    private string _phone = "";

    public static string Phone() => "+1555" + Random.Shared.Next(1_000_000, 9_999_999);

    public async Task ArrangeAsync()
    {
        _phone = Phone();
        _user = await app.RegisterAsync(_phone);
        _other = await app.RegisterAsync();
        _admin = await app.AdminAsync();
        _creator = await app.WithRoleAsync(await app.RegisterAsync(), Role.Creator);
        await app.FundAsync(_user, 1_000_000);
        _ids["content"] = await CreateContentAsync();
        Assert.True((await _creator.Client.PostAsync($"/api/premium/{_ids["content"]}/publish", null)).IsSuccessStatusCode);
        _ids["topup"] = (await app.CreateTopupAsync(_user, 10_000)).Id;
    }

    private async Task<Guid> CreateContentAsync()
    {
        var created = await _creator.Client.PostAsJsonAsync("/api/premium", Content);
        return (await created.JsonAsync()).GetProperty("id").GetGuid();
    }

    private static object Content => new { title = "A lesson", category = "education", price = 1_000, subscriberOnly = false };

    private async Task<HttpResponseMessage> Keep(string key, HttpResponseMessage response, Func<System.Text.Json.JsonElement, Guid> id)
    {
        if (response.IsSuccessStatusCode)
        {
            _ids[key] = id(await response.JsonAsync());
        }

        return response;
    }

    private Task<Session> Fresh() => app.RegisterAsync();

    /// <summary>(operation id, what the request shows, the request). Several rows may exercise one operation.</summary>
    public IEnumerable<(string Operation, string Case, Func<Task<HttpResponseMessage>> Send)> Rows()
    {
        var anonymous = app.CreateUserClient();
        var name = "n" + Guid.NewGuid().ToString("N")[..12];
        yield return ("Register", "new account", () => anonymous.PostAsJsonAsync("/api/auth/register",
            new { email = $"{name}@example.com", username = name, password = Api.Password }));
        yield return ("Register", "invalid body", () =>
            anonymous.PostAsJsonAsync("/api/auth/register", new { email = "x", username = "!", password = "" }));
        yield return ("Login", "right password", () =>
            anonymous.PostAsJsonAsync("/api/auth/login", new { login = _user.Username, password = Api.Password }));
        yield return ("Login", "wrong password", () =>
            anonymous.PostAsJsonAsync("/api/auth/login", new { login = _other.Username, password = "wrong-password!" }));
        yield return ("Refresh", "fresh token", async () =>
            await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = (await Fresh()).RefreshToken }));
        yield return ("Logout", "fresh token", async () =>
            await anonymous.PostAsJsonAsync("/api/auth/logout", new { refreshToken = (await Fresh()).RefreshToken }));
        yield return ("SendOtp", "known phone", () => anonymous.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = _phone }));
        yield return ("VerifyOtp", "the code sent", () => anonymous.PostAsJsonAsync("/api/auth/otp/verify",
            new { phoneNumber = _phone, code = app.Sms.LastCodeFor(_phone) ?? "000000" }));
        yield return ("ChangePassword", "fresh session", async () => await (await Fresh()).Client.PostAsJsonAsync("/api/users/me/password",
            new { currentPassword = Api.Password, newPassword = "another-horse-battery" }));
        yield return ("ListSessions", "own", () => _user.Client.GetAsync("/api/users/me/sessions"));
        yield return ("RevokeSession", "unknown", () => _user.Client.DeleteAsync($"/api/users/me/sessions/{Unknown}"));

        yield return ("CreateConversation", "direct", async () => await Keep("conversation",
            await _user.Client.PostAsJsonAsync("/api/chat/conversations",
                new { memberIds = new[] { _other.UserId } }), b => b.GetProperty("id").GetGuid()));
        yield return ("ListConversations", "own", () => _user.Client.GetAsync("/api/chat/conversations"));
        yield return ("PostMessage", "member", async () => await Keep("message", await _user.Client.PostAsJsonAsync(
            $"/api/chat/conversations/{Conversation}/messages", new { clientMessageId = Guid.NewGuid().ToString(), text = "hi" }),
            b => b.GetProperty("id").GetGuid()));
        yield return ("PostMessage", "not a member", () => _admin.Client.PostAsJsonAsync(
            $"/api/chat/conversations/{Conversation}/messages", new { clientMessageId = "x", text = "hi" }));
        yield return ("ListMessages", "member", () => _other.Client.GetAsync($"/api/chat/conversations/{Conversation}/messages"));
        yield return ("MarkConversationRead", "member", () => _other.Client.PostAsJsonAsync(
            $"/api/chat/conversations/{Conversation}/read", new { messageId = _ids.GetValueOrDefault("message", Unknown) }));
        yield return ("CreateRealtimeTicket", "own", () => _user.Client.PostAsync("/api/realtime/ticket", null));
        yield return ("ListRealtimeEvents", "from the start", () => _user.Client.GetAsync("/api/realtime/events?after=0"));
        yield return ("GetPresence", "another user", () => _user.Client.GetAsync($"/api/users/{_other.UserId}/presence"));
        yield return ("BlockUser", "another user", () => _other.Client.PostAsync($"/api/users/{_admin.UserId}/block", null));
        yield return ("UnblockUser", "another user", () => _other.Client.DeleteAsync($"/api/users/{_admin.UserId}/block"));

        yield return ("GetMe", "own", () => _user.Client.GetAsync("/api/users/me"));
        yield return ("GetMe", "no token", () => anonymous.GetAsync("/api/users/me"));
        yield return ("UpdateMe", "display name", () => _user.Client.PatchAsJsonAsync("/api/users/me", new { displayName = "Someone" }));
        yield return ("DeleteMe", "fresh user", async () => await (await Fresh()).Client.DeleteAsync("/api/users/me"));
        yield return ("ExportMe", "own", () => _user.Client.GetAsync("/api/users/me/export"));
        yield return ("BecomeCreator", "fresh user", async () => await (await Fresh()).Client.PostAsync("/api/users/me/creator", null));
        var newPhone = Phone();
        yield return ("StartPhoneChange", "new number", () =>
            _other.Client.PostAsJsonAsync("/api/users/me/phone", new { phoneNumber = newPhone }));
        yield return ("VerifyPhoneChange", "the code sent", () => _other.Client.PostAsJsonAsync("/api/users/me/phone/verify",
            new { code = app.Sms.LastCodeFor(newPhone) ?? "000000" }));
        yield return ("GetUser", "a creator", () => _user.Client.GetAsync($"/api/users/{_creator.UserId}"));

        yield return ("GetBalance", "own", () => _user.Client.GetAsync("/api/wallet/balance"));
        yield return ("CreateTopup", "sandbox", () =>
            _user.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 10_000, provider = "sandbox" }));
        yield return ("Transfer", "no note", () =>
            _user.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = _other.UserId, amount = 100 }));
        yield return ("Transfer", "no key", () => app.CreateDefaultClient().SendAsync(Bearer(HttpMethod.Post, "/api/wallet/transfer", _user,
            new { toUserId = _other.UserId, amount = 100 })));
        yield return ("Transfer", "too much", () =>
            _user.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = _other.UserId, amount = 900_000_000 }));
        yield return ("Withdraw", "to a bank", () => _user.Client.PostAsJsonAsync("/api/wallet/withdraw",
            new { amount = 50_000, bankAccount = new { bankName = "Bank", accountNumber = "12345678", accountName = "Someone" } }));
        yield return ("ListMyTopups", "own", () => _user.Client.GetAsync("/api/wallet/topups"));
        yield return ("GetTopup", "own", () => _user.Client.GetAsync($"/api/wallet/topups/{_ids["topup"]}"));
        yield return ("ListMyWithdrawals", "own", () => _user.Client.GetAsync("/api/wallet/withdrawals"));
        yield return ("GetWithdrawal", "unknown", () => _user.Client.GetAsync($"/api/wallet/withdrawals/{Unknown}"));
        yield return ("ListTransactions", "own", () => _user.Client.GetAsync("/api/wallet/transactions?limit=5"));
        yield return ("ListTransactions", "bad cursor", () => _user.Client.GetAsync("/api/wallet/transactions?cursor=%%%"));
        yield return ("GetTransaction", "unknown", () => _user.Client.GetAsync($"/api/wallet/transactions/{Unknown}"));
        yield return ("PaymentWebhook", "paid", async () =>
            await app.SendWebhookAsync((await app.CreateTopupAsync(_user, 10_000)).Reference, "paid", 10_000));
        yield return ("PaymentWebhook", "bad signature", async () =>
            await app.SendWebhookAsync((await app.CreateTopupAsync(_user, 10_000)).Reference, "paid", 10_000, "t=1,v1=00"));
        yield return ("SandboxPay", "own top-up", async () =>
            await _user.Client.PostAsync($"/api/payments/sandbox/{(await app.CreateTopupAsync(_user, 10_000)).Id}/pay", null));

        yield return ("SetSubscriptionPlans", "monthly", () => _creator.Client.PutAsJsonAsync("/api/subscription/plans",
            new { plans = new[] { new { plan = "monthly", price = 1_000 } } }));
        yield return ("GetSubscriptionPlans", "a creator", () => _user.Client.GetAsync($"/api/subscription/plans/{_creator.UserId}"));
        yield return ("Subscribe", "monthly", async () => await Keep("subscription",
            await _user.Client.PostAsJsonAsync("/api/subscription/subscribe", new { creatorId = _creator.UserId, plan = "monthly" }),
            b => b.GetProperty("subscription").GetProperty("subscriptionId").GetGuid()));
        yield return ("RenewSubscription", "one more period", () =>
            _user.Client.PostAsJsonAsync($"/api/subscription/{Sub}/renew", new { }));
        yield return ("SetSubscriptionAutoRenew", "on", () =>
            _user.Client.PutAsJsonAsync($"/api/subscription/{Sub}/auto-renew", new { autoRenew = true }));
        yield return ("CancelSubscription", "own", () => _user.Client.PostAsync($"/api/subscription/{Sub}/cancel", null));
        yield return ("ListMySubscriptions", "own", () => _user.Client.GetAsync("/api/subscription/mine"));
        yield return ("CheckSubscription", "a creator", () => _user.Client.GetAsync($"/api/subscription/check/{_creator.UserId}"));
        yield return ("ListSubscribers", "creator", () => _creator.Client.GetAsync("/api/subscription/subscribers"));

        yield return ("CreatePremiumContent", "draft", async () => await Keep("draft",
            await _creator.Client.PostAsJsonAsync("/api/premium", Content), b => b.GetProperty("id").GetGuid()));
        yield return ("CreatePremiumContent", "not a creator", () => _user.Client.PostAsJsonAsync("/api/premium", Content));
        yield return ("UpdatePremiumContent", "draft", () => _creator.Client.PutAsJsonAsync($"/api/premium/{_ids["draft"]}", Content));
        yield return ("PublishPremiumContent", "draft", () => _creator.Client.PostAsync($"/api/premium/{_ids["draft"]}/publish", null));
        yield return ("UnpublishPremiumContent", "published", () =>
            _creator.Client.PostAsync($"/api/premium/{_ids["draft"]}/unpublish", null));
        yield return ("UploadPremiumMedia", "png", () => Upload(_ids["draft"]));
        yield return ("DeletePremiumContent", "draft", () => _creator.Client.DeleteAsync($"/api/premium/{_ids["draft"]}"));
        yield return ("BrowsePremiumContent", "all", () => _user.Client.GetAsync("/api/premium/browse"));
        yield return ("ListMyPremiumContent", "creator", () => _creator.Client.GetAsync("/api/premium/mine"));
        yield return ("GetPremiumContent", "published", () => _user.Client.GetAsync($"/api/premium/{_ids["content"]}"));
        yield return ("GetPremiumAccess", "not bought", () => _user.Client.GetAsync($"/api/premium/{_ids["content"]}/access"));
        yield return ("UnlockPremiumContent", "published", () =>
            _user.Client.PostAsJsonAsync("/api/premium/unlock", new { contentId = _ids["content"] }));
        yield return ("UnlockPremiumContentById", "again", () => _user.Client.PostAsync($"/api/premium/{_ids["content"]}/unlock", null));
        yield return ("GetPremiumMedia", "no media", () => _user.Client.GetAsync($"/api/premium/{_ids["content"]}/media"));
        yield return ("ListUnlockedPremiumContent", "bought", () => _user.Client.GetAsync("/api/premium/unlocked"));

        yield return ("ListGiftTypes", "catalogue", () => _user.Client.GetAsync("/api/gift/types"));
        yield return ("SendGift", "a rose", () => _user.Client.PostAsJsonAsync("/api/gift/send",
            new { recipientId = _creator.UserId, giftType = "rose", quantity = 1, message = (string?)null }));
        yield return ("GiftLeaderboard", "week", () => _user.Client.GetAsync("/api/gift/leaderboard?period=week&board=receivers"));
        yield return ("ListSentGifts", "own", () => _user.Client.GetAsync("/api/gift/sent"));
        yield return ("ListReceivedGifts", "creator", () => _creator.Client.GetAsync("/api/gift/received"));

        yield return ("GetCreatorRevenue", "creator", () => _creator.Client.GetAsync("/api/creator/revenue"));
        yield return ("GetCreatorRevenue", "not a creator", () => _user.Client.GetAsync("/api/creator/revenue"));
        yield return ("GetCreatorRevenueHistory", "creator", () => _creator.Client.GetAsync("/api/creator/revenue/history"));
        yield return ("GetCreatorRevenueChart", "creator", () => _creator.Client.GetAsync("/api/creator/revenue/chart"));

        yield return ("AdminListUsers", "all", () => _admin.Client.GetAsync("/api/admin/users"));
        yield return ("AdminUpdateUser", "tier", async () =>
            await _admin.Client.PatchAsJsonAsync($"/api/admin/users/{(await Fresh()).UserId}", new { tier = "premium" }));
        yield return ("AdminQueryAudit", "by actor", () => _admin.Client.GetAsync($"/api/admin/audit?actorId={_admin.UserId}"));
        yield return ("AdminVerifyLedger", "now", () => _admin.Client.GetAsync("/api/admin/ledger/verify"));
        yield return ("AdminFreezeWallet", "a user", () =>
            _admin.Client.PostAsJsonAsync($"/api/admin/wallets/{_other.UserId}/freeze", new { reason = "review" }));
        yield return ("AdminUnfreezeWallet", "a user", () =>
            _admin.Client.PostAsJsonAsync($"/api/admin/wallets/{_other.UserId}/unfreeze", new { reason = "ok" }));
        yield return ("AdminCreditWallet", "a user", async () =>
            await _admin.Client.PostAsJsonAsync($"/api/admin/wallets/{(await Fresh()).UserId}/credit", new { amount = 10_000,
                reason = "goodwill" }));
        yield return ("AdminListWithdrawals", "all", () => _admin.Client.GetAsync("/api/admin/withdrawals"));
        yield return ("AdminApproveWithdrawal", "unknown", () =>
            _admin.Client.PostAsync($"/api/admin/withdrawals/{Unknown}/approve", null));
        yield return ("AdminRejectWithdrawal", "unknown", () =>
            _admin.Client.PostAsJsonAsync($"/api/admin/withdrawals/{Unknown}/reject", new { reason = "no" }));
        yield return ("AdminListTopups", "held", () => _admin.Client.GetAsync("/api/admin/topups?status=held"));
        yield return ("AdminReleaseTopup", "unknown", () =>
            _admin.Client.PostAsJsonAsync($"/api/admin/topups/{Unknown}/release", new { reason = "ok" }));
        yield return ("AdminRefundTopup", "unknown", () =>
            _admin.Client.PostAsJsonAsync($"/api/admin/topups/{Unknown}/refund", new { reason = "no" }));
        yield return ("AdminSettleRevenue", "dry run", () =>
            _admin.Client.PostAsJsonAsync("/api/admin/revenue/settle", new { dryRun = true }));
        yield return ("AdminGetTransaction", "unknown", () => _admin.Client.GetAsync($"/api/admin/transactions/{Unknown}"));
        yield return ("AdminRefundTransaction", "unknown", () =>
            _admin.Client.PostAsJsonAsync($"/api/admin/transactions/{Unknown}/refund", new { reason = "x" }));
        yield return ("AdminListUsers", "not an admin", () => _user.Client.GetAsync("/api/admin/users"));
    }

    private Guid Sub => _ids.GetValueOrDefault("subscription", Unknown);

    private Guid Conversation => _ids.GetValueOrDefault("conversation", Unknown);

    private Task<HttpResponseMessage> Upload(Guid id)
    {
        var file = new ByteArrayContent([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4]);
        file.Headers.ContentType = new("image/png");
        return _creator.Client.PostAsync($"/api/premium/{id}/media", new MultipartFormDataContent { { file, "file", "a.png" } });
    }

    private static HttpRequestMessage Bearer(HttpMethod method, string path, Session s, object body) =>
        new(method, path) { Content = JsonContent.Create(body), Headers = { Authorization = new("Bearer", s.AccessToken) } };
}
