using System.Collections.Concurrent;
using SuperApp.Features.Auth;

namespace SuperApp.Tests.Infrastructure;

/// <summary>Stands in for the SMS provider (an outside service) and keeps what would have been sent.</summary>
public sealed class CapturingSmsSender : ISmsSender
{
    public ConcurrentQueue<(string PhoneNumber, string Message)> Sent { get; } = new();

    public Task SendAsync(string phoneNumber, string message, CancellationToken ct)
    {
        Sent.Enqueue((phoneNumber, message));
        return Task.CompletedTask;
    }

    public string? LastCodeFor(string phoneNumber) =>
        Sent.Where(s => s.PhoneNumber == phoneNumber).Select(s => System.Text.RegularExpressions.Regex.Match(s.Message, "[0-9]{6}").Value)
            .LastOrDefault();
}
