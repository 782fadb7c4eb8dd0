using SuperApp.Features.Chat;
using SuperApp.Features.Ledger;
using SuperApp.Features.Realtime;
using SuperApp.Features.Users;

namespace SuperApp.Features.Gifts;

public sealed record SendGiftRequest(
    [property: Required] Guid? RecipientId,
    [property: Required, MaxLength(32)] string GiftType,
    [property: Range(1, GiftOptions.MaxQuantity, ErrorMessage = "The quantity is a whole number from 1 to 100.")] int? Quantity,
    [property: MaxLength(200)] string? Message);

public sealed record GiftSentResponse(
    Guid GiftId, Guid TransactionId, string GiftType, int Quantity, long Amount, string Currency, long Balance, Guid RecipientId,
        DateTime CreatedAt);

public static class SendGift
{
    /// <summary>
    /// Sender's wallet pays the price times the quantity; the recipient's pending earnings and the
    /// platform share it by the gift split. Posting, gift row and leaderboards commit together.
    /// A deleted or suspended recipient is 404 RECIPIENT_NOT_FOUND, as an unknown one.
    /// </summary>
    public static async Task<Results<Created<GiftSentResponse>, ProblemHttpResult>> Handle(
        SendGiftRequest request, ClaimsPrincipal principal, HttpContext http, AppDbContext db, LedgerPoster ledger, SpendGuard guard,
        IOptions<GiftOptions> gifts, IOptions<RevenueOptions> revenue, IOptions<LedgerOptions> ledgerOptions, RealtimeOutbox outbox,
        LeaderboardWatch leaderboards, CancellationToken ct)
    {
        var senderId = principal.UserId();
        var recipientId = request.RecipientId!.Value;
        if (gifts.Value.Find(request.GiftType) is not { } type)
        {
            return Problems.Validation("giftType", "Unknown gift type; GET /api/gift/types lists them.");
        }

        if (recipientId == senderId)
        {
            return Problems.Unprocessable("SELF_GIFT", "You cannot send a gift to yourself.");
        }

        var quantity = request.Quantity ?? 1;
        var total = type.Price * quantity;
        var limits = revenue.Value.Limits.Gift;
        if (total < limits.Min || total > limits.Max)
        {
            return Problems.Unprocessable("LIMIT_EXCEEDED", "The gift is outside the allowed amount.",
                $"A gift totals {limits.Min} to {limits.Max}.");
        }

        var (platform, creator) = Money.Share(total, revenue.Value.Splits.Gift);
        var audit = AuditContext.From(http);
        var (gift, balance) = await db.RunAsync(async ct =>
        {
            var gift = new Gift
            {
                SenderId = senderId, RecipientId = recipientId, GiftType = type.Id, Quantity = quantity, UnitPrice = type.Price,
                Amount = total, CreatorShare = creator, PlatformFee = platform, Message = request.Message,
            };
            // The creator's earnings row and board rows come from one shard number, so two gifts to one creator
            // meet on both or on neither: a live stream's gifts wait on each other half as often as with two draws.
            var shard = Random.Shared.Next(Math.Max(gifts.Value.LeaderboardShards, ledgerOptions.Value.EarningsShards));
            gift.LeaderboardShard = shard % gifts.Value.LeaderboardShards;
            var gone = new ApiException(404, "RECIPIENT_NOT_FOUND", "The recipient does not exist.");
            var (batch, sender) = Recipient(senderId, recipientId, gone);
            guard.AddTo(batch, senderId, principal.Tier(), TransactionKind.Gift, total, (recipientId, gone), audit);
            batch.After.Add(tx =>
            {
                (gift.TransactionId, gift.CreatedAt) = (tx.Id, tx.CreatedAt);
                return GiftLeaderboard.Record(gift);
            });
            var posting = PostingRequest.Split(TransactionKind.Gift, senderId, recipientId, total, revenue.Value.Splits.Gift,
                shard % ledgerOptions.Value.EarningsShards);
            var posted = await ledger.PostAsync(posting with { Reference = $"gift:{gift.Id}" }, audit, ct, batch);
            db.Gifts.Add(gift);
            outbox.Stage(db, recipientId, WalletEvents.GiftReceived,
                new GiftReceived(gift.Id, new ChatUser(senderId, sender()), gift.GiftType, quantity, total, creator));
            outbox.AfterCommit(db, () => { leaderboards.GiftRecorded(); return Task.CompletedTask; });
            return (gift, posted.BalancesAfter[AccountRef.Wallet(senderId)]);
        }, ct);

        return TypedResults.Created($"/api/wallet/transactions/{gift.TransactionId}", new GiftSentResponse(
            gift.Id, gift.TransactionId, gift.GiftType, gift.Quantity, gift.Amount, revenue.Value.Currency, balance, recipientId,
                gift.CreatedAt));
    }

    /// <summary>
    /// Who may receive the gift, asked in the posting's batch instead of a round trip of its own, and
    /// refused before anything else the batch did counts: an unknown, deleted or suspended recipient
    /// (404), one who is no creator (422), one who blocked the sender (403). The guard then share-locks
    /// the recipient's row, so a suspension commits before the gift or after it.
    /// </summary>
    private static (LedgerBatch Batch, Func<string> Sender) Recipient(Guid senderId, Guid recipientId, ApiException gone)
    {
        (string Status, string Role, bool Blocked, string Sender)? found = null;
        var batch = new LedgerBatch();
        batch.Before.Add(new BatchStatement("""
            SELECT u.status, u.role,
                EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = @recipient AND b.blocked_id = @sender) AS blocked,
                (SELECT s.username FROM users s WHERE s.id = @sender) AS sender
            FROM users u WHERE u.id = @recipient
            """, [("recipient", recipientId), ("sender", senderId)])
        {
            Read = async (r, ct) => found = await r.ReadAsync(ct)
                ? (r.GetString(0), r.GetString(1), r.GetBoolean(2), r.IsDBNull(3) ? "" : r.GetString(3))
                : null,
        });
        batch.Checks.Add(() =>
        {
            if (found is not { } f || f.Status != EnumText.Name(UserStatus.Active))
            {
                throw gone;
            }

            if (f.Role != EnumText.Name(Role.Creator))
            {
                throw new ApiException(422, "RECIPIENT_NOT_CREATOR", "Gifts can only be sent to creators.");
            }

            if (f.Blocked)
            {
                throw new ApiException(403, "BLOCKED", "This user does not accept messages or gifts from you.");
            }
        });
        return (batch, () => found?.Sender ?? "");
    }
}
