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

/// <summary>Rows with a time-ordered GUID v7 id can be paged newest first by id alone.</summary>
public interface IHasId
{
    Guid Id { get; }
}

public static class PageQuery
{
    public static async Task<Page<TItem>> ToPageAsync<T, TItem>(
        this IQueryable<T> query, Guid? after, int? limit, Func<T, TItem> map, CancellationToken ct) where T : class, IHasId
    {
        var take = Cursor.Clamp(limit);
        if (after is { } a)
        {
            query = query.Where(x => x.Id.CompareTo(a) < 0);
        }

        var rows = await query.AsNoTracking().OrderByDescending(x => x.Id).Take(take + 1).ToListAsync(ct);
        var items = rows.Take(take).ToList();
        return new Page<TItem>(items.Select(map).ToList(), rows.Count > take ? Cursor.Encode(items[^1].Id) : null);
    }
}
