using System.Text.Json;

namespace SuperApp.Platform.Audit;

/// <summary>Who is acting, from where, in which request: stamped on audit rows and ledger transactions.</summary>
public sealed record AuditContext(Guid? ActorId, string? RequestId, string? Ip)
{
    /// <summary>Background jobs act as the system.</summary>
    public static readonly AuditContext System = new(null, null, null);

    public static AuditContext From(HttpContext http) => new(
        http.User.UserIdOrNull(),
        http.TraceIdentifier,
        http.Connection.RemoteIpAddress?.ToString());

    /// <summary>Adds an audit row to the context; it is saved with the caller's other changes.</summary>
    public AuditLog Record(AppDbContext db, string action, string entityType, string entityId, object? before, object? after,
        DateTime at, Guid? transactionId = null)
    {
        var row = new AuditLog
        {
            ActorId = ActorId,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            TransactionId = transactionId,
            Before = before is null ? null : JsonSerializer.Serialize(before, JsonSerializerOptions.Web),
            After = after is null ? null : JsonSerializer.Serialize(after, JsonSerializerOptions.Web),
            RequestId = RequestId,
            Ip = Ip,
            CreatedAt = at,
        };
        db.AuditLogs.Add(row);
        return row;
    }
}
