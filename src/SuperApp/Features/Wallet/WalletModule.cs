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
        wallet.MapGet("/balance", GetBalance.Handle).WithName("GetBalance").WithSummary("The caller's wallet balance");
        wallet.MapPost("/topup", CreateTopup.Handle).WithName("CreateTopup")
            .WithSummary("Start a top-up of the wallet").ProducesProblem(403).RequireIdempotency();
        wallet.MapPost("/transfer", Transfer.Handle).WithName("Transfer")
            .WithSummary("Send money to another user's wallet").ProducesProblem(404).RequireIdempotency();
        wallet.MapPost("/withdraw", RequestWithdrawal.Handle).WithName("Withdraw")
            .WithSummary("Request a withdrawal to a bank account").RequireIdempotency();
        wallet.MapGet("/topups", ListTopups.Mine).WithName("ListMyTopups").WithSummary("The caller's top-ups, newest first.");
        wallet.MapGet("/topups/{id:guid}", GetTopup.Handle).WithName("GetTopup").WithSummary("One of the caller's top-ups.");
        wallet.MapGet("/withdrawals", ListWithdrawals.Mine).WithName("ListMyWithdrawals")
            .WithSummary("The caller's withdrawals, newest first");
        wallet.MapGet("/withdrawals/{id:guid}", GetWithdrawal.Handle).WithName("GetWithdrawal")
            .WithSummary("One of the caller's withdrawals.");
        wallet.MapGet("/transactions", ListTransactions.Handle).WithName("ListTransactions").WithSummary("The caller's wallet statement");
        wallet.MapGet("/transactions/{id:guid}", GetTransaction.Handle).WithName("GetTransaction")
            .WithSummary("One of the caller's wallet transactions");

        var payments = app.MapGroup("/api/payments").WithTags("Payments");
        payments.MapPost("/webhooks/{provider}", PaymentWebhook.Handle).AllowAnonymous().WithName("PaymentWebhook")
            .WithSummary("Receive a payment provider's signed webhook").ProducesProblem(401).ProducesProblem(413);
        var options = app.ServiceProvider.GetRequiredService<IOptions<PaymentsOptions>>().Value;
        if (options.SandboxEnabled == true
            && (options.SandboxPayEndpoint ?? app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment()))
        {
            payments.MapPost("/sandbox/{topupId:guid}/pay", SandboxPay.Handle).RequireAuthorization().WithName("SandboxPay")
                .WithSummary("Pay a sandbox top-up (development only)");
        }

        return app;
    }

    public static RouteGroupBuilder MapWalletAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/wallets/{userId:guid}/freeze", FreezeWallet.Freeze).WithName("AdminFreezeWallet")
            .WithSummary("Freeze a user's wallet");
        admin.MapPost("/wallets/{userId:guid}/unfreeze", FreezeWallet.Unfreeze).WithName("AdminUnfreezeWallet")
            .WithSummary("Unfreeze a user's wallet");
        admin.MapGet("/withdrawals", ListWithdrawals.All).WithName("AdminListWithdrawals")
            .WithSummary("Withdrawals waiting for a decision");
        admin.MapPost("/withdrawals/{id:guid}/approve", DecideWithdrawal.Approve).WithName("AdminApproveWithdrawal")
            .WithSummary("Approve a withdrawal").ProducesProblem(409);
        admin.MapPost("/withdrawals/{id:guid}/reject", DecideWithdrawal.Reject).WithName("AdminRejectWithdrawal")
            .WithSummary("Reject a withdrawal and return its money").ProducesProblem(409);
        admin.MapGet("/topups", ListTopups.All).WithName("AdminListTopups")
            .WithSummary("Top-ups, optionally by status (held: waiting in suspense).");
        admin.MapPost("/topups/{id:guid}/release", ReleaseTopup.Handle).WithName("AdminReleaseTopup")
            .WithSummary("Credit a held top-up's money from suspense to its wallet.").ProducesProblem(409);
        admin.MapPost("/topups/{id:guid}/refund", RefundTopup.Handle).WithName("AdminRefundTopup")
            .WithSummary("Refund a held top-up to the payer through its provider.").ProducesProblem(502);
        return admin;
    }
}
