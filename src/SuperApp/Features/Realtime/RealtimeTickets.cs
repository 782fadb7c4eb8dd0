using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SuperApp.Features.Realtime;

/// <summary>
/// Short-lived hub tickets: <c>rt1.{payload}.{HMAC-SHA256}</c>, the payload naming the user, the
/// session the ticket was asked for from and its expiry. For clients that would rather not put an
/// access token in a WebSocket URL (where proxies log it). Signed with <c>SOCKET_IO_SECRET</c>;
/// one signed with <c>SOCKET_IO_SECRET_PREVIOUS</c> is still accepted while the secret rotates.
/// </summary>
public sealed class RealtimeTickets(IOptions<RealtimeOptions> options, TimeProvider time)
{
    public const string Prefix = "rt1.";
    public const string AuthenticationType = "realtime-ticket";

    public static bool LooksLikeTicket(string credential) => credential.StartsWith(Prefix, StringComparison.Ordinal);

    public (string Ticket, int ExpiresIn) Issue(Guid userId, string? sessionId)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var payload = $"{userId:N}|{sessionId}|{now.ToUnixTimeSeconds()}|{(now + o.TicketLifetime).ToUnixTimeSeconds()}";
        var body = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(payload));
        return (Prefix + body + "." + Sign(body, o.TicketSecret), (int)o.TicketLifetime.TotalSeconds);
    }

    /// <summary>The ticket's principal, or null when it is malformed, forged or expired.</summary>
    public ClaimsPrincipal? Validate(string ticket)
    {
        if (!LooksLikeTicket(ticket) || ticket[Prefix.Length..].Split('.') is not { Length: 2 } parts)
        {
            return null;
        }

        var o = options.Value;
        var signed = Matches(parts[0], parts[1], o.TicketSecret) ||
            (!string.IsNullOrEmpty(o.PreviousTicketSecret) && Matches(parts[0], parts[1], o.PreviousTicketSecret));
        if (!signed)
        {
            return null;
        }

        string[] fields;
        try
        {
            fields = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(parts[0])).Split('|');
        }
        catch (FormatException)
        {
            return null;
        }

        if (fields.Length != 4 || !Guid.TryParseExact(fields[0], "N", out var userId) ||
            !long.TryParse(fields[2], out var issuedAt) || !long.TryParse(fields[3], out var expires) ||
            time.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            return null;
        }

        var claims = new List<Claim> { new("sub", userId.ToString()),
            new("iat", issuedAt.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (fields[1].Length > 0)
        {
            claims.Add(new Claim("sid", fields[1]));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, "sub", "role"));
    }

    private static bool Matches(string body, string signature, string secret)
    {
        byte[] given;
        try
        {
            given = WebEncoders.Base64UrlDecode(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given,
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
    }

    private static string Sign(string body, string secret) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
