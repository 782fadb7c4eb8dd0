using Microsoft.Data.Sqlite;
using Npgsql;

namespace SuperApp.Data;

/// <summary>Recognises a unique-index violation on a given table, in either database's own words.</summary>
public static class UniqueViolation
{
    private const int SqliteConstraintUnique = 2067;

    public static bool On(Exception e, string table) => e switch
    {
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation && p.TableName == table,
        // SQLite names the columns, not the index: "UNIQUE constraint failed: subscriptions.subscriber_id, …".
        SqliteException s => s.SqliteExtendedErrorCode == SqliteConstraintUnique
            && s.Message.Contains($": {table}.", StringComparison.Ordinal),
        { InnerException: { } inner } => On(inner, table),
        _ => false,
    };
}
