namespace SuperApp.Features.Realtime;

public static class ListEvents
{
    /// <summary>The REST twin of the hub's Resume: durable events after a seq, oldest first.</summary>
    public static async Task<Results<Ok<EventPage>, ProblemHttpResult>> Handle(
        ClaimsPrincipal principal, EventReplay replay, long? after, int? limit, CancellationToken ct)
    {
        if (after is < 0)
        {
            return Problems.Validation("after", "after is a seq, 0 or more.");
        }

        if (limit is < 1)
        {
            return Problems.Validation("limit", "The limit is at least 1.");
        }

        return TypedResults.Ok(await replay.AfterAsync(principal.UserId(), after ?? 0, limit, ct));
    }
}
