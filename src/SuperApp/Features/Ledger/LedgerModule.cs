using Microsoft.Extensions.Options;

namespace SuperApp.Features.Ledger;

public static class LedgerModule
{
    public static IServiceCollection AddLedger(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RevenueOptions>().Bind(config.GetSection(RevenueOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RevenueOptions>, RevenueOptionsValidator>();
        services.AddScoped<LedgerPoster>();
        return services;
    }

    public static RouteGroupBuilder MapLedgerAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/ledger/verify", VerifyLedger.Handle).WithName("AdminVerifyLedger");
        return admin;
    }
}
