using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using SuperApp.Features.Users;

namespace SuperApp.Features.Auth;

/// <summary>
/// PBKDF2 via ASP.NET Core Identity's hasher, behind a bulkhead: at most
/// <see cref="AuthOptions.MaxConcurrentHashes"/> hashes run at once with a short queue, and a request
/// beyond that is refused at once (503 AUTH_BUSY), so a sign-up or credential-stuffing storm never
/// starves the money and read routes of CPU. Unknown accounts are checked against a dummy hash so
/// they take as long as a wrong password and timing does not reveal which accounts exist.
/// </summary>
public sealed class Passwords(IPasswordHasher<User> hasher, IOptions<AuthOptions> options) : IDisposable
{
    private readonly IPasswordHasher<User> hasher = hasher;
    private static readonly User Dummy = new() { Email = "", Username = "", PasswordHash = "" };
    private readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword(Dummy, Guid.NewGuid().ToString()));

    public ConcurrencyLimiter Bulkhead { get; } = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxConcurrentHashes,
        QueueLimit = options.Value.HashQueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>
    /// Takes a hashing slot, waiting briefly in the queue; 503 AUTH_BUSY at once when it is full.
    /// Taken before anything else the request counts (a login attempt), so a refusal costs nothing.
    /// </summary>
    public async Task<HashSlot> ReserveAsync(CancellationToken ct)
    {
        var lease = await Bulkhead.AcquireAsync(1, ct);
        if (lease.IsAcquired)
        {
            return new HashSlot(this, lease);
        }

        lease.Dispose();
        throw new ApiException(503, "AUTH_BUSY", "Sign-in is busy right now. Try again in a moment.",
            "Too many sign-ins and registrations are being checked at once.") { RetryAfter = TimeSpan.FromSeconds(1) };
    }

    /// <summary>One reserved hashing slot: hash or verify with it, then dispose it.</summary>
    public sealed class HashSlot(Passwords owner, RateLimitLease lease) : IDisposable
    {
        public string Hash(User user, string password) => owner.hasher.HashPassword(user, password);

        /// <summary>True when the password matches; rehashes in place when the stored hash is outdated.</summary>
        public bool Verify(User? user, string password)
        {
            if (user is null || user.Status != UserStatus.Active)
            {
                owner.hasher.VerifyHashedPassword(Dummy, owner._dummyHash.Value, password);
                return false;
            }

            var result = owner.hasher.VerifyHashedPassword(user, user.PasswordHash, password);
            if (result == PasswordVerificationResult.SuccessRehashNeeded)
            {
                user.PasswordHash = owner.hasher.HashPassword(user, password);
            }

            return result != PasswordVerificationResult.Failed;
        }

        public void Dispose() => lease.Dispose();
    }

    public void Dispose() => Bulkhead.Dispose();
}
