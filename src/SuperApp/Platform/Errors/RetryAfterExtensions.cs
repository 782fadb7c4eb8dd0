using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace SuperApp.Platform.Errors;

public static class RetryAfterExtensions
{
    /// <summary>Wraps a problem so the response also carries <c>Retry-After</c> (whole seconds, at least 1).</summary>
    public static RetryAfterResult WithRetryAfter(this ProblemHttpResult problem, TimeSpan wait) => new(problem, wait);

    /// <summary>Writes <c>Retry-After</c> in whole seconds, rounded up and at least 1.</summary>
    public static void SetRetryAfter(this HttpResponse response, TimeSpan wait) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>A 429 ProblemDetails answer with a <c>Retry-After</c> header.</summary>
public sealed class RetryAfterResult(ProblemHttpResult inner, TimeSpan wait) : IResult, IEndpointMetadataProvider
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.SetRetryAfter(wait);
        return inner.ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails),
            ["application/problem+json"]));
}
