using SuperApp.Features.Subscriptions;

namespace SuperApp.Features.Premium;

public enum AccessStatus { Creator, Unlocked, Subscription, Free, Locked }

/// <summary>Who may see a piece of content's media, and why.</summary>
public static class ContentAccess
{
    public static bool Grants(this AccessStatus status) => status != AccessStatus.Locked;

    /// <summary>
    /// The creator always; a buyer for good (even after a price change); subscribers for
    /// subscriber-only content; everyone for free content. Subscriber-only is never free.
    /// </summary>
    public static AccessStatus Decide(PremiumContent c, Guid userId, bool unlocked, bool subscribed) =>
        c.CreatorId == userId ? AccessStatus.Creator
        : unlocked ? AccessStatus.Unlocked
        : c.SubscriberOnly ? (subscribed ? AccessStatus.Subscription : AccessStatus.Locked)
        : c.Price == 0 ? AccessStatus.Free
        : AccessStatus.Locked;

    public static async Task<AccessStatus> ResolveAsync(AppDbContext db, PremiumContent c, Guid userId, DateTime now, CancellationToken ct)
    {
        var unlocked = c.CreatorId != userId && await db.ContentUnlocks.AnyAsync(u => u.UserId == userId && u.ContentId == c.Id, ct);
        var subscribed = c.SubscriberOnly && !unlocked && c.CreatorId != userId &&
                         await SubscriptionQueries.HasActiveAsync(db, userId, c.CreatorId, now, ct);
        return Decide(c, userId, unlocked, subscribed);
    }

    /// <summary>The same decision for a page of content, with one query for unlocks.</summary>
    public static async Task<Dictionary<Guid, AccessStatus>> ResolveManyAsync(
        AppDbContext db, IReadOnlyList<PremiumContent> contents, Guid userId, DateTime now, CancellationToken ct)
    {
        var ids = contents.Select(c => c.Id).ToList();
        var unlocked = (await db.ContentUnlocks.Where(u => u.UserId == userId && ids.Contains(u.ContentId)).Select(u => u.ContentId)
            .ToListAsync(ct))
            .ToHashSet();
        var subscribedTo = new HashSet<Guid>();
        foreach (var creator in contents.Where(c => c.SubscriberOnly && c.CreatorId != userId && !unlocked.Contains(c.Id))
            .Select(c => c.CreatorId).Distinct())
        {
            if (await SubscriptionQueries.HasActiveAsync(db, userId, creator, now, ct))
            {
                subscribedTo.Add(creator);
            }
        }

        return contents.ToDictionary(c => c.Id, c => Decide(c, userId, unlocked.Contains(c.Id), subscribedTo.Contains(c.CreatorId)));
    }
}
