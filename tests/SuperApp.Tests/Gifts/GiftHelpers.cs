using System.Net.Http.Json;
using SuperApp.Features.Users;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Gifts;

public static class GiftHelpers
{
    public static async Task<Session> CreatorAsync(this AppFixture app) => await app.WithRoleAsync(await app.RegisterAsync(), Role.Creator);

    public static Task<HttpResponseMessage> GiftAsync(this Session from, Guid to, string giftType, int quantity = 1, string? message = null) =>
        from.Client.PostAsJsonAsync("/api/gift/send", new { recipientId = to, giftType, quantity, message });
}
