using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Features.Ledger;
using SuperApp.Features.Wallet;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Wallet;

/// <summary>Issue 9, case 1: a paid top-up that can no longer be credited is held in suspense, never stranded.</summary>
public abstract class HeldTopupTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private const long MaxWallet = 1_000_000_000;

    [Fact]
    public async Task A_payment_for_a_wallet_frozen_after_checkout_is_held_then_released_once_unfrozen()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var (id, reference) = await app.CreateTopupAsync(s, 150_000);
        await admin.FreezeAsync(s.UserId);

        for (var i = 0; i < 3; i++)
        {
            var webhook = await app.SendWebhookAsync(reference, "paid", 150_000);
            Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
            var body = await webhook.JsonAsync();
            Assert.True(body.GetProperty("received").GetBoolean());
            Assert.Equal("held", body.GetProperty("status").GetString());
        }

        var topup = await (await s.Client.GetAsync($"/api/wallet/topups/{id}")).JsonAsync();
        Assert.Equal("held", topup.GetProperty("status").GetString());
        Assert.Equal("WALLET_FROZEN", topup.GetProperty("heldReason").GetString());
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        Assert.Equal(1, await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Reference == $"topup:{id}")));
        await app.AssertLedgerConsistentAsync();

        var queue = await (await admin.Client.GetAsync("/api/admin/topups?status=held&limit=100")).JsonAsync();
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), t => t.GetProperty("topupId").GetGuid() == id);

        // Still frozen: the release is refused and the money stays in suspense.
        var early = await admin.ResolveTopupAsync(id, "release", "customer verified");
        await early.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        Assert.Equal("held", await StatusAsync(id));

        await admin.UnfreezeAsync(s.UserId);
        var release = await admin.ResolveTopupAsync(id, "release", "customer verified");
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        Assert.Equal("succeeded", (await release.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(150_000, await app.BalanceAsync(s.UserId));

        var again = await admin.ResolveTopupAsync(id, "release", "double click");
        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict, "TOPUP_NOT_HELD");
        var refund = await admin.ResolveTopupAsync(id, "refund", "too late");
        await refund.ShouldBeProblemAsync(HttpStatusCode.Conflict, "TOPUP_NOT_HELD");
        Assert.Equal(150_000, await app.BalanceAsync(s.UserId));
        Assert.False(app.Services.GetRequiredService<SandboxPaymentProvider>().Refunds.ContainsKey(id));

        var audit = await app.WithDbAsync(db => db.AuditLogs.Where(a => a.EntityId == id.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Contains("topup.hold", audit);
        Assert.Single(audit, a => a == "topup.release");
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_held_topup_refunded_goes_back_through_the_provider_once()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var (id, reference) = await app.CreateTopupAsync(s, 80_000);
        await admin.FreezeAsync(s.UserId);
        Assert.Equal("held", await app.WebhookStatusAsync(reference, "paid", 80_000));
        var fundingBefore = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ExternalFunding);

        var refund = await admin.ResolveTopupAsync(id, "refund", "fraud confirmed");
        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        var body = await refund.JsonAsync();
        Assert.Equal("refunded", body.GetProperty("topup").GetProperty("status").GetString());
        Assert.Equal("fraud confirmed", body.GetProperty("topup").GetProperty("resolutionNote").GetString());
        var refundReference = body.GetProperty("providerRefundReference").GetString();

        var recorded = app.Services.GetRequiredService<SandboxPaymentProvider>().Refunds[id];
        Assert.Equal(refundReference, recorded.Reference);
        Assert.Equal(80_000, recorded.Amount);
        Assert.Equal(reference, recorded.PaymentReference);
        Assert.Equal(fundingBefore + 80_000, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ExternalFunding));

        await admin.ResolveTopupAsync(id, "refund", "again").ShouldBeProblemAsync(HttpStatusCode.Conflict, "TOPUP_NOT_HELD");
        await admin.UnfreezeAsync(s.UserId);
        await admin.ResolveTopupAsync(id, "release", "oops").ShouldBeProblemAsync(HttpStatusCode.Conflict, "TOPUP_NOT_HELD");
        // A late repeat of the provider's "paid" changes nothing either.
        Assert.Equal("refunded", await app.WebhookStatusAsync(reference, "paid", 80_000));

        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        Assert.Equal(fundingBefore + 80_000, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ExternalFunding));
        var audit = await app.WithDbAsync(db => db.AuditLogs.SingleAsync(a => a.EntityId == id.ToString() && a.Action == "topup.refund"));
        Assert.Contains("fraud confirmed", audit.After, StringComparison.Ordinal);
        Assert.Equal(admin.UserId, audit.ActorId);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_payment_that_would_pass_the_balance_cap_is_held_and_cannot_be_released_while_it_would()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var (id, reference) = await app.CreateTopupAsync(s, 60_000_000);
        await CreditDirectlyAsync(s.UserId, MaxWallet - 50_000_000);

        var webhook = await app.SendWebhookAsync(reference, "paid", 60_000_000);
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        Assert.Equal("held", (await webhook.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal("LIMIT_EXCEEDED", await HeldReasonAsync(id));
        await app.AssertLedgerConsistentAsync();

        var release = await admin.ResolveTopupAsync(id, "release", "try it");
        await release.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        Assert.Equal("held", await StatusAsync(id));
        Assert.Equal(MaxWallet - 50_000_000, await app.BalanceAsync(s.UserId));

        var refund = await admin.ResolveTopupAsync(id, "refund", "over the cap");
        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_payment_for_a_suspended_or_deleted_account_is_held_with_the_reason()
    {
        var admin = await app.AdminAsync();
        var suspended = await app.RegisterAsync();
        var (suspendedId, suspendedRef) = await app.CreateTopupAsync(suspended, 20_000);
        var patch = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{suspended.UserId}", new { status = "suspended" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        var deleted = await app.RegisterAsync();
        var (deletedId, deletedRef) = await app.CreateTopupAsync(deleted, 30_000);
        Assert.Equal(HttpStatusCode.NoContent, (await deleted.Client.DeleteAsync("/api/users/me")).StatusCode);

        Assert.Equal("held", await app.WebhookStatusAsync(suspendedRef, "paid", 20_000));
        Assert.Equal("held", await app.WebhookStatusAsync(deletedRef, "paid", 30_000));
        Assert.Equal("ACCOUNT_SUSPENDED", await HeldReasonAsync(suspendedId));
        Assert.Equal("ACCOUNT_NOT_FOUND", await HeldReasonAsync(deletedId));
        Assert.Equal(0, await app.BalanceAsync(suspended.UserId));
        await app.AssertLedgerConsistentAsync();

        // Suspended users cannot receive it either: refused, still held; a refund ends it.
        await admin.ResolveTopupAsync(suspendedId, "release", "try").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "ACCOUNT_SUSPENDED");
        Assert.Equal(HttpStatusCode.OK, (await admin.ResolveTopupAsync(deletedId, "refund", "erased")).StatusCode);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_paid_event_after_the_topup_failed_or_was_cancelled_is_held_not_dropped()
    {
        var s = await app.RegisterAsync();
        var (failedId, failedRef) = await app.CreateTopupAsync(s, 40_000);
        var (cancelledId, cancelledRef) = await app.CreateTopupAsync(s, 50_000);
        Assert.Equal("failed", await app.WebhookStatusAsync(failedRef, "failed", 40_000));
        Assert.Equal("cancelled", await app.WebhookStatusAsync(cancelledRef, "cancelled", 50_000));

        Assert.Equal("held", await app.WebhookStatusAsync(failedRef, "paid", 40_000));
        Assert.Equal("held", await app.WebhookStatusAsync(cancelledRef, "paid", 50_000));
        Assert.Equal("held", await app.WebhookStatusAsync(cancelledRef, "cancelled", 50_000));
        Assert.Equal("PAID_AFTER_FAILED", await HeldReasonAsync(failedId));
        Assert.Equal("PAID_AFTER_CANCELLED", await HeldReasonAsync(cancelledId));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_topup_that_could_not_be_credited_is_refused_up_front()
    {
        var admin = await app.AdminAsync();
        var frozen = await app.RegisterAsync();
        await admin.FreezeAsync(frozen.UserId);
        var refused = await frozen.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 20_000, provider = "sandbox" });
        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");

        var rich = await app.RegisterAsync();
        await CreditDirectlyAsync(rich.UserId, MaxWallet - 10_000);
        var over = await rich.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 10_001, provider = "sandbox" });
        await over.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        var exact = await rich.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 10_000, provider = "sandbox" });
        Assert.Equal(HttpStatusCode.Created, exact.StatusCode);

        Assert.False(await app.WithDbAsync(db => db.Topups.AnyAsync(t => t.UserId == frozen.UserId)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Topups.CountAsync(t => t.UserId == rich.UserId)));
    }

    [Fact]
    public async Task Admin_topup_routes_refuse_bad_input_and_non_admins()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var (id, _) = await app.CreateTopupAsync(s, 20_000);

        await admin.ResolveTopupAsync(Guid.NewGuid(), "release", "why not")
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "TOPUP_NOT_FOUND");
        await admin.ResolveTopupAsync(id, "refund", "pending one").ShouldBeProblemAsync(HttpStatusCode.Conflict, "TOPUP_NOT_HELD");
        await admin.ResolveTopupAsync(id, "release", "").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await admin.Client.GetAsync("/api/admin/topups?status=lost").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await admin.Client.GetAsync("/api/admin/topups?cursor=%%%").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Client.GetAsync("/api/admin/topups?status=held")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.ResolveTopupAsync(id, "release", "self")).StatusCode);
        Assert.Equal("pending", await StatusAsync(id));
    }

    [Fact]
    public async Task The_held_queue_pages_with_a_cursor()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var created = new List<(Guid Id, string Reference)>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await app.CreateTopupAsync(s, 10_000 + i));
        }

        await admin.FreezeAsync(s.UserId);
        foreach (var (i, (_, reference)) in created.Index())
        {
            Assert.Equal("held", await app.WebhookStatusAsync(reference, "paid", 10_000 + i));
        }

        var ids = created.Select(c => c.Id).ToList();
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var url = "/api/admin/topups?status=held&limit=1" + (cursor is null ? "" : "&cursor=" + cursor);
            var page = await (await admin.Client.GetAsync(url)).JsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t =>
            {
                Assert.Equal("held", t.GetProperty("status").GetString());
                return t.GetProperty("topupId").GetGuid();
            }));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Contains(ids[0], seen);
        Assert.Contains(ids[1], seen);
        Assert.Contains(ids[2], seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        await app.AssertLedgerConsistentAsync();
    }

    private Task<string?> HeldReasonAsync(Guid id) =>
        app.WithDbAsync(db => db.Topups.Where(t => t.Id == id).Select(t => t.HeldReason).SingleAsync());

    private Task CreditDirectlyAsync(Guid userId, long amount) =>
        app.PostAsync(PostingRequest.Move(TransactionKind.Topup, AccountRef.System(AccountKind.ExternalFunding), AccountRef.Wallet(userId),
            amount));

    private async Task<string> StatusAsync(Guid id) =>
        SuperApp.Data.EnumText.Name(await app.WithDbAsync(db => db.Topups.Where(t => t.Id == id).Select(t => t.Status).SingleAsync()));

}

public sealed class HeldTopupTestsOnPostgres(App<Postgres, Defaults> app) : HeldTopupTests<App<Postgres, Defaults>>(app);

public sealed class HeldTopupTestsOnSqlite(App<Sqlite, Defaults> app) : HeldTopupTests<App<Sqlite, Defaults>>(app);
