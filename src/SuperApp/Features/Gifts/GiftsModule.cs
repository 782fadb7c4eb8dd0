using SuperApp.Platform.Idempotency;
using SuperApp.Platform.RateLimiting;

namespace SuperApp.Features.Gifts;

public static class GiftsModule
{
    public static IServiceCollection AddGifts(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<GiftOptions>().Bind(config.GetSection(GiftOptions.Section))
            .PostConfigure(o =>
            {
                if (o.Catalogue.Count == 0)
                {
                    o.Catalogue = [.. GiftOptions.DefaultCatalogue];
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GiftOptions>, GiftOptionsValidator>();
        return services;
    }

    public static IEndpointRouteBuilder MapGifts(this IEndpointRouteBuilder app)
    {
        var gift = app.MapGroup("/api/gift").WithTags("Gifts").RequireAuthorization().RequireTierRateLimit();
        gift.MapGet("/types", ListGiftTypes.Handle).WithName("ListGiftTypes").WithSummary("List the gift catalogue");
        gift.MapPost("/send", SendGift.Handle).WithName("SendGift").WithSummary("Send a gift to a user")
            .ProducesProblem(404).RequireIdempotency();
        gift.MapGet("/leaderboard", GetLeaderboard.Handle).WithName("GiftLeaderboard").WithSummary("The gift leaderboard for a period");
        gift.MapGet("/sent", ListGifts.Sent).WithName("ListSentGifts").WithSummary("Gifts the caller sent");
        gift.MapGet("/received", ListGifts.Received).WithName("ListReceivedGifts").WithSummary("Gifts the caller received");
        return app;
    }
}
