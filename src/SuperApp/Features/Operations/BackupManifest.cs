using System.Security.Cryptography;
using System.Text.Json;

namespace SuperApp.Features.Operations;

/// <summary>Written beside each backup as <c>FILE.manifest.json</c>: what verify and restore compare the file and its restore
/// with.</summary>
public sealed record BackupManifest(
    string Provider,
    string Format,
    string File,
    long SizeBytes,
    long DurationMs,
    string Sha256,
    DateTime CreatedAt,
    string? ServerVersion,
    string? Migration,
    SortedDictionary<string, long> RowCounts,
    SortedDictionary<string, long> LedgerTotals)
{
    public static string PathFor(string backupFile) => backupFile + ".manifest.json";

    public static async Task<BackupManifest> ReadAsync(string backupFile, CancellationToken ct)
    {
        var path = PathFor(backupFile);
        if (!System.IO.File.Exists(path))
        {
            throw new InvalidOperationException($"No manifest beside the backup: {path} is missing.");
        }

        try
        {
            await using var stream = System.IO.File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<BackupManifest>(stream, OpsReport.Json, ct)
                ?? throw new InvalidOperationException($"{path} is not a backup manifest.");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{path} is not a readable backup manifest: {e.Message}", e);
        }
    }

    public async Task WriteAsync(string backupFile, CancellationToken ct) =>
        await System.IO.File.WriteAllTextAsync(PathFor(backupFile), JsonSerializer.Serialize(this, OpsReport.Json), ct);

    public static async Task<string> Sha256Async(string file, CancellationToken ct)
    {
        await using var stream = System.IO.File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    /// <summary>Each difference between what the manifest recorded and what a restore holds, as "name: expected → found".</summary>
    public static List<string> Differences(IReadOnlyDictionary<string, long> expected, IReadOnlyDictionary<string, long> found) =>
        expected.Keys.Union(found.Keys).Order(StringComparer.Ordinal)
            .Where(k => expected.GetValueOrDefault(k, -1) != found.GetValueOrDefault(k, -1))
            .Select(k => $"{k}: {(expected.TryGetValue(k, out var e) ? e : "absent")} → " +
                $"{(found.TryGetValue(k, out var f) ? f : "absent")}")
            .ToList();
}
