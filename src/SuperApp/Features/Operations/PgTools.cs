using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace SuperApp.Features.Operations;

/// <summary>
/// PostgreSQL's client programs (pg_dump, pg_restore), of at least the server's major version: an older
/// pg_dump refuses a newer server, and a dump restores only with a pg_restore at least as new as its
/// pg_dump. Looked for in the server's own version folder first, then on PATH, then in any other.
/// </summary>
public static partial class PgTools
{
    public static async Task<int> ServerMajorAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SHOW server_version_num", conn);
        return int.Parse((string)(await cmd.ExecuteScalarAsync(ct))!, CultureInfo.InvariantCulture) / 10000;
    }

    /// <summary>The path of <paramref name="tool"/> for a server of <paramref name="serverMajor"/>, or an error saying what is
    /// missing.</summary>
    public static async Task<string> FindAsync(string tool, int serverMajor, CancellationToken ct)
    {
        var candidates = new List<string> { $"/usr/lib/postgresql/{serverMajor}/bin/{tool}" };
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator,
            StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool)));
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", tool)));
        }

        var older = new List<string>();
        foreach (var path in candidates.Distinct(StringComparer.Ordinal).Where(File.Exists))
        {
            var major = await VersionAsync(path, ct);
            if (major >= serverMajor)
            {
                return path;
            }

            older.Add($"{path} is {major}");
        }

        throw new InvalidOperationException(older.Count == 0
            ? $"{tool} was not found (looked in /usr/lib/postgresql/*/bin and PATH); install postgresql-client-{serverMajor}."
            : $"{tool} is older than the server (PostgreSQL {serverMajor}): {string.Join(", ", older)}; " +
              $"install postgresql-client-{serverMajor}.");
    }

    private static async Task<int> VersionAsync(string path, CancellationToken ct)
    {
        var (exit, output) = await RunAsync(path, ["--version"], null, ct);
        var match = VersionPattern().Match(output);
        return exit == 0 && match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>
    /// Runs a client program against the database in <paramref name="connectionString"/>, passed through
    /// libpq's environment variables so the password never shows on a command line.
    /// </summary>
    public static async Task<(int Exit, string Output)> RunAsync(string path, IEnumerable<string> args, string? connectionString,
        CancellationToken ct)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (connectionString is not null)
        {
            var cs = new NpgsqlConnectionStringBuilder(connectionString);
            start.Environment["PGHOST"] = cs.Host;
            start.Environment["PGPORT"] = cs.Port.ToString(CultureInfo.InvariantCulture);
            start.Environment["PGDATABASE"] = cs.Database ?? cs.Username;
            start.Environment["PGUSER"] = cs.Username;
            start.Environment["PGSSLMODE"] = cs.SslMode switch
            {
                SslMode.Disable => "disable",
                SslMode.Allow => "allow",
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                SslMode.VerifyFull => "verify-full",
                _ => "prefer",
            };
            if (!string.IsNullOrEmpty(cs.Password))
            {
                start.Environment["PGPASSWORD"] = cs.Password;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)")]
    private static partial Regex VersionPattern();
}
