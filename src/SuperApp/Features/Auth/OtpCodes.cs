using System.Security.Cryptography;
using System.Text;

namespace SuperApp.Features.Auth;

/// <summary>
/// Six-digit codes from a CSPRNG, kept as an HMAC keyed by a server secret: a leaked table row
/// does not give the code away, as a plain hash of a million possibilities would.
/// </summary>
public sealed class OtpCodes(IOptions<JwtOptions> jwt)
{
    private readonly byte[] _key = SHA256.HashData(Encoding.UTF8.GetBytes("otp:" + jwt.Value.Secret));

    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000)
        .ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public byte[] Hash(string phoneNumber, string code) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(phoneNumber + ":" + code));

    public bool Matches(byte[] stored, string phoneNumber, string code) =>
        CryptographicOperations.FixedTimeEquals(stored, Hash(phoneNumber, code));
}
