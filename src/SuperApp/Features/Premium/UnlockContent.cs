using SuperApp.Features.Ledger;
using SuperApp.Features.Users;
using SuperApp.Features.Users.Access;
using SuperApp.Features.Realtime;
using SuperApp.Features.Chat;

namespace SuperApp.Features.Premium;

public sealed record UnlockRequest([property: Required] Guid? ContentId);

public sealed record UnlockResponse(
    Guid UnlockId, Guid ContentId, Guid TransactionId, long Amount, string Currency, long Balance, long CreatorShare, long PlatformFee,
        DateTime CreatedAt);

public static class UnlockContent
{
    /// <summary>
    /// Buys permanent access to published paid content. 404 CONTENT_NOT_FOUND for unknown content or
    /// a suspended creator's; 410 CONTENT_DELETED for a deleted post or an erased creator's content.
    /// </summary>
    public static Task<Results<Created<UnlockResponse>, ProblemHttpResult>> ByBody(
        UnlockRequest request, ClaimsPrincipal principal, HttpContext http, AppDbContext db, LedgerPoster ledger, SpendGuard guard,
        IOptions<RevenueOptions> revenue, TimeProvider time, RealtimeOutbox outbox, SellableContent sellable, UserStatuses statuses,
        CancellationToken ct) =>
        Handle(request.ContentId!.Value, principal, http, db, ledger, guard, revenue, time, outbox, sellable, statuses, ct);

