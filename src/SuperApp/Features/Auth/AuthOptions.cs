using System.ComponentModel.DataAnnotations;

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

    [Range(1, 20)]
    public int OtpMaxAttempts { get; set; } = 5;
}
