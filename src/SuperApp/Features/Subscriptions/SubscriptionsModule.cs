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
        group.MapPut("/plans", SetPlans.Handle).RequireAuthorization(AuthSetup.CreatorPolicy).WithName("SetSubscriptionPlans")
            .WithSummary("Set the creator's subscription plans").ProducesProblem(409).ProducesProblem(422);
        group.MapGet("/plans/{creatorId:guid}", GetPlans.Handle).WithName("GetSubscriptionPlans")
            .WithSummary("A creator's subscription plans");
        group.MapPost("/subscribe", Subscribe.Handle).WithName("Subscribe").WithSummary("Subscribe to a creator")
            .ProducesProblem(404).RequireIdempotency();
        group.MapPost("/{id:guid}/cancel", CancelSubscription.Cancel).WithName("CancelSubscription")
            .WithSummary("Cancel a subscription at the end of its period");
        group.MapPost("/{id:guid}/renew", RenewSubscription.Handle).WithName("RenewSubscription")
            .WithSummary("Pay for one more subscription period now").RequireIdempotency();
        group.MapPut("/{id:guid}/auto-renew", CancelSubscription.SetAutoRenew).WithName("SetSubscriptionAutoRenew")
            .WithSummary("Turn automatic renewal on or off");
        group.MapGet("/mine", ListSubscriptions.Mine).WithName("ListMySubscriptions").WithSummary("The caller's subscriptions");
        group.MapGet("/check/{creatorId:guid}", CheckAccess.Handle).WithName("CheckSubscription")
            .WithSummary("Whether the caller has subscriber access to a creator");
        group.MapGet("/subscribers", ListSubscriptions.Subscribers).RequireAuthorization(AuthSetup.CreatorPolicy)
            .WithName("ListSubscribers")
            .WithSummary("The creator's subscribers");
        return app;
    }
}
