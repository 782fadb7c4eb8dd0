using Npgsql;

namespace SuperApp.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL and Redis servers the suite runs against; <c>./test.sh</c> starts them and
/// exports their addresses. Without them every test that needs one fails with this message.
/// </summary>
public static class TestServers
{
    private const string Hint = "Run the tests with ./test.sh, which installs and starts PostgreSQL and Redis for the run.";

    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("SUPERAPP_TEST_POSTGRES") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("SUPERAPP_TEST_POSTGRES is not set. " + Hint);

    public static string Redis =>
        Environment.GetEnvironmentVariable("SUPERAPP_TEST_REDIS") is { Length: > 0 } r
            ? r
            : throw new InvalidOperationException("SUPERAPP_TEST_REDIS is not set. " + Hint);

    /// <summary>The server's own <c>postgres</c> database, where databases are created and dropped.</summary>
    private static string AdminDatabase => new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = "postgres" }.ConnectionString;

    /// <summary>Creates an empty database of its own for one fixture and returns its connection string.</summary>
    public static async Task<string> CreatePostgresDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var conn = new NpgsqlConnection(AdminDatabase))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name }.ConnectionString;
    }

    public static async Task DropPostgresDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(AdminDatabase);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static string NewSqliteDatabase()
    {
        var dir = Path.Combine(Path.GetTempPath(), "superapp-tests-sqlite");
        Directory.CreateDirectory(dir);
        return $"Data Source={Path.Combine(dir, Guid.NewGuid().ToString("N") + ".db")};Default Timeout=30";
    }
}
