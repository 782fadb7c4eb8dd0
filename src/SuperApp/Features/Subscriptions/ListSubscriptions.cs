using SuperApp.Features.Ledger;

namespace SuperApp.Features.Subscriptions;

/// <summary>Active: with access now. Total: distinct subscribers ever. Revenue: the creator's lifetime share of subscriptions.</summary>
public sealed record SubscriberStats(int Active, int Total, long Revenue, string Currency);

public sealed record SubscribersResponse(SubscriberStats Stats, IReadOnlyList<SubscriptionView> Items, string? NextCursor);

public static class ListSubscriptions
{
    /// <summary>The caller's subscriptions, newest first; expired ones say why they ended.</summary>
    public static async Task<Results<Ok<Page<SubscriptionView>>, ProblemHttpResult>> Mine(
        ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, TimeProvider time,
        string? status, int? limit, string? cursor, CancellationToken ct)
    {
        var me = principal.UserId();
        var (problem, page) = await PageAsync(db.Subscriptions.Where(s => s.SubscriberId == me), db, revenue.Value.Currency, time, status,
            limit, cursor, ct);
        return problem is null ? TypedResults.Ok(page!) : problem;
    }

    /// <summary>Creator: who subscribes to them, with totals.</summary>
    public static async Task<Results<Ok<SubscribersResponse>, ProblemHttpResult>> Subscribers(
        ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, TimeProvider time,
        string? status, int? limit, string? cursor, CancellationToken ct)
    {
        var me = principal.UserId();
        var currency = revenue.Value.Currency;
        var (problem, page) = await PageAsync(db.Subscriptions.Where(s => s.CreatorId == me), db, currency, time, status, limit, cursor,
            ct);
        if (problem is not null)
        {
            return problem;
        }

        var now = time.UtcNow();
        var mine = db.Subscriptions.Where(s => s.CreatorId == me);
        var active = await mine.CountAsync(s => s.Status != SubscriptionStatus.Expired && s.ExpiresAt > now, ct);
        var total = await mine.Select(s => s.SubscriberId).Distinct().CountAsync(ct);
        var revenueTotal = await db.LedgerEntries
            .Where(e => e.Amount > 0 &&
                        db.Accounts.Any(a => a.Id == e.AccountId && a.OwnerId == me && a.Kind == AccountKind.EarningsPending) &&
                        db.LedgerTransactions.Any(t => t.Id == e.TransactionId && t.Kind == TransactionKind.Subscription))
            .SumAsync(e => e.Amount, ct);
        return TypedResults.Ok(new SubscribersResponse(new SubscriberStats(active, total, revenueTotal, currency), page!.Items,
            page.NextCursor));
    }

    private static async Task<(ProblemHttpResult? Problem, Page<SubscriptionView>? Page)> PageAsync(
        IQueryable<Subscription> query, AppDbContext db, string currency, TimeProvider time,
        string? status, int? limit, string? cursor, CancellationToken ct)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return (Problems.Validation("cursor", "The cursor is not valid."), null);
        }

        if (!EnumText.TryParseOptional<SubscriptionStatus>(status, out var filter))
        {
            return (Problems.Validation("status", "The status is one of active, cancelled, expired."), null);
        }

        if (filter is { } f)
        {
            query = query.Where(s => s.Status == f);
        }

        var rows = await query.ToPageAsync(after, limit, s => s, ct);
        var items = await SubscriptionViews.DescribeAsync(db, rows.Items, currency, time.UtcNow(), ct);
        return (null, new Page<SubscriptionView>(items, rows.NextCursor));
    }
}
