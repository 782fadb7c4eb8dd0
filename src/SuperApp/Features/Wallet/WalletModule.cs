using Microsoft.Extensions.Options;
using SuperApp.Platform.Idempotency;
using SuperApp.Platform.RateLimiting;

namespace SuperApp.Features.Wallet;

public static class WalletModule
{
    public static IServiceCollection AddWallet(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        services.AddOptions<PaymentsOptions>().Bind(config.GetSection(PaymentsOptions.Section))
            .Configure(o => o.SandboxEnabled ??= env.IsDevelopment())
            .ValidateDataAnnotations()
            .Validate(o => o.SandboxEnabled != true || env.IsDevelopment() || o.SandboxSecret != PaymentsOptions.DefaultSandboxSecret,
                "Payments:SandboxSecret must be changed from its default before the sandbox gateway is enabled outside Development.")
            .ValidateOnStart();
        services.AddSingleton<SandboxPaymentProvider>();
        if (config.GetValue<bool?>("Payments:SandboxEnabled") ?? env.IsDevelopment())
        {
            services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<SandboxPaymentProvider>());
        }

        services.AddScoped<TopupProcessor>();
        return services;
    }

    public static IEndpointRouteBuilder MapWallet(this IEndpointRouteBuilder app)
    {
        var wallet = app.MapGroup("/api/wallet").WithTags("Wallet").RequireAuthorization().RequireTierRateLimit();
        wallet.MapGet("/balance", GetBalance.Handle).WithName("GetBalance");
        wallet.MapPost("/topup", CreateTopup.Handle).WithName("CreateTopup").RequireIdempotency();
        wallet.MapPost("/transfer", Transfer.Handle).WithName("Transfer").RequireIdempotency();
        wallet.MapPost("/withdraw", RequestWithdrawal.Handle).WithName("Withdraw").RequireIdempotency();
        wallet.MapGet("/withdrawals", ListWithdrawals.Mine).WithName("ListMyWithdrawals");
        wallet.MapGet("/transactions", ListTransactions.Handle).WithName("ListTransactions");
        wallet.MapGet("/transactions/{id:guid}", GetTransaction.Handle).WithName("GetTransaction");

        var payments = app.MapGroup("/api/payments").WithTags("Payments");
        payments.MapPost("/webhooks/{provider}", PaymentWebhook.Handle).AllowAnonymous().WithName("PaymentWebhook");
        var options = app.ServiceProvider.GetRequiredService<IOptions<PaymentsOptions>>().Value;
        if (options.SandboxEnabled == true && (options.SandboxPayEndpoint ?? app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment()))
        {
            payments.MapPost("/sandbox/{topupId:guid}/pay", SandboxPay.Handle).RequireAuthorization().WithName("SandboxPay");
        }

        return app;
    }

    public static RouteGroupBuilder MapWalletAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/wallets/{userId:guid}/freeze", FreezeWallet.Freeze).WithName("AdminFreezeWallet");
        admin.MapPost("/wallets/{userId:guid}/unfreeze", FreezeWallet.Unfreeze).WithName("AdminUnfreezeWallet");
        admin.MapGet("/withdrawals", ListWithdrawals.All).WithName("AdminListWithdrawals");
        admin.MapPost("/withdrawals/{id:guid}/approve", DecideWithdrawal.Approve).WithName("AdminApproveWithdrawal");
        admin.MapPost("/withdrawals/{id:guid}/reject", DecideWithdrawal.Reject).WithName("AdminRejectWithdrawal");
        return admin;
    }
}
