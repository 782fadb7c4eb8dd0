using SuperApp.Features.Ledger;

namespace SuperApp.Features.Wallet;

public static class ListTopups
{
    /// <summary>The caller's own top-ups, newest first.</summary>
    public static Task<Results<Ok<Page<TopupDetails>>, ProblemHttpResult>> Mine(
        ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, int? limit, string? cursor, CancellationToken ct)
    {
        var userId = principal.UserId();
        return PageAsync(db.Topups.Where(t => t.UserId == userId), revenue.Value.Currency, limit, cursor, ct);
    }

    /// <summary>Admin queue, optionally by status: <c>?status=held</c> is the money waiting in suspense for a decision.</summary>
    public static async Task<Results<Ok<Page<TopupDetails>>, ProblemHttpResult>> All(
        AppDbContext db, IOptions<RevenueOptions> revenue, string? status, int? limit, string? cursor, CancellationToken ct)
    {
        if (!EnumText.TryParseOptional<TopupStatus>(status, out var filter))
        {
            return Problems.Validation("status",
                $"The status is one of {string.Join(", ", Enum.GetValues<TopupStatus>().Select(s => EnumText.Name(s)))}.");
        }

        var query = filter is { } s ? db.Topups.Where(t => t.Status == s) : db.Topups;
        return await PageAsync(query, revenue.Value.Currency, limit, cursor, ct);
    }

    private static async Task<Results<Ok<Page<TopupDetails>>, ProblemHttpResult>> PageAsync(
        IQueryable<Topup> query, string currency, int? limit, string? cursor, CancellationToken ct)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return Problems.Validation("cursor", "The cursor is not valid.");
        }

        return TypedResults.Ok(await query.ToPageAsync(after, limit, t => TopupDetails.From(t, currency), ct));
    }
}
