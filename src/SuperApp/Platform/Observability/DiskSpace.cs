namespace SuperApp.Platform.Observability;

/// <summary>Free space on the volume holding the service's files (logs, an SQLite database).</summary>
public static class DiskSpace
{
    public static string PathFor(ObservabilityOptions options, IConfiguration config, IHostEnvironment env) =>
        options.DiskPath is { Length: > 0 } path ? path
        : config["Logging:File:Directory"] is { Length: > 0 } logs ? logs
        : env.ContentRootPath;

    /// <summary>Null when the path's volume cannot be read (a missing directory walks up to one that exists).</summary>
    public static DiskSample? Sample(string path)
    {
        try
        {
            var dir = new DirectoryInfo(Path.GetFullPath(path));
            while (dir is { Exists: false, Parent: not null })
            {
                dir = dir.Parent;
            }

            var drive = new DriveInfo(dir.FullName);
            return new DiskSample(drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
