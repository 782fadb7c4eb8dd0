using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace SuperApp.Features.Operations;

/// <summary>
/// What a backup is compared by: the newest migration, the rows of every table and the ledger's
/// totals. Taken from a live database, a restored scratch copy, or read from a manifest.
/// </summary>
public sealed record DatabaseSnapshot(string? Migration, SortedDictionary<string, long> RowCounts, SortedDictionary<string,
    long> LedgerTotals);

/// <summary>Connections to databases other than the service's own (scratch copies, restore targets), for either provider.</summary>
public static class OpsDatabase
{
    public static DbConnection Open(DatabaseTarget target)
    {
        DbConnection conn = target.Provider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(target.ConnectionString)
            : new SqliteConnection(target.ConnectionString);
        conn.Open();
        return conn;
    }

    /// <summary>A context on another database, configured as the service configures its own.</summary>
    public static AppDbContext Context(DatabaseTarget target) => target.Provider == DatabaseProvider.Postgres
        ? new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>()
            .UseNpgsql(target.ConnectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention().Options)
        : new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>()
            .UseSqlite(target.ConnectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention().Options);

    public static async Task<DatabaseSnapshot> SnapshotAsync(DatabaseTarget target, CancellationToken ct)
    {
        await using var conn = Open(target);
        return await SnapshotAsync(conn, target.Provider, ct);
    }

    /// <summary>On an open connection, so a caller can take it inside the transaction whose snapshot it dumps.</summary>
    public static async Task<DatabaseSnapshot> SnapshotAsync(DbConnection conn, DatabaseProvider provider, CancellationToken ct)
    {
        var tables = await ListAsync(conn, provider == DatabaseProvider.Postgres
            ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1", ct);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            // Names come from the catalogue, quoted as identifiers.
            counts[table] = await ScalarAsync(conn, $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"",
                ct);
        }

        var migration = tables.Contains("__ef_migrations_history")
            ? (await ListAsync(conn, "SELECT migration_id FROM __ef_migrations_history ORDER BY migration_id DESC LIMIT 1", ct))
                .FirstOrDefault()
            : null;
        var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (tables.Contains("ledger_entries") && tables.Contains("accounts"))
        {
            totals["entries"] = await ScalarAsync(conn, "SELECT COUNT(*) FROM ledger_entries", ct);
            totals["credits"] = await ScalarAsync(conn,
                "SELECT COALESCE(SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END), 0) FROM ledger_entries", ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT kind, COALESCE(SUM(balance), 0) FROM accounts GROUP BY kind ORDER BY kind";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                totals["balance." + reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1),
                    System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return new DatabaseSnapshot(migration, counts, totals);
    }

    public static async Task<long> ScalarAsync(DbConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<List<string>> ListAsync(DbConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var values = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>The same server and credentials, another database (the maintenance one by default).</summary>
    public static string OnDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database, Pooling = false }.ConnectionString;

    public static async Task CreatePostgresDatabaseAsync(string connectionString, string name, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(OnDatabase(connectionString, "postgres"));
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {Quote(name)}", conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<bool> PostgresDatabaseExistsAsync(string connectionString, string name, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(OnDatabase(connectionString, "postgres"));
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn);
        cmd.Parameters.AddWithValue("n", name);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    public static async Task DropPostgresDatabaseAsync(string connectionString, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(OnDatabase(connectionString, "postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Whether two targets name the same database: same server and database name, or the same SQLite file.</summary>
    public static bool SameDatabase(DatabaseTarget a, DatabaseTarget b)
    {
        if (a.Provider != b.Provider)
        {
            return false;
        }

        if (a.Provider == DatabaseProvider.Sqlite)
        {
            return string.Equals(Path.GetFullPath(new SqliteConnectionStringBuilder(a.ConnectionString).DataSource),
                Path.GetFullPath(new SqliteConnectionStringBuilder(b.ConnectionString).DataSource), StringComparison.Ordinal);
        }

        var (x, y) = (new NpgsqlConnectionStringBuilder(a.ConnectionString), new NpgsqlConnectionStringBuilder(b.ConnectionString));
        return string.Equals(x.Host, y.Host, StringComparison.OrdinalIgnoreCase) && x.Port == y.Port &&
               string.Equals(x.Database ?? x.Username, y.Database ?? y.Username, StringComparison.Ordinal);
    }
}
