using SuperApp.Features.Users;
using SuperApp.Features.Users.Access;

namespace SuperApp.Features.Realtime;

public static class GetPresence
{
    /// <summary>Whether a user is connected (or left less than the grace period ago), and when they were last seen.</summary>
    public static async Task<Results<Ok<PresenceView>, ProblemHttpResult>> Handle(
        Guid id, UserStatuses statuses, PresenceTracker presence, CancellationToken ct) =>
        await statuses.GetAsync(id, ct) == UserStatus.Active
            ? TypedResults.Ok(await presence.GetAsync(id))
            : Problems.NotFound("USER_NOT_FOUND", "No such user.");
}
