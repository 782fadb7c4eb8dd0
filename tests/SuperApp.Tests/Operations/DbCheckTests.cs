using Npgsql;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Operations;

/// <summary>db check run as the built binary on a migrated database; its plans come from a generated scratch schema (see
/// DbCheck).</summary>
public sealed class DbCheckTests : IAsyncLifetime
{
    private string _database = "";

    public async ValueTask InitializeAsync()
    {
        _database = await TestServers.CreatePostgresDatabaseAsync();
        var (exit, output) = await ServiceProcess.RunAsync(_database, ["migrate"]);
        Assert.True(exit == 0, output);
    }

    public async ValueTask DisposeAsync() => await TestServers.DropPostgresDatabaseAsync(_database);

    [Fact]
    public async Task A_migrated_database_passes_with_index_scans_and_sizes()
    {
        var (exit, output) = await ServiceProcess.RunAsync(_database, ["db", "check"]);

        Assert.True(exit == 0, output);
        Assert.Contains("Index Scan using ix_ledger_entries_account_id_id", output, StringComparison.Ordinal);
        Assert.Contains("index size total", output, StringComparison.Ordinal);
        Assert.DoesNotContain(await SchemasAsync(), n => n.StartsWith("superapp_dbcheck",
            StringComparison.Ordinal)); // the scratch schema was rolled back
    }

    [Fact]
    public async Task A_dropped_index_fails_as_missing_and_its_query_falls_to_a_sequential_scan()
    {
        await ExecAsync("DROP INDEX ix_ledger_entries_account_id_id");

        var (exit, output) = await ServiceProcess.RunAsync(_database, ["db", "check"]);

        Assert.Equal(1, exit);
        Assert.Matches(@"ix_ledger_entries_account_id_id\s*│\s*FAIL\s*│\s*missing", output);
        Assert.Matches(@"wallet statement\s*│\s*FAIL\s*│[^│]*Seq Scan", output);
    }

    [Fact]
    public async Task An_invalid_index_fails()
    {
        await ExecAsync("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'ix_users_email_status'::regclass");

        var (exit, output) = await ServiceProcess.RunAsync(_database, ["db", "check", "--json"]);

        Assert.Equal(1, exit);
        Assert.Contains("\"value\": \"invalid\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_sqlite_it_says_it_needs_postgresql_and_exits_2()
    {
        var (exit, output) = await ServiceProcess.RunAsync(TestServers.NewSqliteDatabase(), ["db", "check"]);

        Assert.Equal(2, exit);
        Assert.Contains("needs PostgreSQL", output, StringComparison.Ordinal);
    }

    private async Task ExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_database);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> SchemasAsync()
    {
        await using var conn = new NpgsqlConnection(_database);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT nspname FROM pg_namespace", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
