namespace SuperApp.Features.Refunds;

public static class RefundsModule
{
    /// <summary>Admin routes; the group already requires the admin policy.</summary>
    public static RouteGroupBuilder MapRefundsAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/transactions/{id:guid}", GetAdminTransaction.Handle).WithName("AdminGetTransaction")
            .WithSummary("A ledger transaction with its entries and whether it has been refunded");
        admin.MapPost("/transactions/{id:guid}/refund", RefundTransaction.Handle).WithName("AdminRefundTransaction")
            .WithSummary("Refund a purchase (unlock, gift, subscription) to its buyer, once").ProducesProblem(409).ProducesProblem(422);
        return admin;
    }
}
