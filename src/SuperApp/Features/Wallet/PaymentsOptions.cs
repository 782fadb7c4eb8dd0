namespace SuperApp.Features.Wallet;

public sealed class PaymentsOptions
{
    public const string Section = "Payments";

    /// <summary>How old a webhook's timestamp may be before it is treated as a replay.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Turns the sandbox gateway on; defaults to on in Development only, because anyone who knows its
    /// secret can credit wallets.
    /// </summary>
    public bool? SandboxEnabled { get; set; }

    /// <summary>Shared secret the sandbox provider signs webhooks with.</summary>
    [Required, MinLength(16)]
    public string SandboxSecret { get; set; } = DefaultSandboxSecret;

    public const string DefaultSandboxSecret = "sandbox-webhook-secret-change-me";

    /// <summary>Maps <c>POST /api/payments/sandbox/{topupId}/pay</c>; on in Development.</summary>
    public bool? SandboxPayEndpoint { get; set; }
}
