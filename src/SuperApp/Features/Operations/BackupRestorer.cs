using Microsoft.Data.Sqlite;
using Npgsql;
using SuperApp.Features.Ledger;

namespace SuperApp.Features.Operations;

/// <summary>
/// What verify and restore share: the file against its manifest, the restore itself, and the
/// restored database against the manifest and the ledger's invariants.
/// </summary>
public static class BackupRestorer
{
    /// <summary>Size and sha256 against the manifest; a mismatch means the file is not what was written.</summary>
    public static async Task<bool> CheckFileAsync(OpsReport report, string file, BackupManifest manifest, CancellationToken ct)
    {
        if (!File.Exists(file))
        {
            report.Fail("backup file", file, "The file does not exist.");
            return false;
        }

        var size = new FileInfo(file).Length;
        var sha = await BackupManifest.Sha256Async(file, ct);
        report.Add(OpsCheck.Of("size", size == manifest.SizeBytes, $"{size} bytes",
            $"The manifest says {manifest.SizeBytes} bytes: the file is truncated or was changed."));
        report.Add(OpsCheck.Of("sha256", sha == manifest.Sha256, sha,
            $"The manifest says {manifest.Sha256}: the file is corrupted or truncated."));
        return report.Ok;
    }

    /// <summary>Restores the file into <paramref name="to"/> (which must exist for PostgreSQL); false with the tool's words on
    /// failure.</summary>
    public static async Task<bool> RestoreAsync(OpsReport report, string file, BackupManifest manifest, DatabaseTarget to,
        CancellationToken ct)
    {
        if (manifest.Provider == "postgres" && to.Provider == DatabaseProvider.Postgres)
        {
            var major = await PgTools.ServerMajorAsync(to.ConnectionString, ct);
            var pgRestore = await PgTools.FindAsync("pg_restore", major, ct);
            var (exit, output) = await PgTools.RunAsync(pgRestore,
                ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                 "-d", new NpgsqlConnectionStringBuilder(to.ConnectionString).Database!, file],
                to.ConnectionString, ct);
            var words = string.Join(' ', output.Split('\n').Take(3));
            report.Add(OpsCheck.Of("restore", exit == 0, exit == 0 ? "pg_restore ok" : $"pg_restore exit {exit}",
                $"The backup could not be restored (corrupted or truncated?): {words}"));
            return exit == 0;
        }

        if (manifest.Provider == "sqlite" && to.Provider == DatabaseProvider.Sqlite)
        {
            try
            {
                await using var source = new SqliteConnection(
                    new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly,
                        Pooling = false }.ConnectionString);
                await using var dest = new SqliteConnection(to.ConnectionString);
                await source.OpenAsync(ct);
                var integrity = await OpsDatabase.ListAsync(source, "PRAGMA integrity_check", ct);
                if (integrity is not ["ok"])
                {
                    report.Fail("restore", "integrity_check failed",
                        "The backup could not be restored (corrupted or truncated?): " + string.Join("; ", integrity.Take(3)));
                    return false;
                }

                await dest.OpenAsync(ct);
                source.BackupDatabase(dest);
                report.Add(OpsCheck.Pass("restore", "sqlite online backup ok"));
                return true;
            }
            catch (SqliteException e)
            {
                report.Fail("restore", "not a readable SQLite database",
                    "The backup could not be restored (corrupted or truncated?): " + e.Message);
                return false;
            }
        }

        report.Fail("restore", $"{manifest.Provider} backup → {to.Provider}",
            "A backup restores only into the kind of database it came from.");
        return false;
    }

    /// <summary>The restored database holds what the manifest says, and its books balance.</summary>
    public static async Task CompareAsync(OpsReport report, BackupManifest manifest, DatabaseTarget restored, CancellationToken ct)
    {
        var snapshot = await OpsDatabase.SnapshotAsync(restored, ct);
        report.Add(OpsCheck.Of("migration", snapshot.Migration == manifest.Migration, snapshot.Migration ?? "(none)",
            $"The manifest says {manifest.Migration}."));
        var rows = BackupManifest.Differences(manifest.RowCounts, snapshot.RowCounts);
        report.Add(OpsCheck.Of("row counts", rows.Count == 0,
            $"{snapshot.RowCounts.Values.Sum()} rows in {snapshot.RowCounts.Count} tables",
            string.Join("; ", rows.Take(5))));
        var totals = BackupManifest.Differences(manifest.LedgerTotals, snapshot.LedgerTotals);
        report.Add(OpsCheck.Of("ledger totals", totals.Count == 0,
            $"{snapshot.LedgerTotals.GetValueOrDefault("entries")} entries, credits {snapshot.LedgerTotals.GetValueOrDefault("credits")}",
            string.Join("; ", totals.Take(5))));

        await using var db = OpsDatabase.Context(restored);
        var ledger = await LedgerVerifier.VerifyAsync(db, ct);
        report.Add(OpsCheck.Of("ledger invariants", ledger.Ok,
            $"{ledger.Transactions} transactions, {ledger.Accounts} accounts, sum {ledger.BalanceTotal}",
            $"unbalanced {ledger.UnbalancedTransactions.Count}, mismatched {ledger.AccountsNotMatchingEntries.Count}, " +
            $"negative {ledger.NegativeWallets.Count}, suspense {ledger.SuspenseBalance} vs held {ledger.HeldTopupsTotal}"));

        // The restore must also be usable by this build: its pending migrations apply cleanly.
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        try
        {
            await db.Database.MigrateAsync(ct);
            report.Add(OpsCheck.Pass("migrates to this build", pending.Count == 0 ? "up to date" : $"{pending.Count} applied"));
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException or InvalidOperationException)
        {
            report.Fail("migrates to this build", $"{pending.Count} pending", e.Message);
        }
    }
}
