using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace SuperApp.Tests.Platform;

/// <summary>
/// The service's published OpenAPI 3.1 document, and a check of a real answer against it. OpenAPI 3.1
/// schemas are JSON Schema 2020-12; each one is validated inside a schema document that carries the
/// components as <c>$defs</c>, so <c>#/components/schemas/X</c> references resolve.
/// </summary>
public sealed class OpenApiDocument(JsonNode root)
{
    private static int _ids;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    public JsonNode Root { get; } = root;

    public IEnumerable<(string Path, string Method, JsonObject Operation)> Operations =>
        Root["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => (p.Key, m.Key.ToUpperInvariant(), m.Value!.AsObject())));

    public JsonObject Schema(string name) => Root["components"]!["schemas"]![name]!.AsObject();

    public JsonObject Operation(string method, string path) => Root["paths"]![path]![method.ToLowerInvariant()]!.AsObject();

    /// <summary>Every way the answer differs from what the document says this operation answers; none means it matches.</summary>
    public async Task<List<string>> MismatchesAsync(string method, string path, HttpResponseMessage response)
    {
        var problems = new List<string>();
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var responses = Operation(method, path)["responses"]!.AsObject();
        if ((responses[status] ?? responses["default"]) is not JsonObject documented)
        {
            return [$"status {status} is not documented (documented: {string.Join(", ", responses.Select(r => r.Key))})"];
        }

        var body = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (documented["content"] is JsonObject content && content.Count > 0)
        {
            if (mediaType is null || content[mediaType] is not JsonObject media)
            {
                problems.Add($"content type '{mediaType}' is not one of {string.Join(", ", content.Select(c => c.Key))}");
            }
            else if (media["schema"] is JsonNode schema)
            {
                problems.AddRange(Validate(schema, body));
            }
        }
        else if (body.Length > 0 && mediaType?.EndsWith("json", StringComparison.Ordinal) == true)
        {
            problems.Add("a JSON body is sent where none is documented");
        }

        foreach (var (name, header) in (documented["headers"] as JsonObject ?? []).Select(h => (h.Key, Resolve(h.Value!))))
        {
            var value = Header(response, name);
            var limitHeader = name.StartsWith("X-RateLimit-", StringComparison.Ordinal) && status[0] == '2';
            if (value is null && (header["required"]?.GetValue<bool>() == true || limitHeader))
            {
                problems.Add($"header {name} is documented but missing");
            }
            else if (value is not null && header["schema"] is JsonNode schema)
            {
                problems.AddRange(Validate(schema, JsonSerializer.Serialize(value)).Select(p => $"header {name}: {p}"));
            }
        }

        return problems;
    }

    public List<string> Validate(JsonNode schema, string json)
    {
        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException)
        {
            return [$"body is not JSON: {json[..Math.Min(json.Length, 200)]}"];
        }

        var built = _schemas.GetOrAdd(schema.ToJsonString(), _ => Build(schema));
        var result = built.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"));
        return [$"body does not match {schema.ToJsonString()}: {string.Join("; ", errors)} in {json[..Math.Min(json.Length, 600)]}"];
    }

    private JsonSchema Build(JsonNode schema)
    {
        var defs = Rewrite(Root["components"]!["schemas"]!.DeepClone());
        var wrapper = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://superapp.test/openapi/{Interlocked.Increment(ref _ids)}.json",
            ["$defs"] = defs,
            ["allOf"] = new JsonArray(Rewrite(schema.DeepClone())),
        };
        return JsonSchema.FromText(wrapper.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static JsonNode Rewrite(JsonNode node)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o.ToList())
            {
                if (key == "$ref" &&
                    value!.GetValue<string>() is var target && target.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                {
                    o[key] = "#/$defs/" + target["#/components/schemas/".Length..];
                }
                else if (value is not null)
                {
                    Rewrite(value);
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a.Where(i => i is not null))
            {
                Rewrite(item!);
            }
        }

        return node;
    }

    private JsonObject Resolve(JsonNode header) => header["$ref"]?.GetValue<string>() is { } target
        ? Root["components"]!["headers"]![target.Split('/')[^1]]!.AsObject()
        : header.AsObject();

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;
}
