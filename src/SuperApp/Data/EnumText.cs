using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SuperApp.Data;

/// <summary>
/// Stores enums as snake_case words (<c>earnings_pending</c>), the same spelling the API uses:
/// readable in SQL and stable if members are reordered.
/// </summary>
public static class EnumText
{
    public static string Name<T>(T value) where T : struct, Enum =>
        Names<T>.ByValue.TryGetValue(value, out var name) ? name : Spell(value);

    /// <summary>Reads an API spelling (<c>withdrawal_fee</c>, any case) back; numbers are not accepted.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return !string.IsNullOrEmpty(text) && !char.IsDigit(text[0]) && text.All(c => char.IsAsciiLetter(c) || c == '_') &&
               Enum.TryParse(text.Replace("_", "", StringComparison.Ordinal), true, out value);
    }

    /// <summary>For optional query filters: true when absent (null) or a known name.</summary>
    public static bool TryParseOptional<T>(string? text, out T? value) where T : struct, Enum
    {
        value = TryParse<T>(text, out var parsed) ? parsed : null;
        return value is not null || string.IsNullOrEmpty(text);
    }

    public static ValueConverter<T, string> Converter<T>() where T : struct, Enum =>
        new(v => Name(v), v => FromStored<T>(v));

    private static T FromStored<T>(string stored) where T : struct, Enum =>
        Names<T>.ByName.TryGetValue(stored, out var value) ? value : Enum.Parse<T>(stored.Replace("_", "", StringComparison.Ordinal), true);

    private static string Spell<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Spelled once per enum type: these run for every enum column read or written.</summary>
    private static class Names<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> ByValue = Enum.GetValues<T>().ToFrozenDictionary(v => v, Spell);
        public static readonly FrozenDictionary<string, T> ByName = ByValue.ToFrozenDictionary(p => p.Value, p => p.Key);
    }
}
