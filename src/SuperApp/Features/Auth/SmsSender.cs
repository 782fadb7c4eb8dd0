namespace SuperApp.Features.Auth;

/// <summary>Delivers one-time codes. A real SMS provider is a second implementation of this.</summary>
public interface ISmsSender
{
    Task SendAsync(string phoneNumber, string message, CancellationToken ct);
}

/// <summary>
/// The built-in sender: in Development it writes the message to the log so codes can be read
/// there; elsewhere it logs only that no SMS provider is configured, never the code.
/// </summary>
public sealed partial class LoggingSmsSender(ILogger<LoggingSmsSender> logger, IHostEnvironment env) : ISmsSender
{
    public Task SendAsync(string phoneNumber, string message, CancellationToken ct)
    {
        if (env.IsDevelopment())
        {
            LogSms(logger, phoneNumber, message);
        }
        else
        {
            LogNoProvider(logger);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS to {PhoneNumber}: {SmsText}")]
    private static partial void LogSms(ILogger logger, string phoneNumber, string smsText);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No SMS provider is configured; a one-time code was not delivered")]
    private static partial void LogNoProvider(ILogger logger);
}
