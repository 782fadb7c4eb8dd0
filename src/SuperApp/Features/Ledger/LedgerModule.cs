namespace SuperApp.Features.Ledger;

public static class LedgerModule
{
    public static IServiceCollection AddLedger(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RevenueOptions>().Bind(config.GetSection(RevenueOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RevenueOptions>, RevenueOptionsValidator>();
        services.AddOptions<LedgerOptions>().Bind(config.GetSection(LedgerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<LedgerPoster>();
        services.AddOptions<FraudOptions>().Bind(config.GetSection(FraudOptions.Section))
            .Validate(o => o.Velocity.Values.All(v => v.PerMinute >= 0 && v.PerHour >= 0) && o.DailySpendLimit.Values.All(v => v >= 0),
                "Fraud limits must not be negative (0 = no limit).")
            .ValidateOnStart();
        services.AddScoped<SpendGuard>();
        services.AddHostedService<LedgerVerifyJob>();
        return services;
    }

    public static RouteGroupBuilder MapLedgerAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/ledger/verify", VerifyLedger.Handle).WithName("AdminVerifyLedger").WithSummary("Check the ledger's invariants");
        return admin;
    }
}
