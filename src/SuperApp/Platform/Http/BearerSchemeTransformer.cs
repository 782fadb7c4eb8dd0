using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SuperApp.Platform.Http;

/// <summary>
/// Declares the JWT bearer scheme so the Scalar UI can send tokens, and puts the bearer requirement
/// on exactly the operations the authorization middleware guards: read from the endpoint's own
/// metadata, so a new anonymous route is documented as anonymous without anyone listing it.
/// </summary>
public sealed class BearerSchemeTransformer : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string Scheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "Access token from /api/auth/login or /api/auth/register.",
        };
        // No document-wide requirement: it would claim login and register need a token.
        document.Security = null;
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (RequiresAuthorization(context.Description.ActionDescriptor.EndpointMetadata))
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] }];
        }

        return Task.CompletedTask;
    }

    /// <summary>The middleware's own rule: any IAllowAnonymous wins over every IAuthorizeData.</summary>
    public static bool RequiresAuthorization(IEnumerable<object> metadata)
    {
        var items = metadata.ToList();
        return items.OfType<IAuthorizeData>().Any() && !items.OfType<IAllowAnonymous>().Any();
    }
}
