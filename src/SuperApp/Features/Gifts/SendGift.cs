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

        // One round trip for everything asked before the money transaction.
        var parties = await db.Users.Where(u => u.Id == recipientId && u.Status == UserStatus.Active).Select(u => new
        {
            u.Role,
            Blocked = db.Set<UserBlock>().Any(b => b.BlockerId == recipientId && b.BlockedId == senderId),
            Sender = db.Users.Where(x => x.Id == senderId).Select(x => x.Username).First(),
        }).FirstOrDefaultAsync(ct);
        if (parties is null)
        {
            return Problems.NotFound("RECIPIENT_NOT_FOUND", "The recipient does not exist.");
        }

        if (parties.Role != Role.Creator)
        {
            return Problems.Unprocessable("RECIPIENT_NOT_CREATOR", "Gifts can only be sent to creators.");
        }

        if (parties.Blocked)
        {
            return Problems.Forbidden("BLOCKED", "This user does not accept messages or gifts from you.");
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
            // Checked again where it counts, ahead of the balance updates: a creator deleted or suspended since takes no gifts.
            var gone = new ApiException(404, "RECIPIENT_NOT_FOUND", "The recipient does not exist.");
            var batch = guard.AddTo(new LedgerBatch(), senderId, principal.Tier(), TransactionKind.Gift, total, (recipientId, gone), audit);
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
                new GiftReceived(gift.Id, new ChatUser(senderId, parties.Sender), gift.GiftType, quantity, total, creator));
            outbox.AfterCommit(db, () => { leaderboards.GiftRecorded(); return Task.CompletedTask; });
            return (gift, posted.BalancesAfter[AccountRef.Wallet(senderId)]);
        }, ct);

        return TypedResults.Created($"/api/wallet/transactions/{gift.TransactionId}", new GiftSentResponse(
            gift.Id, gift.TransactionId, gift.GiftType, gift.Quantity, gift.Amount, revenue.Value.Currency, balance, recipientId,
                gift.CreatedAt));
    }
}
