using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;

namespace SuperApp.Platform.Http;

/// <summary>
/// Schema names in the OpenAPI document. Two features may each have a type of the same name (an
/// <c>AccessResponse</c> in Premium and in Subscriptions); by default both would share one schema and
/// one of them would be documented wrongly, so such names are prefixed with their feature.
/// </summary>
public static class SchemaIds
{
    private static readonly HashSet<string> Ambiguous = typeof(SchemaIds).Assembly.GetTypes()
        .Where(t => t.IsVisible && !t.IsGenericTypeDefinition)
        .GroupBy(t => t.Name)
        .Where(g => g.Count() > 1)
        .Select(g => g.Key)
        .ToHashSet(StringComparer.Ordinal);

    public static string? Create(JsonTypeInfo info)
    {
        var id = OpenApiOptions.CreateDefaultSchemaReferenceId(info);
        var type = info.Type;
        if (id is null || type.Assembly != typeof(SchemaIds).Assembly || !Ambiguous.Contains(type.Name))
        {
            return id;
        }

        var feature = type.Namespace?.Split('.')[^1] ?? "";
        return feature + id;
    }
}
