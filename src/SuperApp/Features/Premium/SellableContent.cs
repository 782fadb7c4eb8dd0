using Microsoft.Extensions.Caching.Memory;

namespace SuperApp.Features.Premium;

/// <summary>
/// Paid, published content as an unlock last read it, kept a few seconds so the next unlock goes straight to its
/// money transaction: a popular post is bought many times a second, and the read before the transaction was a round
/// trip of its own. Nothing is sold on this entry's word. The transaction checks again everything taken from it (the
/// count update is conditional on status, price and subscriber-only; the guard requires an active creator), so an
/// entry gone stale answers 409 CONTENT_CHANGED with nothing moved, is dropped, and the retry reads the content
/// afresh. Changes made on this instance drop the entry at once; on another instance it lasts <see cref="CacheFor"/>.
/// </summary>
public sealed class SellableContent(IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    /// <summary>The creator (never changes) and the price the buyer pays.</summary>
    public sealed record Entry(Guid CreatorId, long Price);

    public Entry? Find(Guid contentId) => cache.TryGetValue(Key(contentId), out Entry? entry) ? entry : null;

    /// <summary>Keeps <paramref name="content"/> when an unlock of it would be sold: published, live and paid.</summary>
    public void Remember(PremiumContent content)
    {
        if (content is { Status: ContentStatus.Published, DeletedAt: null, SubscriberOnly: false, Price: > 0 })
        {
            cache.Set(Key(content.Id), new Entry(content.CreatorId, content.Price), CacheFor);
        }
    }

    public void Forget(Guid contentId) => cache.Remove(Key(contentId));

    private static string Key(Guid contentId) => $"sellable-content:{contentId}";
}
