namespace SuperApp.Features.Premium;

/// <summary>An uploadable type: recognised by its leading bytes, since a file name or a client's
/// Content-Type header is only a claim.</summary>
public sealed record MediaType(string Name, string ContentType, string Extension, string[] Extensions, Func<ReadOnlySpan<byte>,
    bool> Matches);

public static class MediaTypes
{
    /// <summary>Enough leading bytes to tell every known type apart.</summary>
    public const int SniffLength = 12;

    public static readonly IReadOnlyList<MediaType> All =
    [
        new("jpeg", "image/jpeg", ".jpg", [".jpg", ".jpeg"], b => b is [0xFF, 0xD8, 0xFF, ..]),
        new("png", "image/png", ".png", [".png"], b => b is [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..]),
        new("gif", "image/gif", ".gif", [".gif"],
            b => b is [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..]),
        new("webp", "image/webp", ".webp", [".webp"], b => b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8)
            && b[8..12].SequenceEqual("WEBP"u8)),
        new("mp4", "video/mp4", ".mp4", [".mp4", ".m4v"], b => b.Length >= 8 && b[4..8].SequenceEqual("ftyp"u8)),
        new("pdf", "application/pdf", ".pdf", [".pdf"], b => b.StartsWith("%PDF-"u8)),
        new("mp3", "audio/mpeg", ".mp3", [".mp3"], IsMp3),
    ];

    public static MediaType? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The type the bytes are, among the allowed ones, or null.</summary>
    public static MediaType? Sniff(ReadOnlySpan<byte> head, IEnumerable<string> allowed)
    {
        foreach (var name in allowed)
        {
            if (Find(name) is { } type && type.Matches(head))
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>An ID3 tag, or an MPEG audio layer III frame header (11 sync bits, a valid version).</summary>
    private static bool IsMp3(ReadOnlySpan<byte> b) =>
        b.StartsWith("ID3"u8) || (b.Length >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0 && (b[1] & 0x18) != 0x08 && (b[1] & 0x06) == 0x02);
}
