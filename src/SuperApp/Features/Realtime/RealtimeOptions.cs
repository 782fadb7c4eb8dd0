using System.Security.Cryptography;
using System.Text;

namespace SuperApp.Features.Realtime;

/// <summary>Hub tickets, event retention and the throttles of ephemeral events.</summary>
public sealed class RealtimeOptions
{
    public const string Section = "Realtime";
    public const int MinimumSecretBytes = 32;

    /// <summary>From <c>SOCKET_IO_SECRET</c> (the old service's name, kept so deployments keep their secret).</summary>
    public string TicketSecret { get; set; } = "";

    /// <summary>From <c>SOCKET_IO_SECRET_PREVIOUS</c>: tickets it signed are still accepted while rotating.</summary>
    public string? PreviousTicketSecret { get; set; }

    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(7);
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a user with no connection still counts as online, so a page reload does not flap.</summary>
    public TimeSpan PresenceGrace { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan TypingInterval { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan LeaderboardInterval { get; set; } = TimeSpan.FromSeconds(1);
    public int MaxReplay { get; set; } = 500;

    public static void Bind(RealtimeOptions o, IConfiguration config, IHostEnvironment env)
    {
        config.GetSection(Section).Bind(o);
        o.TicketSecret = config["SOCKET_IO_SECRET"] is { Length: > 0 } s ? s : o.TicketSecret;
        o.PreviousTicketSecret = config["SOCKET_IO_SECRET_PREVIOUS"] is { Length: > 0 } p ? p : o.PreviousTicketSecret;
        if (string.IsNullOrEmpty(o.TicketSecret) && (env.IsDevelopment() || env.IsEnvironment("Testing")))
        {
            // Derived from the JWT secret rather than random, so instances sharing that secret accept each other's tickets.
            var jwt = config["JWT_SECRET"] is { Length: > 0 } j ? j : "development";
            o.TicketSecret = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(jwt), "realtime-tickets"u8));
        }
    }
}

public sealed class RealtimeOptionsValidator : IValidateOptions<RealtimeOptions>
{
    public ValidateOptionsResult Validate(string? name, RealtimeOptions o)
    {
        if (Encoding.UTF8.GetByteCount(o.TicketSecret) < RealtimeOptions.MinimumSecretBytes)
        {
            return ValidateOptionsResult.Fail($"SOCKET_IO_SECRET must be set to at least {RealtimeOptions.MinimumSecretBytes} bytes.");
        }

        if (!string.IsNullOrEmpty(o.PreviousTicketSecret)
            && Encoding.UTF8.GetByteCount(o.PreviousTicketSecret) < RealtimeOptions.MinimumSecretBytes)
        {
            return ValidateOptionsResult.Fail($"SOCKET_IO_SECRET_PREVIOUS must be at least {RealtimeOptions.MinimumSecretBytes} bytes.");
        }

        var positive = new[] { o.TicketLifetime, o.EventRetention, o.PurgeInterval, o.TypingInterval, o.LeaderboardInterval };
        return positive.All(t => t > TimeSpan.Zero) && o.PresenceGrace >= TimeSpan.Zero && o.MaxReplay > 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Realtime: intervals and lifetimes must be positive, MaxReplay at least 1.");
    }
}
