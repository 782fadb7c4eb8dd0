using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SuperApp.Platform.Http;

/// <summary>
/// Makes the schemas say what the service accepts and sends. The generator marks every record
/// constructor parameter required, even a nullable one a client may leave out (<c>note</c>,
/// <c>phoneNumber</c>); and it wraps a nullable reference as <c>oneOf [null, $ref]</c>, which rejects
/// a null whenever the referenced enum itself lists null (<c>endReason</c>). Walks the finished
/// document: a nullable property is not required, and a null branch is <c>anyOf</c>.
/// </summary>
public sealed class OptionalFieldsTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            Visit(schema, seen);
        }

        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var media in operation.RequestBody?.Content?.Values ?? [])
            {
                Visit(media.Schema, seen);
            }

            foreach (var media in (operation.Responses?.Values.AsEnumerable() ?? []).SelectMany(r => r.Content?.Values ?? []))
            {
                Visit(media.Schema, seen);
            }
        }

        return Task.CompletedTask;
    }

    public static bool IsNullable(IOpenApiSchema schema) =>
        schema.Type is { } type && type.HasFlag(JsonSchemaType.Null)
        || (schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Any(s => s is not OpenApiSchemaReference && s.Type == JsonSchemaType.Null);

    private static void Visit(IOpenApiSchema? candidate, HashSet<OpenApiSchema> seen)
    {
        // References are visited where they are defined, in the components.
        if (candidate is not OpenApiSchema schema || !seen.Add(schema))
        {
            return;
        }

        if (schema.OneOf is { Count: > 0 } oneOf && oneOf.Any(s => s is not OpenApiSchemaReference && s.Type == JsonSchemaType.Null))
        {
            schema.AnyOf = oneOf;
            schema.OneOf = null;
        }

        foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (IsNullable(property))
            {
                schema.Required?.Remove(name);
            }

            Visit(property, seen);
        }

        foreach (var child in (schema.AllOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.OneOf ?? []))
        {
            Visit(child, seen);
        }

        Visit(schema.Items, seen);
        Visit(schema.AdditionalProperties, seen);
    }
}
