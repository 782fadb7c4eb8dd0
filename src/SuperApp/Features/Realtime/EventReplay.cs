namespace SuperApp.Features.Realtime;

/// <summary>A page of missed durable events; <c>Resync</c> when some were already purged (refetch by REST).</summary>
public sealed record EventPage(IReadOnlyList<RealtimeEnvelope> Items, long LastSeq, bool Resync);

/// <summary>Reads what a user missed after a seq, for Resume and its REST twin.</summary>
public sealed class EventReplay(AppDbContext db, IOptions<RealtimeOptions> options)
{
    public async Task<EventPage> AfterAsync(Guid userId, long afterSeq, int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? options.Value.MaxReplay, 1, options.Value.MaxReplay);
        var rows = await db.Set<RealtimeEvent>().AsNoTracking()
            .Where(e => e.UserId == userId && e.Seq > afterSeq)
            .OrderBy(e => e.Seq).Take(take).ToListAsync(ct);
        var last = await db.Set<RealtimeSequence>().Where(s => s.UserId == userId).Select(s => (long?)s.LastSeq).FirstOrDefaultAsync(ct)
            ?? 0;
        // A gap between afterSeq and the oldest kept event means the retention purge took events the client never saw.
        // A client ahead of the server (a restored database) must refetch too.
        var resync = (afterSeq < last && (rows.Count == 0 || rows[0].Seq > afterSeq + 1)) || afterSeq > last;
        return new EventPage(rows.Select(RealtimeEnvelope.From).ToList(), rows.Count > 0 ? rows[^1].Seq : last, resync);
    }
}
