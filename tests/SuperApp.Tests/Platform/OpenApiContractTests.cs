using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Platform;

/// <summary>The service with its document on and its rate limiter on (limits too high to hit), so the headers are real.</summary>
public sealed class OpenApiSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["OpenApi:Enabled"] = "true";
        app.Settings["RATE_LIMIT_ENABLED"] = "true";
        app.Settings["RateLimiting:Tiers:free"] = "100000";
        app.Settings["RateLimiting:Tiers:premium"] = "100000";
        app.Settings["RateLimiting:Tiers:creator"] = "100000";
        app.Settings["RateLimiting:Tiers:admin"] = "100000";
        app.Settings["RateLimiting:AnonymousPerIp"] = "100000";
        app.Settings["RateLimiting:AnonymousPerTarget"] = "100000";
    }
}

/// <summary>
/// The published document must match the service: walked operation by operation, and a real answer to a
/// representative request for each one checked against it (status, content type, body schema, headers).
/// </summary>
public sealed class OpenApiContractTests(App<Sqlite, OpenApiSettings> app) : IClassFixture<App<Sqlite, OpenApiSettings>>
{
    private async Task<OpenApiDocument> DocumentAsync()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new OpenApiDocument(JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Every_operation_has_a_summary_and_documents_its_errors_as_problem_details()
    {
        var doc = await DocumentAsync();
        Assert.True(doc.Operations.Count() > 50);
        foreach (var (path, method, operation) in doc.Operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
            var responses = operation["responses"]!.AsObject();
            Assert.Contains("503", responses.Select(r => r.Key));
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var schema = response!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>();
                Assert.True(schema == "#/components/schemas/ProblemDetails", $"{method} {path} {status} is not a ProblemDetails");
            }
        }

        var problem = doc.Schema("ProblemDetails");
        Assert.Subset(problem["properties"]!.AsObject().Select(p => p.Key).ToHashSet(),
            new HashSet<string> { "code", "requestId", "errors", "status" });
        Assert.Contains("code", problem["required"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Only_routes_that_need_a_token_say_so()
    {
        var doc = await DocumentAsync();
        var guarded = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName,
                e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any() && e.Metadata.GetMetadata<IAllowAnonymous>() is null);
        Assert.Null(doc.Root["security"]);
        foreach (var (path, method, operation) in doc.Operations)
        {
            var id = operation["operationId"]!.GetValue<string>();
            var bearer = operation["security"]?.AsArray().Any(r => r!["Bearer"] is not null) == true;
            Assert.True(guarded[id] == bearer, $"{method} {path}: needs a token {guarded[id]}, documented {bearer}");
            Assert.True(!guarded[id] || operation["responses"]!["401"] is not null, $"{method} {path} does not document 401");
        }

        foreach (var id in new[] { "Register", "Login", "Refresh", "Logout", "SendOtp", "VerifyOtp", "PaymentWebhook" })
        {
            Assert.False(guarded[id], id);
        }
    }

    [Fact]
    public async Task Optional_fields_are_not_required_and_nullable_values_are_accepted()
    {
        var doc = await DocumentAsync();
        Assert.DoesNotContain("note", Required(doc.Schema("TransferRequest")));
        Assert.DoesNotContain("phoneNumber", Required(doc.Schema("RegisterRequest")));
        Assert.DoesNotContain("displayName", Required(doc.Schema("RegisterRequest")));
        Assert.Contains("amount", Required(doc.Schema("TransferRequest")));
        Assert.Empty(doc.Validate(JsonNode.Parse("""{"$ref":"#/components/schemas/SubscriptionView"}""")!, ActiveSubscription));
        Assert.Contains("hasAccess", Required(doc.Schema("PremiumAccessResponse")));
    }

    private static IEnumerable<string> Required(JsonObject schema) =>
        schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [];

    /// <summary>A subscription view as the service sends one for an active subscription: the end fields null.</summary>
    private const string ActiveSubscription = """
        {"subscriptionId":"0193b1b0-0000-7000-8000-000000000001","subscriber":{"id":"0193b1b0-0000-7000-8000-000000000002","username":"a"},
         "creator":{"id":"0193b1b0-0000-7000-8000-000000000003","username":"b"},"plan":"monthly","price":500,"currency":"IDR",
         "status":"active","autoRenew":true,"hasAccess":true,"startedAt":"2026-01-01T00:00:00Z","expiresAt":"2026-02-01T00:00:00Z",
         "cancelledAt":null,"endedAt":null,"endReason":null,"nextPrice":500,"planPrice":500}
        """;

    [Fact]
    public async Task Money_routes_document_their_key_and_limited_routes_their_headers()
    {
        var doc = await DocumentAsync();
        var transfer = doc.Operation("POST", "/api/wallet/transfer");
        var key = transfer["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "Idempotency-Key")!;
        Assert.True(key["required"]!.GetValue<bool>());
        Assert.Equal("header", key["in"]!.GetValue<string>());
        var created = transfer["responses"]!["201"]!["headers"]!.AsObject();
        Assert.Subset(created.Select(h => h.Key).ToHashSet(),
            new HashSet<string> { "Idempotent-Replayed", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset" });
        Assert.True(transfer["responses"]!["429"]!["headers"]!["Retry-After"]!["required"]!.GetValue<bool>());
        Assert.Null(doc.Operation("GET", "/api/admin/users")["responses"]!["429"]);
    }

    [Fact]
    public async Task Every_operation_answers_a_representative_request_as_documented()
    {
        var doc = await DocumentAsync();
        var requests = new OpenApiRequests(app);
        await requests.ArrangeAsync();
        var rows = requests.Rows().ToList();
        var operations = doc.Operations.ToDictionary(o => o.Operation["operationId"]!.GetValue<string>());
        Assert.Empty(operations.Keys.Except(rows.Select(r => r.Operation)).Order());

        var failures = new List<string>();
        foreach (var (id, label, send) in rows)
        {
            var (path, method, _) = operations[id];
            var response = await send();
            var mismatches = await doc.MismatchesAsync(method, path, response);
            failures.AddRange(mismatches.Select(m => $"{id} ({label}) {(int)response.StatusCode}: {m}"));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_replayed_money_answer_carries_the_documented_replay_header()
    {
        var doc = await DocumentAsync();
        var user = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        await app.FundAsync(user, 10_000);
        HttpRequestMessage Request() => new(HttpMethod.Post, "/api/wallet/transfer")
        {
            Content = JsonContent.Create(new { toUserId = other.UserId, amount = 100 }),
            Headers = { { "Idempotency-Key", "contract-replay" } },
        };
        var first = await user.Client.SendAsync(Request());
        var replay = await user.Client.SendAsync(Request());
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Empty(await doc.MismatchesAsync("POST", "/api/wallet/transfer", first));
        Assert.Empty(await doc.MismatchesAsync("POST", "/api/wallet/transfer", replay));
    }
}
