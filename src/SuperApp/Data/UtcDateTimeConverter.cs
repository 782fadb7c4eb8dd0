using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SuperApp.Data;

/// <summary>Marks timestamps read from SQLite as UTC, which is how every timestamp is written.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
