using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SuperApp.Platform.Http;

/// <summary>
/// The short <c>.WithSummary(...)</c> sentence is the summary; a handler's XML comment, which the
/// comment generator puts there first, is kept as the description, where a longer text belongs.
/// </summary>
public sealed class EndpointSummaryTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var summary = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointSummaryMetadata>().LastOrDefault()?.Summary;
        if (summary is { Length: > 0 } && operation.Summary != summary)
        {
            if (operation.Summary is { Length: > 0 } comment && string.IsNullOrEmpty(operation.Description))
            {
                operation.Description = comment;
            }

            operation.Summary = summary;
        }

        return Task.CompletedTask;
    }
}
