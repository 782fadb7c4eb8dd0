using SuperApp.Platform.Auth;

namespace SuperApp.Features.Creators;

public static class CreatorsModule
{
    public static IServiceCollection AddCreators(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<CreatorsOptions>().Bind(config.GetSection(CreatorsOptions.Section))
            .Validate(o => o.SettlementInterval > TimeSpan.Zero, "Creators:SettlementInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SettlementMetrics>();
        services.AddScoped<RevenueSettlement>();
        services.AddHostedService<SettlementJob>();
        return services;
    }

    public static IEndpointRouteBuilder MapCreators(this IEndpointRouteBuilder app)
    {
        var creator = app.MapGroup("/api/creator").WithTags("Creators").RequireAuthorization(AuthSetup.CreatorPolicy);
        creator.MapGet("/revenue", GetRevenue.Handle).WithName("GetCreatorRevenue");
        creator.MapGet("/revenue/history", RevenueHistory.Handle).WithName("GetCreatorRevenueHistory");
        creator.MapGet("/revenue/chart", RevenueChart.Handle).WithName("GetCreatorRevenueChart");
        return app;
    }

    public static RouteGroupBuilder MapCreatorsAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/revenue/settle", SettleRevenue.Handle).WithName("AdminSettleRevenue");
        return admin;
    }
}
