using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SuperApp.Data;

/// <summary>Applies and rolls back schema migrations for whichever provider is configured.</summary>
public static partial class Migrator
{
    public static async Task MigrateAsync(AppDbContext db, ILogger logger, CancellationToken ct = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers carry on while one writer commits; the setting is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        await db.Database.MigrateAsync(ct);
        LogApplied(logger, pending.Count, pending.Count == 0 ? "(none)" : string.Join(", ", pending));
    }

    /// <summary>Reverts the newest applied migration. Returns the migration now current.</summary>
    public static async Task<string> RollbackAsync(AppDbContext db, ILogger logger, CancellationToken ct = default)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToList();
        if (applied.Count == 0)
        {
            throw new InvalidOperationException("No migration is applied; nothing to roll back.");
        }

        var target = applied.Count > 1 ? applied[^2] : Migration.InitialDatabase;
        await db.GetService<IMigrator>().MigrateAsync(target, ct);
        LogRolledBack(logger, applied[^1], target);
        return target;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s): {Migrations}")]
    private static partial void LogApplied(ILogger logger, int count, string migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rolled back {Migration}; database is now at {Target}")]
    private static partial void LogRolledBack(ILogger logger, string migration, string target);
}
