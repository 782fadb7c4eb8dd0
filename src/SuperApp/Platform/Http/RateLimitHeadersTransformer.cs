using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SuperApp.Platform.RateLimiting;

namespace SuperApp.Platform.Http;

/// <summary>
/// Documents the <c>X-RateLimit-*</c> headers on limited routes. The limiter sets them before the
/// handler runs, so they come on its answers and on the 429, not on a 401 (refused before it) and
/// not for tiers without a limit; hence documented, not required.
/// </summary>
public sealed class RateLimitHeadersTransformer : IOpenApiOperationTransformer
{
    private static readonly (string Name, string Description)[] Headers =
    [
        ("X-RateLimit-Limit", "Requests allowed in the current window."),
        ("X-RateLimit-Remaining", "Requests left in the current window."),
        ("X-RateLimit-Reset", "When the window resets, in Unix epoch seconds."),
    ];

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<RateLimitedMetadata>().Any())
        {
            return Task.CompletedTask;
        }

        foreach (var (key, response) in operation.Responses ?? [])
        {
            if (response is OpenApiResponse r && key is not "401" and not "503")
            {
                r.Headers ??= new Dictionary<string, IOpenApiHeader>();
                foreach (var (name, description) in Headers)
                {
                    r.Headers[name] = HeaderComponents.Reference(context.Document, name, description,
                        new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]+$" });
                }
            }
        }

        return Task.CompletedTask;
    }
}
