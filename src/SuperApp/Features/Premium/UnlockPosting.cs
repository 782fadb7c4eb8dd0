using SuperApp.Features.Ledger;

namespace SuperApp.Features.Premium;

/// <summary>An unlock as one ledger transaction: the buyer pays the price, split between creator and platform.</summary>
public static class UnlockPosting
{
    public static PostingRequest Build(Guid buyerId, Guid creatorId, long price, Split split, Guid unlockId)
    {
        var (platformFee, creatorShare) = Money.Split(price, split);
        var postings = new List<Posting> { new(AccountRef.Wallet(buyerId), -price) };
        // The ledger refuses zero-amount entries; a split can round a share to nothing.
        if (creatorShare > 0)
        {
            postings.Add(new Posting(AccountRef.Earnings(creatorId), creatorShare));
        }

        if (platformFee > 0)
        {
            postings.Add(new Posting(AccountRef.System(AccountKind.PlatformRevenue), platformFee));
        }

        return new PostingRequest(TransactionKind.Unlock, price, postings) { Reference = $"unlock:{unlockId}", Note = "Premium content unlock" };
    }
}
