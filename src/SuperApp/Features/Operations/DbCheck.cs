using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace SuperApp.Features.Operations;

/// <summary>
/// <c>db check</c> (PostgreSQL): every index of the checklist's §1.3 exists and is valid, the
/// validation queries are answered through an index, and the index sizes per table and in total.
/// The plans are taken on a scratch schema inside a transaction that is rolled back: the
/// checked tables are copied with their live indexes (<c>LIKE … INCLUDING INDEXES</c>), filled with
/// <c>--rows</c> generated rows and analysed, so the planner has a real choice between an index and
/// a sequential scan whatever the size of the live data, and the live tables are never written.
/// </summary>
public static class DbCheck
{
    private static readonly string[] IndexScans = ["Index Scan", "Index Only Scan", "Bitmap Index Scan"];
    private static readonly string[] SizeHeader = ["table", "indexes", "index size", "table size"];

    public static async Task<OpsReport> RunAsync(DatabaseTarget target, int rows, CancellationToken ct)
    {
        var report = new OpsReport("db check");
        if (target.Provider != DatabaseProvider.Postgres)
        {
            // Exit 2 (usage): the checks are about PostgreSQL's catalogue and planner; there is nothing to pass or fail.
            throw new NotSupportedException("db check needs PostgreSQL (DATABASE_URI is SQLite): index validity, plans and sizes " +
                "are PostgreSQL's. The embedded SQLite file has the same indexes from its migrations.");
        }

        await using var conn = new NpgsqlConnection(target.ConnectionString);
        await conn.OpenAsync(ct);
        await CheckIndexesAsync(conn, report, ct);
        await CheckPlansAsync(conn, report, rows, ct);
        await SizesAsync(conn, report, ct);
        return report;
    }

