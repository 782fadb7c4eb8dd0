using SuperApp.Features.Users;
using SuperApp.Platform.Errors;

namespace SuperApp.Platform.Auth;

/// <summary>
/// Access tokens live 15 minutes; this stops a suspended or deleted account at once rather than at
/// expiry. Statuses come from <see cref="UserStatuses"/>, so the check costs no query on most requests.
/// </summary>
public sealed class ActiveAccountMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, UserStatuses statuses)
    {
        if (http.User.Identity?.IsAuthenticated == true && Guid.TryParse(http.User.FindFirst("sub")?.Value, out var userId))
        {
            var status = await statuses.GetAsync(userId, http.RequestAborted);
            if (status is null or UserStatus.Deleted)
            {
                await Problems.Unauthorized("ACCOUNT_NOT_FOUND", "The account no longer exists.").ExecuteAsync(http);
                return;
            }

            if (status == UserStatus.Suspended)
            {
                await Problems.Forbidden("ACCOUNT_SUSPENDED", "The account is suspended.").ExecuteAsync(http);
                return;
            }
        }

        await next(http);
    }
}
