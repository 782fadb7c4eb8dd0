using SuperApp.Features.Ledger;

namespace SuperApp.Features.Premium;

/// <summary>An unlock as one ledger transaction: the buyer pays the price, split between creator and platform.</summary>
public static class UnlockPosting
{
    public static PostingRequest Build(Guid buyerId, Guid creatorId, long price, RevenueSplit split, Guid unlockId) =>
        PostingRequest.Split(TransactionKind.Unlock, buyerId, creatorId, price, split) with
        {
            Reference = $"unlock:{unlockId}",
            Note = "Premium content unlock",
        };
}
