using System.Buffers.Binary;
using System.Buffers.Text;

namespace SuperApp.Features.Premium;

public enum BrowseSort { Recent, Popular, PriceAsc, PriceDesc }

/// <summary>
/// Keyset position in a browse order: the last item's sort key and id. It names its sort, so a
/// cursor from one order is refused by another instead of silently skipping items.
/// </summary>
public readonly record struct BrowseCursor(BrowseSort Sort, long Key, Guid Id)
{
    private const int Length = 1 + 8 + 16;

    public string Encode()
    {
        var bytes = new byte[Length];
        bytes[0] = (byte)Sort;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), Key);
        Id.TryWriteBytes(bytes.AsSpan(9));
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? text, BrowseSort sort, out BrowseCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(text);
            if (bytes.Length != Length || bytes[0] != (byte)sort)
            {
                return false;
            }

            cursor = new BrowseCursor(sort, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1)), new Guid(bytes.AsSpan(9)));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
