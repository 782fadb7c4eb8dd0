using Microsoft.AspNetCore.Authentication;

namespace SuperApp.Features.Users.Access;

/// <summary>
/// Replaces the token's role and tier with the account's current ones before authorization runs,
/// so a role or tier change counts on the next request, not when the token expires.
/// </summary>
public sealed class AccountClaims(UserStatuses states) : IClaimsTransformation
{
    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity ||
            principal.UserIdOrNull() is not { } userId ||
            await states.GetStateAsync(userId, CancellationToken.None) is not { } state)
        {
            return principal;
        }

        var role = EnumText.Name(state.Role);
        var tier = EnumText.Name(state.Tier);
        if (principal.Role() == role && principal.Tier() == tier)
        {
            return principal;
        }

        var current = identity.Clone();
        foreach (var stale in current.FindAll(c => c.Type is ClaimNames.Role or ClaimNames.Tier).ToList())
        {
            current.RemoveClaim(stale);
        }

        current.AddClaim(new Claim(ClaimNames.Role, role));
        current.AddClaim(new Claim(ClaimNames.Tier, tier));
        return new ClaimsPrincipal(current);
    }
}
