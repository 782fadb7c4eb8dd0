using SuperApp.Platform.Auth;
using SuperApp.Platform.Idempotency;
using SuperApp.Platform.RateLimiting;

namespace SuperApp.Features.Subscriptions;

public static class SubscriptionsModule
{
    public static IServiceCollection AddSubscriptions(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SubscriptionOptions>().Bind(config.GetSection(SubscriptionOptions.Section))
            .Validate(o => o.IsValid, "Subscriptions: JobInterval must be positive and RenewalBatchSize 1-10000.")
            .ValidateOnStart();
        services.AddScoped<SubscriptionBilling>();
        services.AddHostedService<SubscriptionRenewalJob>();
        services.AddHostedService<SubscriptionExpiryJob>();
        return services;
    }

    public static IEndpointRouteBuilder MapSubscriptions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/subscription").WithTags("Subscriptions").RequireAuthorization().RequireTierRateLimit();
        group.MapPut("/plans", SetPlans.Handle).RequireAuthorization(AuthSetup.CreatorPolicy).WithName("SetSubscriptionPlans");
        group.MapGet("/plans/{creatorId:guid}", GetPlans.Handle).WithName("GetSubscriptionPlans");
        group.MapPost("/subscribe", Subscribe.Handle).WithName("Subscribe").RequireIdempotency();
        group.MapPost("/{id:guid}/cancel", CancelSubscription.Cancel).WithName("CancelSubscription");
        group.MapPost("/{id:guid}/renew", RenewSubscription.Handle).WithName("RenewSubscription").RequireIdempotency();
        group.MapPut("/{id:guid}/auto-renew", CancelSubscription.SetAutoRenew).WithName("SetSubscriptionAutoRenew");
        group.MapGet("/mine", ListSubscriptions.Mine).WithName("ListMySubscriptions");
        group.MapGet("/check/{creatorId:guid}", CheckAccess.Handle).WithName("CheckSubscription");
        group.MapGet("/subscribers", ListSubscriptions.Subscribers).RequireAuthorization(AuthSetup.CreatorPolicy).WithName("ListSubscribers");
        return app;
    }
}
