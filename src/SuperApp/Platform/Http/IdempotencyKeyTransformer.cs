using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SuperApp.Platform.Idempotency;

namespace SuperApp.Platform.Http;

/// <summary>
/// Documents the required <c>Idempotency-Key</c> header on money endpoints, and <c>Idempotent-Replayed</c>
/// on the answers that can be a stored one (2xx and 4xx are stored; a 401, 409 or 429 never is).
/// Runs after <see cref="ProblemResponsesTransformer"/>, which adds the error answers.
/// </summary>
public sealed class IdempotencyKeyTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotentMetadata>().Any())
        {
            return Task.CompletedTask;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyFilter.Header,
            In = ParameterLocation.Header,
            Required = true,
            Description = "1-255 printable ASCII characters, no commas, sent once; unique per operation, retries reuse it.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255,
                Pattern = "^[\\x20-\\x2B\\x2D-\\x7E]+$" },
        });
        foreach (var (key, response) in operation.Responses ?? [])
        {
            if (response is OpenApiResponse r && key[0] is '2' or '4' && key is not ("401" or "409" or "429"))
            {
                r.Headers ??= new Dictionary<string, IOpenApiHeader>();
                r.Headers[IdempotencyFilter.ReplayedHeader] = HeaderComponents.Reference(context.Document, IdempotencyFilter.ReplayedHeader,
                    "`true` when this is the stored answer to an earlier request with the same key.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["true"] });
            }
        }

        return Task.CompletedTask;
    }
}