    /// <summary>The same purchase, with the content named in the path.</summary>
    public static async Task<Results<Created<UnlockResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, HttpContext http, AppDbContext db, LedgerPoster ledger, SpendGuard guard,
        IOptions<RevenueOptions> revenue, TimeProvider time, RealtimeOutbox outbox, SellableContent sellable, UserStatuses statuses,
        CancellationToken ct)
    {
        var userId = principal.UserId();
        var c = sellable.Find(id);
        // A creator's status change reaches that cache on every instance at once: a creator no longer active is
        // answered for from a fresh read (404 suspended, 410 erased).
        if (c is null || await statuses.GetAsync(c.CreatorId, ct) != UserStatus.Active)
        {
            // One round trip for everything asked before the money transaction. Owning it already is asked again in
            // the transaction, the one place it is asked for remembered content.
            var found = await db.PremiumContents.AsNoTracking().Where(c => c.Id == id).Select(c => new
            {
                Content = c,
                Creator = db.Users.Where(u => u.Id == c.CreatorId).Select(u => (UserStatus?)u.Status).FirstOrDefault(),
                Unlocked = db.ContentUnlocks.Any(u => u.UserId == userId && u.ContentId == id),
            }).FirstOrDefaultAsync(ct);
            if (Refusal(found?.Content, userId) is { } refused)
            {
                return refused;
            }

            // A suspended creator's content is unknown to those who have not bought it; an erased one's is gone.
            if (found!.Creator != UserStatus.Active)
            {
                return found.Creator == UserStatus.Suspended ? ContentLookup.NotFound() : ContentLookup.Gone();
            }

            if (found.Unlocked)
            {
                return Problems.Conflict(AlreadyUnlockedCode, AlreadyUnlockedTitle);
            }

            sellable.Remember(found.Content);
            c = new SellableContent.Entry(found.Content.CreatorId, found.Content.Price);
        }
        else if (c.CreatorId == userId)
        {
            return OwnContent();
        }

        var audit = AuditContext.From(http);
        var now = time.UtcNow();
        var unlock = new ContentUnlock { UserId = userId, ContentId = id, Price = c.Price, CreatedAt = now };
        var posting = UnlockPosting.Build(userId, c.CreatorId, c.Price, revenue.Value.Splits.Unlock, unlock.Id);
        var (platformFee, creatorShare) = Money.Share(c.Price, revenue.Value.Splits.Unlock);
        PostedTransaction posted;
        try
        {
            posted = await db.RunAsync(async ct =>
            {
                // Checked again where it counts, ahead of the balance updates: a creator deleted or suspended since sells
                // nothing. The content as read (or remembered) is no longer what is on sale: the buyer tries again.
                var batch = guard.AddTo(new LedgerBatch(), userId, principal.Tier(), TransactionKind.Unlock, c.Price,
                    (c.CreatorId, ContentChanged()), audit);
                var buyer = AddUnlock(batch, unlock, c.Price);
                var posted = await ledger.PostAsync(posting, audit, ct, batch);
                outbox.Stage(db, c.CreatorId, WalletEvents.ContentUnlocked,
                    new ContentUnlocked(id, new ChatUser(userId, buyer()), c.Price, creatorShare));
                return posted;
            }, ct);
        }
        catch (ApiException e) when (e.Code == ContentChangedCode)
        {
            // Whatever changed, the next attempt reads the content afresh and answers for it as it is now.
            sellable.Forget(id);
            throw;
        }

        var tx = posted.Transaction;
        return TypedResults.Created($"/api/premium/{id}",
            new UnlockResponse(unlock.Id, id, tx.Id, tx.Amount, tx.Currency, posted.BalancesAfter[AccountRef.Wallet(userId)],
                creatorShare, platformFee, tx.CreatedAt));
    }

    private static ProblemHttpResult? Refusal(PremiumContent? c, Guid userId) => c switch
    {
        null => ContentLookup.NotFound(),
        { DeletedAt: not null } when c.PublishedAt is not null => ContentLookup.Gone(),
        _ when c.DeletedAt is not null || c.Status != ContentStatus.Published => ContentLookup.NotFound(),
        _ when c.CreatorId == userId => OwnContent(),
        { SubscriberOnly: true } => Problems.Unprocessable("SUBSCRIPTION_REQUIRED",
            "This content is for subscribers only; subscribe to the creator to see it."),
        { Price: 0 } => Problems.Unprocessable("CONTENT_IS_FREE", "This content is free; there is nothing to unlock."),
        _ => null,
    };

    private static ProblemHttpResult OwnContent() => Problems.Unprocessable("OWN_CONTENT", "You cannot buy your own content.");

    private const string ContentChangedCode = "CONTENT_CHANGED";

    private static ApiException ContentChanged() =>
        new(409, ContentChangedCode, "The content changed while it was being unlocked. Check it and try again.") { TryAgain = true };

    private const string AlreadyUnlockedCode = "ALREADY_UNLOCKED";
    private const string AlreadyUnlockedTitle = "You have already unlocked this content.";

    private static ApiException AlreadyUnlocked() => new(409, AlreadyUnlockedCode, AlreadyUnlockedTitle);

    /// <summary>
    /// The content still on sale as read and the buyer's name (for the creator's event), sent ahead of the balance
    /// updates; the count and the unlock row, sent after them. The count is conditional on what the buyer was shown,
    /// so a concurrent delete, unpublish or price change wins cleanly. The unique (user, content) index decides
    /// between two racing purchases by one buyer: the later finds the row and its whole transaction, the posting
    /// included, rolls back.
    /// </summary>
    private static Func<string> AddUnlock(LedgerBatch batch, ContentUnlock unlock, long price)
    {
        var (onSale, owned, counted, inserted, buyer) = (false, false, false, false, "");
        // Asked first, before the guard's and the posting's own refusals: a price or state remembered or read before the
        // transaction that is no longer so answers CONTENT_CHANGED, never a refusal worked out from the old price.
        batch.Before.Add(new BatchStatement("""
            SELECT u.username,
                EXISTS (SELECT 1 FROM premium_contents c WHERE c.id = @content AND c.status = 'published' AND c.deleted_at IS NULL
                    AND c.price = @price AND NOT c.subscriber_only),
                EXISTS (SELECT 1 FROM premium_unlocks p WHERE p.user_id = u.id AND p.content_id = @content)
            FROM users u WHERE u.id = @id
            """, [("id", unlock.UserId), ("content", unlock.ContentId), ("price", price)])
        {
            Read = async (r, ct) => (buyer, onSale, owned) = await r.ReadAsync(ct)
                ? (r.GetString(0), r.GetBoolean(1), r.GetBoolean(2))
                : ("", false, false),
        });
        batch.Checks.Insert(0, () =>
        {
            if (!onSale)
            {
                throw ContentChanged();
            }

            if (owned)
            {
                throw AlreadyUnlocked();
            }
        });
        batch.After.Add(_ => new BatchStatement("""
            UPDATE premium_contents SET unlock_count = unlock_count + 1
            WHERE id = @id AND status = 'published' AND deleted_at IS NULL AND price = @price AND NOT subscriber_only
            RETURNING id
            """, [("id", unlock.ContentId), ("price", price)])
        {
            Read = async (r, ct) => counted = await r.ReadAsync(ct),
        });
        batch.After.Add(_ => new BatchStatement("""
            INSERT INTO premium_unlocks (id, user_id, content_id, price, created_at) VALUES (@id, @user_id, @content_id, @price, @at)
            ON CONFLICT (user_id, content_id) DO NOTHING
            RETURNING id
            """, [("id", unlock.Id), ("user_id", unlock.UserId), ("content_id", unlock.ContentId), ("price", price),
                ("at", unlock.CreatedAt)])
        {
            Read = async (r, ct) => inserted = await r.ReadAsync(ct),
        });
        batch.ChecksAfter.Add(() =>
        {
            if (!counted)
            {
                throw ContentChanged();
            }

            if (!inserted)
            {
                throw AlreadyUnlocked();
            }
        });
        return () => buyer;
    }
}
