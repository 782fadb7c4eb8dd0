using SuperApp.Features.Creators;
using SuperApp.Features.Ledger;
using SuperApp.Features.Operations;
using SuperApp.Features.Refunds;
using SuperApp.Features.Wallet;

namespace SuperApp.Features.Admin;

public static class AdminModule
{
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapAdminGroup();
        admin.MapGet("/users", ListUsers.Handle).WithName("AdminListUsers").WithSummary("List users, newest first, optionally by search");
        admin.MapPatch("/users/{id:guid}", UpdateUser.Handle).WithName("AdminUpdateUser")
            .WithSummary("Change a user's role, tier or status").ProducesProblem(422);
        admin.MapGet("/audit", QueryAudit.Handle).WithName("AdminQueryAudit").WithSummary("Query the audit log");
        admin.MapLedgerAdmin();
        admin.MapWalletAdmin();
        admin.MapCreatorsAdmin();
        admin.MapRefundsAdmin();
        admin.MapOperationsAdmin();
        return app;
    }
}
