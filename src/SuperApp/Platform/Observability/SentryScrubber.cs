using SuperApp.Platform.Logging;

namespace SuperApp.Platform.Observability;

/// <summary>
/// The last step before an event leaves: no Authorization, Cookie or other secret header, no
/// cookies or body, and passwords, tokens and secrets masked in the query string, messages,
/// exception texts, extras and tags (the log masker's rules, so both agree on what is secret).
/// </summary>
public static class SentryScrubber
{
    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Signature", "X-Webhook-Signature",
    };

    public static SentryEvent Scrub(SentryEvent e)
    {
        var request = e.Request;
        foreach (var name in request.Headers.Keys.ToList())
        {
            if (SecretHeaders.Contains(name) || SensitiveDataMasker.IsSensitive(name) || name.Contains("signature",
                StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Remove(name);
            }
        }

        request.Cookies = null;
        request.Data = null;
        if (request.QueryString is { Length: > 0 } query)
        {
            request.QueryString = SensitiveDataMasker.MaskText(query);
        }

        if (request.Url is { Length: > 0 } url)
        {
            request.Url = SensitiveDataMasker.MaskText(url);
        }

        if (e.Message is { } message)
        {
            message.Message = Mask(message.Message);
            message.Formatted = Mask(message.Formatted);
        }

        foreach (var exception in e.SentryExceptions ?? [])
        {
            exception.Value = Mask(exception.Value);
        }

        foreach (var (key, value) in e.Extra.ToList())
        {
            e.SetExtra(key, SensitiveDataMasker.IsSensitive(key) ? SensitiveDataMasker.Mask : value is string s ? Mask(s) : value);
        }

        foreach (var (key, value) in e.Tags.ToList())
        {
            e.SetTag(key, SensitiveDataMasker.IsSensitive(key) ? SensitiveDataMasker.Mask : Mask(value)!);
        }

        return e;
    }

    private static string? Mask(string? text) => text is null ? null : SensitiveDataMasker.MaskText(text);
}