    private static async Task CheckIndexesAsync(NpgsqlConnection conn, OpsReport report, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT c.relname, i.indisvalid AND i.indisready, pg_relation_size(c.oid) FROM pg_index i " +
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = current_schema() AND c.relname = ANY(@names)", conn);
        cmd.Parameters.AddWithValue("names", IndexCatalog.Indexes.Select(i => i.Name).ToArray());
        var found = new Dictionary<string, (bool Valid, long Size)>(StringComparer.Ordinal);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                found[reader.GetString(0)] = (reader.GetBoolean(1), reader.GetInt64(2));
            }
        }

        foreach (var index in IndexCatalog.Indexes)
        {
            var name = $"index {index.Group}: {index.Name}";
            report.Add(found.TryGetValue(index.Name, out var f)
                ? OpsCheck.Of(name, f.Valid, f.Valid ? $"valid, {BackupCreate.FormatBytes(f.Size)}" : "invalid",
                    "The index exists but is not valid (a failed CREATE INDEX CONCURRENTLY?): REINDEX it.")
                : OpsCheck.Fail(name, "missing", $"On {index.Table}, for {index.Serves}: run `superapp migrate` or recreate it."));
        }
    }

    private static async Task CheckPlansAsync(NpgsqlConnection conn, OpsReport report, int rows, CancellationToken ct)
    {
        var schema = "superapp_dbcheck_" + Guid.NewGuid().ToString("N")[..8];
        var tables = IndexCatalog.Queries.Select(q => q.Table).Distinct(StringComparer.Ordinal).ToList();
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            await ExecAsync(conn, tx, $"CREATE SCHEMA {schema}", ct);
            foreach (var table in tables)
            {
                await ExecAsync(conn, tx, $"CREATE TABLE {schema}.{table} (LIKE public.{table} INCLUDING DEFAULTS INCLUDING INDEXES)", ct);
                await ExecAsync(conn, tx, await SeedSqlAsync(conn, tx, schema, table, rows, ct), ct);
                await ExecAsync(conn, tx, $"ANALYZE {schema}.{table}", ct);
            }

            var liveNames = await LiveNamesAsync(conn, tx, schema, ct);
            await ExecAsync(conn, tx, $"SET LOCAL search_path = {schema}", ct);
            foreach (var query in IndexCatalog.Queries)
            {
                await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + query.Sql, conn, tx);
                var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(ct))!).RootElement[0].GetProperty("Plan");
                var nodes = Nodes(plan).ToList();
                var scans = nodes.Where(n => IndexScans.Contains(n.Type)).Select(n => liveNames.TryGetValue(n.Index ?? "",
                    out var live) ? live : n.Index)
                    .Distinct().ToList();
                var seq = nodes.Any(n => n.Type == "Seq Scan");
                var ok = scans.Count > 0 && !seq;
                report.Add(OpsCheck.Of($"plan {query.Group}: {query.Name}", ok,
                    ok ? "Index Scan using " + string.Join(", ", scans) : string.Join(" → ", nodes.Select(n => n.Type)),
                    $"{query.Table} is read by a sequential scan over {rows} rows: an index is missing or unusable."));
            }
        }
        finally
        {
            await tx.RollbackAsync(CancellationToken.None);
        }
    }

    /// <summary>The copies' indexes get generated names; the plan is reported with the live index each copies.</summary>
    private static async Task<Dictionary<string, string>> LiveNamesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string schema,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT s.indexname, p.indexname FROM pg_indexes s " +
            "JOIN pg_indexes p ON p.schemaname = 'public' AND p.tablename = s.tablename " +
            "AND substring(p.indexdef from ' USING .*') = substring(s.indexdef from ' USING .*') WHERE s.schemaname = @s", conn, tx);
        cmd.Parameters.AddWithValue("s", schema);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            names.TryAdd(reader.GetString(0), reader.GetString(1));
        }

        return names;
    }

    /// <summary>
    /// INSERT … SELECT over generate_series with a distinct value per row in every column, so every
    /// index is selective and only its absence makes the planner scan the table.
    /// </summary>
    private static async Task<string> SeedSqlAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string schema, string table, int rows,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT column_name, data_type, character_maximum_length, is_nullable = 'YES' FROM information_schema.columns " +
            "WHERE table_schema = 'public' AND table_name = @t ORDER BY ordinal_position", conn, tx);
        cmd.Parameters.AddWithValue("t", table);
        var columns = new List<string>();
        var values = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var length = reader.IsDBNull(2) ? (int?)null : reader.GetInt32(2);
                var value = reader.GetString(1).ToLowerInvariant() switch
                {
                    "uuid" => "gen_random_uuid()",
                    "bigint" or "integer" or "smallint" or "numeric" => "i",
                    "boolean" => "(i % 2 = 0)",
                    "timestamp with time zone" or "timestamp without time zone" => "now() - i * interval '1 second'",
                    "character varying" or "text" => length is { } n ? $"left('v' || i, {n})" : "'v' || i",
                    "bytea" => "decode(md5(i::text), 'hex')",
                    "array" => "'{}'",
                    "jsonb" or "json" => "'{}'",
                    _ => reader.GetBoolean(3) ? null : throw new InvalidOperationException(
                        $"db check cannot generate values for {table}.{reader.GetString(0)} ({reader.GetString(1)})."),
                };
                if (value is not null)
                {
                    columns.Add(OpsDatabase.Quote(reader.GetString(0)));
                    values.Add(value);
                }
            }
        }

        return $"INSERT INTO {schema}.{table} ({string.Join(", ", columns)}) " +
               $"SELECT {string.Join(", ", values)} FROM generate_series(1, {rows.ToString(CultureInfo.InvariantCulture)}) AS i";
    }

    private static IEnumerable<(string Type, string? Index)> Nodes(JsonElement plan)
    {
        yield return (plan.GetProperty("Node Type").GetString()!,
            plan.TryGetProperty("Index Name", out var index) ? index.GetString() : null);
        if (plan.TryGetProperty("Plans", out var children))
        {
            foreach (var node in children.EnumerateArray().SelectMany(Nodes))
            {
                yield return node;
            }
        }
    }

    private static async Task SizesAsync(NpgsqlConnection conn, OpsReport report, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT c.relname, pg_indexes_size(c.oid), pg_table_size(c.oid), " +
            "(SELECT COUNT(*) FROM pg_index i WHERE i.indrelid = c.oid) FROM pg_class c " +
            "JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 2 DESC, 1", conn);
        var rows = new List<string[]> { SizeHeader };
        var byGroup = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (table, size) = (reader.GetString(0), reader.GetInt64(1));
            total += size;
            rows.Add([table, reader.GetInt64(3).ToString(CultureInfo.InvariantCulture), BackupCreate.FormatBytes(size),
                BackupCreate.FormatBytes(reader.GetInt64(2))]);
            var group = IndexCatalog.Indexes.FirstOrDefault(i => i.Table == table)?.Group;
            if (group is not null)
            {
                byGroup[group] = byGroup.GetValueOrDefault(group) + size;
            }
        }

        rows.Add(["total", "", BackupCreate.FormatBytes(total), ""]);
        report.Tables["index sizes"] = rows;
        report.Figures["indexBytesByGroup"] = byGroup;
        report.Figures["indexBytesTotal"] = total;
        report.Add(OpsCheck.Pass("index size total", BackupCreate.FormatBytes(total)));
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
