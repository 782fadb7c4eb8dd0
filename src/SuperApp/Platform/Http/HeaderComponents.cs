using Microsoft.OpenApi;

namespace SuperApp.Platform.Http;

/// <summary>Response headers declared once under <c>components/headers</c> and referenced, not repeated per answer.</summary>
public static class HeaderComponents
{
    public static IOpenApiHeader Reference(OpenApiDocument? document, string name, string description, OpenApiSchema schema)
    {
        if (document is null)
        {
            return new OpenApiHeader { Description = description, Schema = schema };
        }

        document.Components ??= new OpenApiComponents();
        document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        document.Components.Headers.TryAdd(name, new OpenApiHeader { Description = description, Schema = schema });
        return new OpenApiHeaderReference(name, document);
    }
}
