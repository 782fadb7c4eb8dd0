using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SuperApp.Features.Operations;

/// <summary>
/// <c>backup create</c>: PostgreSQL through <c>pg_dump -Fc</c> run on a snapshot exported from a
/// repeatable-read transaction, in which the manifest's row counts and totals are also taken, so
/// they describe exactly what the dump holds even while the service keeps writing. SQLite through
/// its online backup API (a consistent copy while others write), counted from the copy.
/// </summary>
public static class BackupCreate
{
    public static async Task<(OpsReport Report, string? File)> RunAsync(DatabaseTarget target, string outDir, TimeProvider time,
        CancellationToken ct)
    {
        var report = new OpsReport("backup create");
        Directory.CreateDirectory(outDir);
        var stamp = time.UtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var watch = Stopwatch.StartNew();
        string file;
        string? serverVersion = null;
        DatabaseSnapshot snapshot;
        if (target.Provider == DatabaseProvider.Postgres)
        {
            var db = new NpgsqlConnectionStringBuilder(target.ConnectionString).Database ?? "postgres";
            file = Path.GetFullPath(Path.Combine(outDir, $"superapp-{db}-{stamp}.dump"));
            (snapshot, serverVersion) = await DumpAsync(target.ConnectionString, file, ct);
        }
        else
        {
            file = Path.GetFullPath(Path.Combine(outDir, $"superapp-{stamp}.db"));
            await using (var source = new SqliteConnection(target.ConnectionString))
            await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file,
                Pooling = false }.ConnectionString))
            {
                await source.OpenAsync(ct);
                await copy.OpenAsync(ct);
                source.BackupDatabase(copy);
            }

            snapshot = await OpsDatabase.SnapshotAsync(
                new DatabaseTarget(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=False;Mode=ReadOnly"), ct);
            serverVersion = "SQLite " + SqliteVersion();
        }

        watch.Stop();
        var manifest = new BackupManifest(
            target.Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite",
            target.Provider == DatabaseProvider.Postgres ? "pg_dump -Fc" : "sqlite online backup",
            Path.GetFileName(file), new FileInfo(file).Length, watch.ElapsedMilliseconds, await BackupManifest.Sha256Async(file, ct),
            time.UtcNow(), serverVersion, snapshot.Migration, snapshot.RowCounts, snapshot.LedgerTotals);
        await manifest.WriteAsync(file, ct);

        report.Add(OpsCheck.Pass("backup file", file));
        report.Add(OpsCheck.Pass("size", FormatBytes(manifest.SizeBytes)));
        report.Add(OpsCheck.Pass("duration", $"{manifest.DurationMs} ms"));
        report.Add(OpsCheck.Pass("sha256", manifest.Sha256));
        report.Add(OpsCheck.Of("migration", manifest.Migration is not null, manifest.Migration ?? "(none)",
            "The database has no migrations applied."));
        report.Add(OpsCheck.Pass("rows", $"{snapshot.RowCounts.Values.Sum()} in {snapshot.RowCounts.Count} tables"));
        report.Add(OpsCheck.Pass("manifest", BackupManifest.PathFor(file)));
        report.Figures["file"] = file;
        report.Figures["sizeBytes"] = manifest.SizeBytes;
        report.Figures["durationMs"] = manifest.DurationMs;
        return (report, file);
    }

    private static async Task<(DatabaseSnapshot, string)> DumpAsync(string connectionString, string file, CancellationToken ct)
    {
        var major = await PgTools.ServerMajorAsync(connectionString, ct);
        var pgDump = await PgTools.FindAsync("pg_dump", major, ct);
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", conn, tx))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }

        string snapshotId;
        await using (var export = new NpgsqlCommand("SELECT pg_export_snapshot()", conn, tx))
        {
            snapshotId = (string)(await export.ExecuteScalarAsync(ct))!;
        }

        var snapshot = await OpsDatabase.SnapshotAsync(conn, DatabaseProvider.Postgres, ct);
        var (exit, output) = await PgTools.RunAsync(pgDump, ["-Fc", "--no-owner", "--snapshot", snapshotId, "-f", file],
            connectionString, ct);
        if (exit != 0)
        {
            File.Delete(file);
            throw new InvalidOperationException($"pg_dump failed (exit {exit}): {output}");
        }

        await tx.CommitAsync(ct);
        return (snapshot, $"PostgreSQL {conn.PostgreSqlVersion}");
    }

    private static string SqliteVersion()
    {
        using var conn = new SqliteConnection("Data Source=:memory:");
        conn.Open();
        return conn.ServerVersion;
    }

    public static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.00} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.00} GB"),
    };
}
