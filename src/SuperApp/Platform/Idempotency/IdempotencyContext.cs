namespace SuperApp.Platform.Idempotency;

/// <summary>
/// Per request: the claimed record, if the endpoint is idempotent. The ledger stamps its id on the
/// first transaction the request posts; that column is unique, so one key can move money once.
/// </summary>
public sealed class IdempotencyContext
{
    private Guid? _unclaimed;

    public void Set(Guid recordId) => _unclaimed = recordId;

    /// <summary>The record id the first time it is asked for, then null.</summary>
    public Guid? TakeRecordId()
    {
        var id = _unclaimed;
        _unclaimed = null;
        return id;
    }
}
