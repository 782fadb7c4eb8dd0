using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace SuperApp.Platform.Logging;

/// <summary>
/// Masks the values of sensitive fields before any sink sees an event: structured properties by
/// name (at any depth), and <c>name=value</c> or JSON <c>"name":"value"</c> pairs inside strings
/// such as logged bodies, query strings and exception messages.
/// </summary>
public sealed partial class SensitiveDataMasker : ILogEventEnricher
{
    public const string Mask = "***";

    private static readonly HashSet<string> ExactNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "token", "accesstoken", "refreshtoken", "secret", "authorization", "cookie", "setcookie",
        "otp", "code", "pin", "cardnumber", "accountnumber",
    };

    private static readonly string[] Suffixes = ["password", "token", "secret"];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            var masked = IsSensitive(name) ? new ScalarValue(Mask) : MaskValue(value);
            if (!ReferenceEquals(masked, value))
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, masked));
            }
        }
    }

    /// <summary>Only the last four characters stay readable (account numbers, phone numbers in audit rows and answers).</summary>
    public static string LastFour(string value) =>
        value.Length <= 4 ? new string('*', value.Length) : new string('*', value.Length - 4) + value[^4..];

    public static bool IsSensitive(string name)
    {
        var normalized = name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return ExactNames.Contains(normalized) ||
               Suffixes.Any(s => normalized.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }

    public static string MaskText(string text) =>
        KeyValuePair().Replace(JsonPair().Replace(text, "$1$2\"" + Mask + "\""), "$1=" + Mask);

    private static LogEventPropertyValue MaskValue(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } when MaskText(s) is var m && !ReferenceEquals(m, s) && m != s => new ScalarValue(m),
        StructureValue sv => new StructureValue(
            sv.Properties.Select(p => new LogEventProperty(p.Name, IsSensitive(p.Name) ? new ScalarValue(Mask) : MaskValue(p.Value))),
            sv.TypeTag),
        DictionaryValue dv => new DictionaryValue(dv.Elements.Select(kv => new KeyValuePair<ScalarValue, LogEventPropertyValue>(
            kv.Key, kv.Key.Value is string k && IsSensitive(k) ? new ScalarValue(Mask) : MaskValue(kv.Value)))),
        SequenceValue seq => new SequenceValue(seq.Elements.Select(MaskValue)),
        _ => value,
    };

    // "password": "hunter2" or "pin": 1234 (any key ending in a sensitive word), the value replaced by a
    // string so JSON stays JSON. The value alternatives end in ')' because a raw string cannot end in '"'.
    [GeneratedRegex(""""("(?:[A-Za-z_-]*(?:password|token|secret)|authorization|cookie|otp|code|pin|cardNumber|accountNumber)")(\s*:\s*)(?:"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*)"""", RegexOptions.IgnoreCase)]
    private static partial Regex JsonPair();

    // password=hunter2 in query strings and form bodies.
    [GeneratedRegex("""\b((?:[A-Za-z_]*(?:password|token|secret)|authorization|otp|code|pin|cardNumber|accountNumber))=([^&\s"]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePair();
}
