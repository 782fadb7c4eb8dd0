using System.Net.Http.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Gifts;

public static class GiftHelpers
{

    public static Task<HttpResponseMessage> GiftAsync(this Session from, Guid to, string giftType, int quantity = 1,
        string? message = null) =>
        from.Client.PostAsJsonAsync("/api/gift/send", new { recipientId = to, giftType, quantity, message });
}
