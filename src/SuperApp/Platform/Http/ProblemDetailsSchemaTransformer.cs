using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SuperApp.Platform.Http;

/// <summary>
/// The one ProblemDetails schema every error answer references, with the extensions the service adds
/// (<c>code</c>, <c>requestId</c>, <c>errors</c>): the generated one knows only the RFC's five fields.
/// </summary>
public sealed class ProblemDetailsSchemaTransformer : IOpenApiDocumentTransformer
{
    public const string Id = "ProblemDetails";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[Id] = Schema();
        // Validation problems are the same shape; one schema keeps clients to one error type.
        document.Components.Schemas.Remove("HttpValidationProblemDetails");
        return Task.CompletedTask;
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Schema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem. `code` is the stable reason clients switch on.",
        Required = new HashSet<string> { "title", "status", "code", "requestId" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI naming the kind of problem."),
            ["title"] = Text("A short, human-readable summary."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
            ["detail"] = Text("What went wrong with this request."),
            ["instance"] = Text("The request path."),
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Pattern = "^[A-Z][A-Z0-9_]*$",
                Description = "Stable SCREAMING_SNAKE reason, e.g. INSUFFICIENT_FUNDS.",
            },
            ["requestId"] = Text("The X-Request-Id of the request, for support and logs."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Validation failures (400): field name to messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array,
                    Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };
}
