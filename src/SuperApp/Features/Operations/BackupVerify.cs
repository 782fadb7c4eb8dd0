using Npgsql;

namespace SuperApp.Features.Operations;

/// <summary>
/// <c>backup verify FILE</c>: the file matches its manifest, restores into a scratch database that
/// then holds the manifest's rows, totals and migration and passes the ledger invariants. The
/// scratch database is always dropped. PostgreSQL scratch databases live on the configured server.
/// </summary>
public static class BackupVerify
{
    public static async Task<OpsReport> RunAsync(DatabaseTarget configured, string file, CancellationToken ct)
    {
        var report = new OpsReport("backup verify");
        var manifest = await BackupManifest.ReadAsync(file, ct);
        report.Add(OpsCheck.Pass("manifest", BackupManifest.PathFor(file)));
        if (!await BackupRestorer.CheckFileAsync(report, file, manifest, ct))
        {
            return report;
        }

        if (manifest.Provider == "postgres")
        {
            if (configured.Provider != DatabaseProvider.Postgres)
            {
                return report.Fail("scratch database", "none",
                    "A PostgreSQL dump is verified on a PostgreSQL server: set DATABASE_URI to one.");
            }

            var name = "superapp_verify_" + Guid.NewGuid().ToString("N")[..12];
            var scratch = new DatabaseTarget(DatabaseProvider.Postgres, OpsDatabase.OnDatabase(configured.ConnectionString, name));
            await OpsDatabase.CreatePostgresDatabaseAsync(configured.ConnectionString, name, ct);
            try
            {
                report.Add(OpsCheck.Pass("scratch database", name));
                if (await BackupRestorer.RestoreAsync(report, file, manifest, scratch, ct))
                {
                    await BackupRestorer.CompareAsync(report, manifest, scratch, ct);
                }
            }
            finally
            {
                await OpsDatabase.DropPostgresDatabaseAsync(configured.ConnectionString, name);
                NpgsqlConnection.ClearAllPools();
                report.Add(OpsCheck.Pass("scratch dropped", name));
            }

            return report;
        }

        var path = Path.Combine(Path.GetTempPath(), $"superapp-verify-{Guid.NewGuid():N}.db");
        var target = new DatabaseTarget(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=False");
        try
        {
            report.Add(OpsCheck.Pass("scratch database", path));
            if (await BackupRestorer.RestoreAsync(report, file, manifest, target, ct))
            {
                await BackupRestorer.CompareAsync(report, manifest, target, ct);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
            report.Add(OpsCheck.Pass("scratch dropped", path));
        }

        return report;
    }
}
