namespace SuperApp.Features.Users.Access;

/// <summary>
/// Access tokens live 15 minutes; this stops a suspended or deleted account, or a token issued
/// before a password change, at once rather than at expiry. States come from
/// <see cref="UserStatuses"/>, so the check costs no query on most requests.
/// </summary>
public sealed class ActiveAccountMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, UserStatuses statuses)
    {
        if (http.User.Identity?.IsAuthenticated == true && http.User.UserIdOrNull() is { } userId)
        {
            var state = await statuses.GetStateAsync(userId, http.RequestAborted);
            if (state is null or { Status: UserStatus.Deleted })
            {
                await Problems.Unauthorized("ACCOUNT_NOT_FOUND", "The account no longer exists.").ExecuteAsync(http);
                return;
            }

            if (state.Status == UserStatus.Suspended)
            {
                await Problems.Forbidden("ACCOUNT_SUSPENDED", "The account is suspended.").ExecuteAsync(http);
                return;
            }

            if ((state.TokensValidAfter is { } after && http.User.IssuedAt() < after) ||
                (http.User.SessionId() is { } sid && state.EndedSessions.Contains(sid)))
            {
                await Problems.Unauthorized("SESSION_REVOKED", "This sign-in has ended. Sign in again.").ExecuteAsync(http);
                return;
            }
        }

        await next(http);
    }
}
