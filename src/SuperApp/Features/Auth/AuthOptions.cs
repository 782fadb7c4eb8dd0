namespace SuperApp.Features.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    [Range(100_000, 10_000_000)]
    public int PasswordHashIterations { get; set; } = 210_000;

    [Range(1, 100)]
    public int MaxFailedLogins { get; set; } = 5;

    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan OtpLifetime { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan OtpResendInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Wrong codes allowed for one code.</summary>
    [Range(1, 20)]
    public int OtpMaxAttempts { get; set; } = 5;

    /// <summary>Wrong codes allowed for one phone number in an hour, however many codes were sent; then it is locked.</summary>
    [Range(1, 100)]
    public int OtpMaxAttemptsPerHour { get; set; } = 10;

    public TimeSpan OtpLockoutDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Password hashes computed at once (register, login, password change). Each costs tens of
    /// milliseconds of CPU, so a storm of them must not take every core from the money routes.
    /// Default: processor count − 1, at least 1.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentHashes { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>Hashes that may wait for a free slot; beyond them the request is refused at once (503 AUTH_BUSY).</summary>
    [Range(0, 10_000)]
    public int HashQueueLimit { get; set; } = 2 * Math.Max(1, Environment.ProcessorCount - 1);
}
