namespace SuperApp.Features.Admin;

public sealed record AuditEntry(
    Guid Id, Guid? ActorId, string Action, string EntityType, string EntityId, Guid? TransactionId,
    string? Before, string? After, string? RequestId, string? Ip, DateTime CreatedAt)
{
    public static AuditEntry From(AuditLog a) =>
        new(a.Id, a.ActorId, a.Action, a.EntityType, a.EntityId, a.TransactionId, a.Before, a.After, a.RequestId, a.Ip, a.CreatedAt);
}

public static class QueryAudit
{
    /// <summary>Newest first, by any of transaction, entity, actor or request id (each served by an index).</summary>
    public static async Task<Results<Ok<Page<AuditEntry>>, ProblemHttpResult>> Handle(
        AppDbContext db, Guid? transactionId, string? entityType, string? entityId, Guid? actorId, string? requestId,
        int? limit, string? cursor, CancellationToken ct)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return Problems.Validation("cursor", "The cursor is not valid.");
        }

        var query = db.AuditLogs.AsQueryable();
        if (transactionId is { } t)
        {
            query = query.Where(a => a.TransactionId == t);
        }

        if (!string.IsNullOrEmpty(entityType))
        {
            query = query.Where(a => a.EntityType == entityType);
        }

        if (!string.IsNullOrEmpty(entityId))
        {
            query = query.Where(a => a.EntityId == entityId);
        }

        if (actorId is { } actor)
        {
            query = query.Where(a => a.ActorId == actor);
        }

        if (!string.IsNullOrEmpty(requestId))
        {
            query = query.Where(a => a.RequestId == requestId);
        }

        return TypedResults.Ok(await query.ToPageAsync(after, limit, AuditEntry.From, ct));
    }
}
