using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Features.Operations;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Operations;

/// <summary>
/// backup create → verify → restore, run as the built binary against a database the service filled
/// through its API; a damaged file fails verify with a clear message.
/// </summary>
public abstract class BackupTests<TApp>(TApp app) : IClassFixture<TApp>, IAsyncLifetime where TApp : AppFixture
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "superapp-backup-tests", Guid.NewGuid().ToString("N"));
    private string? _second;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_second is not null && app.Provider == DatabaseProvider.Postgres)
        {
            await TestServers.DropPostgresDatabaseAsync(_second);
        }

        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_backup_verifies_and_restores_into_a_second_database_with_the_same_rows_and_ledger()
    {
        await FillAsync();
        var file = await CreateBackupAsync();
        Assert.True(File.Exists(BackupManifest.PathFor(file)));

        var metrics = Path.Combine(_dir, "superapp_backup.prom");
        var (exit, output) = await ServiceProcess.RunAsync(app.ConnectionString, ["backup", "verify", file, "--metrics-file", metrics]);
        Assert.True(exit == 0, output);
        Assert.Contains("ledger invariants", output, StringComparison.Ordinal);
        Assert.Contains("backup verify: OK", output, StringComparison.Ordinal);
        // What the backup-age alert reads: the verify's time, in the textfile collector's format.
        var line = File.ReadAllLines(metrics)
            .Single(l => l.StartsWith("superapp_backup_last_verified_timestamp_seconds{", StringComparison.Ordinal));
        var stamp = long.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(stamp), DateTimeOffset.UtcNow.AddMinutes(-5),
            DateTimeOffset.UtcNow.AddMinutes(1));

        _second = await NewDatabaseAsync();
        (exit, output) = await ServiceProcess.RunAsync(app.ConnectionString, ["backup", "restore", file, "--to", _second, "--yes"]);
        Assert.True(exit == 0, output);

        var source = Target(app.ConnectionString);
        var restored = Target(_second);
        var (a, b) = (await OpsDatabase.SnapshotAsync(source, default), await OpsDatabase.SnapshotAsync(restored, default));
        Assert.Equal(a.RowCounts, b.RowCounts);
        Assert.Equal(a.LedgerTotals, b.LedgerTotals);
        Assert.Equal(a.Migration, b.Migration);
        Assert.True(a.RowCounts["ledger_entries"] >= 6);
        await using var db = OpsDatabase.Context(restored);
        Assert.True((await LedgerVerifier.VerifyAsync(db, default)).Ok);
    }

    [Fact]
    public async Task A_corrupted_or_truncated_backup_fails_verify_with_a_clear_message()
    {
        await FillAsync();
        var file = await CreateBackupAsync();
        var bytes = await File.ReadAllBytesAsync(file);

        var corrupted = Path.Combine(_dir, "corrupted" + Path.GetExtension(file));
        var flipped = (byte[])bytes.Clone();
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++)
        {
            flipped[i] ^= 0x5A;
        }

        await File.WriteAllBytesAsync(corrupted, flipped);
        File.Copy(BackupManifest.PathFor(file), BackupManifest.PathFor(corrupted));
        var (exit, output) = await ServiceProcess.RunAsync(app.ConnectionString, ["backup", "verify", corrupted]);
        Assert.Equal(1, exit);
        Assert.Contains("corrupted or truncated", output, StringComparison.Ordinal);

        // A truncated file whose manifest was rewritten to match gets past the checksum; the restore itself must catch it.
        var truncated = Path.Combine(_dir, "truncated" + Path.GetExtension(file));
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length * 2 / 3)]);
        var manifest = await BackupManifest.ReadAsync(file, default) with
        {
            SizeBytes = new FileInfo(truncated).Length,
            Sha256 = await BackupManifest.Sha256Async(truncated, default),
        };
        await manifest.WriteAsync(truncated, default);
        (exit, output) = await ServiceProcess.RunAsync(app.ConnectionString, ["backup", "verify", truncated, "--json"]);
        Assert.Equal(1, exit);
        var json = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        Assert.False(json.GetProperty("ok").GetBoolean());
        var restore = json.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "restore");
        Assert.Equal("fail", restore.GetProperty("status").GetString());
        Assert.Contains("could not be restored", restore.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_needs_yes_and_refuses_the_configured_database_without_force()
    {
        await FillAsync();
        var file = await CreateBackupAsync();

        var (exit, output) = await ServiceProcess.RunAsync(app.ConnectionString, ["backup", "restore", file, "--to", app.ConnectionString]);
        Assert.Equal(1, exit);
        Assert.Contains("--yes", output, StringComparison.Ordinal);

        (exit, output) = await ServiceProcess.RunAsync(app.ConnectionString, ["backup", "restore", file, "--to", app.ConnectionString,
            "--yes"]);
        Assert.Equal(1, exit);
        Assert.Contains("--force", output, StringComparison.Ordinal);

        (exit, output) = await ServiceProcess.RunAsync(app.ConnectionString,
            ["backup", "restore", file, "--to", app.ConnectionString, "--yes", "--force"]);
        Assert.True(exit == 0, output);
    }

    private async Task<string> CreateBackupAsync()
    {
        var (exit, output) = await ServiceProcess.RunAsync(app.ConnectionString, ["backup", "create", "--out", _dir, "--json"]);
        Assert.True(exit == 0, output);
        var json = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        Assert.True(json.GetProperty("figures").GetProperty("sizeBytes").GetInt64() > 0);
        return json.GetProperty("figures").GetProperty("file").GetString()!;
    }

    private async Task FillAsync()
    {
        var admin = await app.AdminAsync();
        var alice = await app.RegisterAsync();
        var bob = await app.RegisterAsync();
        foreach (var who in new[] { alice, bob })
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{who.UserId}/credit",
                new { amount = 500_000, reason = "backup test" })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created,
            (await alice.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = bob.UserId, amount = 1_234 })).StatusCode);
    }

    private async Task<string> NewDatabaseAsync() => app.Provider == DatabaseProvider.Postgres
        ? await TestServers.CreatePostgresDatabaseAsync()
        : TestServers.NewSqliteDatabase();

    private DatabaseTarget Target(string connectionString) => new(app.Provider, connectionString);
}

public sealed class BackupTestsOnPostgres(App<Postgres, Defaults> app) : BackupTests<App<Postgres, Defaults>>(app);

public sealed class BackupTestsOnSqlite(App<Sqlite, Defaults> app) : BackupTests<App<Sqlite, Defaults>>(app);
