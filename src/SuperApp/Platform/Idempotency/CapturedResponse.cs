namespace SuperApp.Platform.Idempotency;

/// <summary>
/// A handler's result executed into memory instead of onto the wire, so it can be stored in the
/// same transaction as its effects and then sent (or replayed later) unchanged.
/// </summary>
public sealed class CapturedResponse(int status, string? contentType, string? location, byte[] body) : IResult
{
    public int Status { get; } = status;
    public string? ContentType { get; } = contentType;
    public string? Location { get; } = location;
    public byte[] Body { get; } = body;

    public static async Task<CapturedResponse> RunAsync(HttpContext http, object? result)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            if (result is IResult r)
            {
                await r.ExecuteAsync(http);
            }
            else if (result is not null)
            {
                await TypedResults.Ok(result).ExecuteAsync(http);
            }
        }
        finally
        {
            http.Response.Body = original;
        }

        var location = http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
        // Sent by ExecuteAsync: an attempt whose answer is not the one sent must leave no header behind.
        http.Response.Headers.Remove("Location");
        return new CapturedResponse(http.Response.StatusCode, http.Response.ContentType, location, buffer.ToArray());
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Status;
        httpContext.Response.ContentType = ContentType;
        if (Location is not null)
        {
            httpContext.Response.Headers.Location = Location;
        }

        httpContext.Response.ContentLength = Body.Length;
        await httpContext.Response.Body.WriteAsync(Body);
    }
}

/// <summary>A stored answer sent again for a repeated key, marked as a replay.</summary>
public sealed class StoredResponse(IdempotencyRecord record) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers[IdempotencyFilter.ReplayedHeader] = "true";
        return new CapturedResponse(record.ResponseStatus ?? 200, record.ResponseContentType, record.ResponseLocation,
            record.ResponseBody ?? [])
            .ExecuteAsync(httpContext);
    }
}
