using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SuperApp.Platform.Observability;

/// <summary>
/// Logs database commands slower than <c>Observability:SlowQueryMs</c> with their SQL shape and the
/// request id. EF sends values as parameters, so the text holds placeholders; quoted literals are
/// blanked too, for SQL written by hand. Parameter values are never logged.
/// </summary>
public sealed partial class SlowQueryInterceptor(
    IOptions<ObservabilityOptions> options, IHttpContextAccessor http, ILogger<SlowQueryInterceptor> logger) : DbCommandInterceptor
{
    private const int MaxShapeLength = 2000;
    private readonly TimeSpan _threshold = TimeSpan.FromMilliseconds(options.Value.SlowQueryMs);

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Check(command, eventData);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken ct = default)
    {
        Check(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Check(command, eventData);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken ct = default)
    {
        Check(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Check(command, eventData);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken ct = default)
    {
        Check(command, eventData);
        return ValueTask.FromResult(result);
    }

    private void Check(DbCommand command, CommandExecutedEventData eventData)
    {
        if (eventData.Duration < _threshold)
        {
            return;
        }

        var requestId = http.HttpContext?.TraceIdentifier ?? "-";
        LogSlow(logger, (long)eventData.Duration.TotalMilliseconds, requestId, Shape(command.CommandText));
    }

    public static string Shape(string sql)
    {
        var shape = Whitespace().Replace(Literal().Replace(sql, "'?'"), " ").Trim();
        return shape.Length <= MaxShapeLength ? shape : shape[..MaxShapeLength] + "…";
    }

    [GeneratedRegex("'(?:[^']|'')*'")]
    private static partial Regex Literal();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slow query: {ElapsedMs} ms (request {RequestId}): {Sql}")]
    private static partial void LogSlow(ILogger logger, long elapsedMs, string requestId, string sql);
}
