using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SuperApp.Platform.Idempotency;
using SuperApp.Platform.RateLimiting;

namespace SuperApp.Platform.Http;

/// <summary>
/// Documents the error answers every operation can give, read from its metadata rather than listed by
/// hand: a guarded route can answer 401/403, a route with input 400, a path naming a resource 404, a
/// limited route 429, an idempotent route its key answers, and any route 503 when the database is down.
/// Endpoint-specific ones come from <c>.ProducesProblem(...)</c>. All share one ProblemDetails schema.
/// </summary>
public sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    public const string ProblemJson = "application/problem+json";

    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [400] = "The request is malformed or invalid; `errors` names the fields.",
        [401] = "No valid access token.",
        [403] = "Not allowed: a missing role, a suspended account or a frozen wallet.",
        [404] = "No such resource, or one the caller may not see.",
        [409] = "Conflicts with the current state, or a request with the same key is still running.",
        [410] = "The resource was deleted.",
        [422] = "Refused by a business rule, or the idempotency key was used for another request.",
        [429] = "Too many requests; try again after `Retry-After` seconds.",
        [503] = "A dependency is unavailable or sign-in is busy; try again shortly.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var statuses = new SortedSet<int> { 503 };
        if (operation.RequestBody is not null || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true)
        {
            statuses.Add(400);
        }

        if (BearerSchemeTransformer.RequiresAuthorization(metadata))
        {
            statuses.UnionWith([401, 403]);
        }

        if (operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true)
        {
            statuses.Add(404);
        }

        if (metadata.OfType<IdempotentMetadata>().Any())
        {
            statuses.UnionWith([400, 409, 422]);
        }

        if (metadata.OfType<RateLimitedMetadata>().Any())
        {
            statuses.Add(429);
        }

        operation.Responses ??= [];
        foreach (var status in statuses)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key))
            {
                operation.Responses[key] = new OpenApiResponse { Description = Descriptions[status] };
            }
        }

        foreach (var (key, response) in operation.Responses)
        {
            if (response is OpenApiResponse r && int.TryParse(key, out var status) && status >= 400)
            {
                Describe(r, status, context.Document);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Every error body is the one shared ProblemDetails, whatever type the endpoint declared.</summary>
    private static void Describe(OpenApiResponse response, int status, OpenApiDocument? document)
    {
        if (Descriptions.TryGetValue(status, out var text) && (response.Description is null || !response.Description.Contains(' ')))
        {
            response.Description = text;
        }

        response.Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemDetailsSchemaTransformer.Id, document) },
        };
        if (status is 429 or 503)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds until a request may pass.",
                Required = status == 429,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]+$" },
            };
        }
    }
}
