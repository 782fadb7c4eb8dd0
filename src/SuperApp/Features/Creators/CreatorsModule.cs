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
        creator.MapGet("/revenue", GetRevenue.Handle).WithName("GetCreatorRevenue")
            .WithSummary("The creator's pending, settled and lifetime revenue");
        creator.MapGet("/revenue/history", RevenueHistory.Handle).WithName("GetCreatorRevenueHistory")
            .WithSummary("The creator's revenue statement");
        creator.MapGet("/revenue/chart", RevenueChart.Handle).WithName("GetCreatorRevenueChart")
            .WithSummary("The creator's revenue per month and source");
        return app;
    }

    public static RouteGroupBuilder MapCreatorsAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/revenue/settle", SettleRevenue.Handle).WithName("AdminSettleRevenue").WithSummary("Settle creator earnings now")
            .ProducesProblem(404);
        return admin;
    }
}
