using SuperApp.Features.Ledger;

namespace SuperApp.Features.Wallet;

public sealed record TopupRequest([property: Range(1, long.MaxValue)] long Amount, [property: Required, MaxLength(32)] string Provider);

public sealed record TopupResponse(Guid TopupId, long Amount, string Currency, TopupStatus Status, string Provider, string Reference,
    string CheckoutUrl);

public static class CreateTopup
{
    public static async Task<Results<Created<TopupResponse>, ProblemHttpResult>> Handle(
        TopupRequest request, ClaimsPrincipal principal, HttpContext http, AppDbContext db,
        IEnumerable<IPaymentProvider> providers, IOptions<RevenueOptions> revenue, TimeProvider time, CancellationToken ct)
    {
        var limits = revenue.Value.Limits.Topup;
        if (request.Amount < limits.Min || request.Amount > limits.Max)
        {
            return Problems.Unprocessable("LIMIT_EXCEEDED", "The top-up amount is outside the allowed range.",
                $"Top-ups are {limits.Min} to {limits.Max} ({revenue.Value.Currency} minor units).");
        }

        var provider = providers.FirstOrDefault(p => p.Name == request.Provider);
        if (provider is null)
        {
            return Problems.Validation("provider", $"Unknown provider. Known: {string.Join(", ", providers.Select(p => p.Name))}.");
        }

        // Refused up front when the wallet could not be credited today, rather than taking the
        // customer's money and holding it; the same check runs again when the payment arrives.
        var userId = principal.UserId();
        if (await TopupEligibility.CheckAsync(db, userId, request.Amount, revenue.Value.Limits.MaxWalletBalance, lockWallet: false, ct)
            is { } refusal)
        {
            return Problems.Of(refusal.Status, refusal.Code, refusal.Title);
        }

        var topup = new Topup
        {
            UserId = userId,
            Amount = request.Amount,
            Provider = provider.Name,
            ProviderReference = "",
            CreatedAt = time.UtcNow(),
        };
        var checkout = provider.CreateCheckout(topup, $"{http.Request.Scheme}://{http.Request.Host}");
        topup.ProviderReference = checkout.Reference;
        db.Topups.Add(topup);
        await db.SaveChangesAsync(ct);

        return TypedResults.Created($"/api/wallet/topups/{topup.Id}", new TopupResponse(
            topup.Id, topup.Amount, revenue.Value.Currency, topup.Status, topup.Provider, topup.ProviderReference, checkout.CheckoutUrl));
    }
}
