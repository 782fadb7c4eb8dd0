namespace SuperApp.Data;

/// <summary>The unit of work's key claim, as the DbContext (EF's unit of work) carries it through one transaction.</summary>
public partial class AppDbContext
{
    private KeyClaim? _claim;
    private bool _claimSent;
    private bool _claimStamped;

    /// <summary>Set by <see cref="UnitOfWork"/> for the length of one attempt.</summary>
    internal KeyClaim? Claim
    {
        get => _claim;
        set => (_claim, _claimSent, _claimStamped) = (value, false, false);
    }

    /// <summary>
    /// For the first write of the unit (the ledger's first batch): the claim to send at its head, once;
    /// null when there is none or it was sent.
    /// </summary>
    public KeyClaim? TakeClaimFor()
    {
        if (_claim is null || _claimSent)
        {
            return null;
        }

        _claimSent = true;
        return _claim;
    }

    /// <summary>The claim's record id for the first ledger transaction of the unit to name as its cause, then null.</summary>
    public Guid? TakeClaimRecordId()
    {
        if (_claim is null || _claimStamped)
        {
            return null;
        }

        _claimStamped = true;
        return _claim.RecordId;
    }

    internal KeyClaim? TakeUnsentClaim() => TakeClaimFor();
}
