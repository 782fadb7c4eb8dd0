using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace SuperApp.Platform.Http;

/// <summary>
/// Refuses a declared body over the limit before anything reads it, and caps undeclared
/// (chunked) bodies through the server's own limit where the host has one.
/// </summary>
public sealed class BodySizeLimitMiddleware(RequestDelegate next, IOptions<HttpOptions> options)
{
    public Task InvokeAsync(HttpContext http)
    {
        var endpointLimit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        var limit = endpointLimit ?? options.Value.MaxRequestBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            throw new BadHttpRequestException($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(http);
    }
}
