using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SuperApp.Data;

/// <summary>Stores enums as lower-case words, readable in SQL and stable if members are reordered.</summary>
public static class EnumText
{
    public static ValueConverter<T, string> Converter<T>() where T : struct, Enum =>
        new(v => v.ToString().ToLowerInvariant(), v => Enum.Parse<T>(v, true));
}
