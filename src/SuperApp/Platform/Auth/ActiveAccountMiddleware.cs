using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SuperApp.Data;
using SuperApp.Features.Users;
using SuperApp.Platform.Errors;

namespace SuperApp.Platform.Auth;

/// <summary>
/// Access tokens live 15 minutes; this stops a suspended or deleted account at once rather than at
/// expiry. Statuses are cached briefly so the check costs no query on most requests.
/// </summary>
public sealed class ActiveAccountMiddleware(RequestDelegate next, IMemoryCache cache)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    public static string CacheKey(Guid userId) => $"user-status:{userId}";

    public async Task InvokeAsync(HttpContext http, AppDbContext db)
    {
        if (http.User.Identity?.IsAuthenticated == true && Guid.TryParse(http.User.FindFirst("sub")?.Value, out var userId))
        {
            var status = await cache.GetOrCreateAsync(CacheKey(userId), async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = CacheFor;
                return await db.Users.Where(u => u.Id == userId).Select(u => (UserStatus?)u.Status).FirstOrDefaultAsync(http.RequestAborted);
            });

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
