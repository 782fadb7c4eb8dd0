using System.Buffers.Text;

namespace SuperApp.Platform.Http;

/// <summary>A page of a list: <c>{ items, nextCursor }</c>. Cursors are opaque to clients.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class Cursor
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>Ids are GUID v7, so they sort by creation time and make a stable keyset cursor.</summary>
    public static string Encode(Guid lastId) => Base64Url.EncodeToString(lastId.ToByteArray());

    public static bool TryDecode(string? cursor, out Guid? lastId)
    {
        lastId = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(cursor);
            if (bytes.Length != 16)
            {
                return false;
            }

            lastId = new Guid(bytes);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static int Clamp(int? limit) => Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);
}
