using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using SuperApp.Platform.Idempotency;

namespace SuperApp.Platform.Http;

/// <summary>Documents the required <c>Idempotency-Key</c> header on money endpoints.</summary>
public sealed class IdempotencyKeyTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotentMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyFilter.Header,
                In = ParameterLocation.Header,
                Required = true,
                Description = "1-255 printable ASCII characters, unique per operation; retries reuse it.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
            });
        }

        return Task.CompletedTask;
    }
}
