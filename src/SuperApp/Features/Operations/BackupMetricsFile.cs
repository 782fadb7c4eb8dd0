using System.Globalization;

namespace SuperApp.Features.Operations;

/// <summary>
/// The "last verified backup" the SuperAppBackupStale alert reads, as a Prometheus textfile-collector
/// file. Written to a temporary name and moved into place, so a scrape never sees half a file.
/// </summary>
public static class BackupMetricsFile
{
    public static async Task WriteAsync(string path, DateTimeOffset verifiedAt, CancellationToken ct)
    {
        var text = "# HELP superapp_backup_last_verified_timestamp_seconds When a backup last passed superapp backup verify.\n"
            + "# TYPE superapp_backup_last_verified_timestamp_seconds gauge\n"
            + "superapp_backup_last_verified_timestamp_seconds{job=\"superapp\"} "
            + verifiedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "\n";
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, text, ct);
        File.Move(temporary, path, overwrite: true);
    }
}
