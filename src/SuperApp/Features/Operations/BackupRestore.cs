using Npgsql;

namespace SuperApp.Features.Operations;

/// <summary>
/// <c>backup restore FILE --to URI --yes [--force]</c>: replaces the named database's contents with the
/// backup, after checking the file, then checks the result as verify does. The configured database
/// is refused unless <c>--force</c>: restoring over the live one is a decision, not a typo.
/// </summary>
public static class BackupRestore
{
    public static async Task<OpsReport> RunAsync(DatabaseTarget configured, string file, string to, bool yes, bool force,
        string contentRoot, CancellationToken ct)
    {
        var report = new OpsReport("backup restore");
        if (!yes)
        {
            return report.Fail("confirmation", "--yes not given", "Restoring replaces the target's data; add --yes to go ahead.");
        }

        var target = DatabaseTarget.Parse(to, contentRoot);
        var same = OpsDatabase.SameDatabase(configured, target);
        if (same && !force)
        {
            return report.Fail("target", "the configured database",
                "Refusing to restore over the database this service is configured with; add --force if that is meant.");
        }

        report.Add(same ? OpsCheck.Warn("target", "the configured database (--force)") : OpsCheck.Pass("target", Describe(target)));
        var manifest = await BackupManifest.ReadAsync(file, ct);
        if (!await BackupRestorer.CheckFileAsync(report, file, manifest, ct))
        {
            return report;
        }

        if (target.Provider == DatabaseProvider.Postgres)
        {
            var name = new NpgsqlConnectionStringBuilder(target.ConnectionString).Database
                ?? throw new InvalidOperationException("--to must name a database.");
            if (!await OpsDatabase.PostgresDatabaseExistsAsync(target.ConnectionString, name, ct))
            {
                await OpsDatabase.CreatePostgresDatabaseAsync(target.ConnectionString, name, ct);
                report.Add(OpsCheck.Pass("created", name));
            }
        }

        if (await BackupRestorer.RestoreAsync(report, file, manifest, target, ct))
        {
            await BackupRestorer.CompareAsync(report, manifest, target, ct);
        }

        NpgsqlConnection.ClearAllPools();
        return report;
    }

    private static string Describe(DatabaseTarget target)
    {
        if (target.Provider == DatabaseProvider.Sqlite)
        {
            return new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
        }

        var cs = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        return $"{cs.Host}:{cs.Port}/{cs.Database}";
    }
}
