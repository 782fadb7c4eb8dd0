using Npgsql;

namespace SuperApp.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>
/// Where the data lives, from <c>DATABASE_URI</c>: a <c>postgres://</c> URL or an Npgsql
/// <c>Host=…</c> string means PostgreSQL, a <c>Data Source=…</c> string means SQLite, nothing
/// means the embedded SQLite file.
/// </summary>
public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqlitePath = "data/superapp.db";

    public static DatabaseTarget Parse(string? uri, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            var path = Path.Combine(contentRoot, DefaultSqlitePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new(DatabaseProvider.Sqlite, $"Data Source={path};Default Timeout=30;Pooling=True");
        }

        if (uri.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
            uri.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Postgres, WithDefaults(FromUrl(new Uri(uri))));
        }

        if (uri.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Sqlite, uri);
        }

        if (uri.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Postgres, WithDefaults(uri));
        }

        throw new InvalidOperationException(
            "DATABASE_URI must be a postgres:// URL, an Npgsql 'Host=…' string or a SQLite 'Data Source=…' string.");
    }

    /// <summary>
    /// Server-side prepared statements for the hot statements (the ledger's few shapes repeat on
    /// every request), and no session reset when a connection goes back to the pool (the service
    /// never leaves session state behind), unless the operator chose otherwise.
    /// </summary>
    private static string WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    private static string FromUrl(Uri url)
    {
        var user = url.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port <= 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')),
            Username = user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : null,
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
        };

        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            // libpq's sslmode=require maps onto Npgsql's SSL Mode.
            builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
        }

        return builder.ConnectionString;
    }
}
