using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Platform;

public abstract class RequestPipelineTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private const string RequestId = "X-Request-Id";
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task A_valid_client_request_id_is_echoed_in_the_header_and_the_problem()
    {
        var id = "mobile-1.2_" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        request.Headers.Add(RequestId, id);

        var response = await _client.SendAsync(request);

        Assert.Equal(id, response.Headers.GetValues(RequestId).Single());
        Assert.Equal(id, (await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHENTICATED")).RequestId);
    }

    [Theory]
    [InlineData("65-chars")]
    [InlineData("has space")]
    [InlineData("has/slash")]
    [InlineData("quote\"d")]
    public async Task An_invalid_client_request_id_is_replaced_by_a_generated_one(string supplied)
    {
        if (supplied == "65-chars")
        {
            supplied = new string('a', 65);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        Assert.True(request.Headers.TryAddWithoutValidation(RequestId, supplied));

        var response = await _client.SendAsync(request);

        var echoed = response.Headers.GetValues(RequestId).Single();
        Assert.NotEqual(supplied, echoed);
        Assert.Matches("^[A-Za-z0-9._-]{1,64}$", echoed);
        Assert.Equal(echoed, (await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHENTICATED")).RequestId);
    }

    [Fact]
    public async Task Every_response_gets_a_fresh_request_id_when_the_client_sends_none()
    {
        var first = await _client.GetAsync("/api/health/live");
        var second = await _client.GetAsync("/api/health/live");

        Assert.NotEqual(first.Headers.GetValues(RequestId).Single(), second.Headers.GetValues(RequestId).Single());
    }

    [Fact]
    public async Task An_unknown_route_is_a_not_found_problem()
    {
        var response = await _client.GetAsync("/api/no-such-thing");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal(response.Headers.GetValues(RequestId).Single(), problem.RequestId);
    }

    [Fact]
    public async Task A_wrong_method_is_a_method_not_allowed_problem()
    {
        var response = await _client.DeleteAsync("/api/auth/login");

        await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
    }

    [Fact]
    public async Task A_non_json_body_is_an_unsupported_media_type_problem()
    {
        var response = await _client.PostAsync("/api/auth/login", new StringContent("login=a&password=b", Encoding.UTF8, "text/plain"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        await AssertCleanProblemAsync(response, problem);
    }

    [Fact]
    public async Task A_body_declared_over_one_mebibyte_is_refused_before_it_is_read()
    {
        var content = new ByteArrayContent(new byte[(1024 * 1024) + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await _client.PostAsync("/api/auth/login", content);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        await AssertCleanProblemAsync(response, problem);
    }

    [Theory]
    [InlineData("{ \"login\": \"a\", ")]
    [InlineData("{ \"login\": 5, \"password\": \"b\" }")]
    [InlineData("[1, 2, 3]")]
    public async Task Malformed_json_is_a_malformed_json_problem(string json)
    {
        var response = await _client.PostAsync("/api/auth/login", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "MALFORMED_JSON");
        await AssertCleanProblemAsync(response, problem);
    }

    [Theory]
    [InlineData("POST", "/api/auth/register", "application/json", "", 400, "BAD_REQUEST")]
    [InlineData("POST", "/api/auth/register", "application/json", "{\"email\":null,\"username\":null,\"password\":null}", 400,
        "VALIDATION_FAILED")]
    [InlineData("POST", "/api/auth/refresh", "application/json", "{\"refreshToken\":\"\\u0000\"}", 401, "INVALID_REFRESH_TOKEN")]
    [InlineData("POST", "/api/auth/otp/verify", "application/json", "{\"phoneNumber\":\"+62\",\"code\":\"x\"}", 400, "VALIDATION_FAILED")]
    [InlineData("GET", "/api/admin/users?limit=abc", null, null, 401, "UNAUTHENTICATED")]
    [InlineData("GET", "/api/users/not-a-guid", null, null, 404, "NOT_FOUND")]
    [InlineData("PATCH", "/api/users/me", "application/xml", "<a/>", 415, "UNSUPPORTED_MEDIA_TYPE")]
    public async Task Bad_requests_never_show_a_stack_trace_or_exception_name(string method, string path, string? type, string? body,
        int status, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, type!);
        }

        var response = await _client.SendAsync(request);

        Assert.InRange((int)response.StatusCode, 400, 499);
        var problem = await response.ShouldBeProblemAsync((HttpStatusCode)status, code);
        await AssertCleanProblemAsync(response, problem);
    }

    /// <summary>Identified by the request id (also when the exception handler wrote it) and free of internals.</summary>
    private static async Task AssertCleanProblemAsync(HttpResponseMessage response, Problem problem)
    {
        Assert.True(response.Headers.TryGetValues(RequestId, out var ids), "The response has no X-Request-Id.");
        Assert.Equal(ids.Single(), problem.RequestId);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class RequestPipelineTestsOnPostgres(App<Postgres, Defaults> app) : RequestPipelineTests<App<Postgres, Defaults>>(app);

public sealed class RequestPipelineTestsOnSqlite(App<Sqlite, Defaults> app) : RequestPipelineTests<App<Sqlite, Defaults>>(app);
