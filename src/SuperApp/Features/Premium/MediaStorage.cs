using System.Security.Cryptography;

namespace SuperApp.Features.Premium;

/// <summary>Where uploaded files live. Names are random, so no client input ever reaches a path.</summary>
public sealed class MediaStorage(IOptions<PremiumOptions> options, IHostEnvironment env)
{
    public string Root { get; } = Path.GetFullPath(options.Value.Media.StoragePath, env.ContentRootPath);

    public string PathOf(string fileName) => Path.Combine(Root, Path.GetFileName(fileName));

    public static string NewFileName(string extension) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + extension;

    public void Delete(string? fileName)
    {
        if (fileName is not null)
        {
            File.Delete(PathOf(fileName));
        }
    }
}
