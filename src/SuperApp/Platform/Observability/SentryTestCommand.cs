namespace SuperApp.Platform.Observability;

/// <summary>
/// <c>superapp sentry test</c>: sends one event through the configured DSN and prints its id, to prove
/// delivery end to end.
/// </summary>
public static class SentryTestCommand
{
    public static async Task<int> RunAsync(IConfiguration config, IHostEnvironment env)
    {
        if (config["SENTRY_DSN"] is not { Length: > 0 } dsn)
        {
            await Console.Error.WriteLineAsync("SENTRY_DSN is not set: there is nowhere to send a test event.");
            return 1;
        }

        if (!Dsn.TryParse(dsn))
        {
            await Console.Error.WriteLineAsync("SENTRY_DSN is not a valid DSN (expected https://KEY@HOST/PROJECT).");
            return 1;
        }

        using (SentrySdk.Init(o => SentrySetup.Configure(o, dsn, env.EnvironmentName)))
        {
            var id = SentrySdk.CaptureMessage("superapp sentry test: if you can read this, error tracking works", SentryLevel.Info);
            await SentrySdk.FlushAsync(TimeSpan.FromSeconds(10));
            Console.WriteLine($"Sent test event {id} (environment {env.EnvironmentName}, release {SentrySetup.Release}).");
        }

        return 0;
    }
}

internal static class Dsn
{
    public static bool TryParse(string dsn) =>
        Uri.TryCreate(dsn, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0 && uri.AbsolutePath.Trim('/').Length > 0;
}
