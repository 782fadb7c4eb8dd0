using SuperApp.Features.Ledger;

namespace SuperApp.Features.Realtime;

/// <summary><c>wallet.balance_changed</c>: after every posting on a user's wallet, to its owner.</summary>
public sealed record WalletBalanceChanged(long Balance, Guid TransactionId, TransactionKind Kind, long Amount);

public static class WalletEvents
{
    public const string BalanceChanged = "wallet.balance_changed";
    public const string TopupSucceeded = "topup.succeeded";
    public const string WithdrawalDecided = "withdrawal.decided";
    public const string GiftReceived = "gift.received";
    public const string ContentUnlocked = "content.unlocked";
}

/// <summary><c>topup.succeeded</c>, to the owner, when a top-up reaches the wallet (paid, or released from hold).</summary>
public sealed record TopupSucceeded(Guid TopupId, long Amount, string Status);

/// <summary><c>withdrawal.decided</c>, to the owner, when an admin approves or rejects a withdrawal.</summary>
public sealed record WithdrawalDecided(Guid WithdrawalId, long Amount, long Fee, long NetAmount, string Status);

/// <summary><c>content.unlocked</c>, to the creator.</summary>
public sealed record ContentUnlocked(Guid ContentId, Chat.ChatUser Buyer, long Amount, long CreatorShare);

/// <summary><c>gift.received</c>, to the receiving creator.</summary>
public sealed record GiftReceived(Guid GiftId, Chat.ChatUser From, string GiftType, int Quantity, long Amount, long CreatorShare);
