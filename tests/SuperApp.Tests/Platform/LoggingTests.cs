using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SuperApp.Tests.Health;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Platform;

public abstract class LoggingTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Passwords_never_reach_the_log_file()
    {
        var password = "Zebra-Quartz-" + Guid.NewGuid().ToString("N");
        var wrongPassword = "Walrus-Onyx-" + Guid.NewGuid().ToString("N");
        var name = "l" + Guid.NewGuid().ToString("N")[..12];
        var client = app.CreateClient();

        var register = await client.PostAsJsonAsync("/api/auth/register", new { email = $"{name}@example.com", username = name, password });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        var wrong = await client.PostAsJsonAsync("/api/auth/login", new { login = name, password = wrongPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var login = await client.PostAsJsonAsync("/api/auth/login", new { login = name, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        // The request lines prove these requests were logged to the files read here.
        Assert.Single(LogFiles.RequestLines(app.LogDirectory), l => l.RequestId() == RequestIdOf(register));
        Assert.Single(LogFiles.RequestLines(app.LogDirectory), l => l.RequestId() == RequestIdOf(login));
        var text = LogFiles.ReadText(app.LogDirectory);
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongPassword, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_request_has_one_log_line_with_route_status_user_and_request_id()
    {
        var s = await app.RegisterAsync();
        var login = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { login = s.Username, password = s.Password });
        var me = await s.Client.GetAsync($"/api/users/{s.UserId}");

        var loginLine = Assert.Single(LogFiles.RequestLines(app.LogDirectory), l => l.RequestId() == RequestIdOf(login));
        Assert.Equal("/api/auth/login", loginLine.GetProperty("Route").GetString());
        Assert.Equal("POST", loginLine.GetProperty("RequestMethod").GetString());
        Assert.Equal(200, loginLine.GetProperty("StatusCode").GetInt32());
        Assert.Equal(JsonValueKind.Number, loginLine.GetProperty("Elapsed").ValueKind);

        var meLine = Assert.Single(LogFiles.RequestLines(app.LogDirectory), l => l.RequestId() == RequestIdOf(me));
        Assert.Equal("/api/users/{id:guid}", meLine.GetProperty("Route").GetString());
        Assert.Equal(s.UserId.ToString(), meLine.GetProperty("UserId").GetString());
    }

    [Fact]
    public async Task A_client_request_id_is_the_one_logged()
    {
        var id = "trace-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/no-such-route");
        request.Headers.Add("X-Request-Id", id);

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(id, RequestIdOf(response));
        var line = Assert.Single(LogFiles.RequestLines(app.LogDirectory), l => l.RequestId() == id);
        Assert.Equal(404, line.GetProperty("StatusCode").GetInt32());
    }

    private static string RequestIdOf(HttpResponseMessage response) => response.Headers.GetValues("X-Request-Id").Single();
}

public sealed class LoggingTestsOnPostgres(App<Postgres, Defaults> app) : LoggingTests<App<Postgres, Defaults>>(app);

public sealed class LoggingTestsOnSqlite(App<Sqlite, Defaults> app) : LoggingTests<App<Sqlite, Defaults>>(app);

public sealed class ServerFaultLoggingTests(App<Postgres, UnreachableDatabaseSettings> app)
    : IClassFixture<App<Postgres, UnreachableDatabaseSettings>>
{
    [Fact]
    public async Task A_server_fault_is_logged_with_its_exception_and_request_id()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { login = "someone", password = "whatever-1" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);

        // The exception handler's line, not EF's: it is the one every server fault gets, whatever threw.
        var id = response.Headers.GetValues("X-Request-Id").Single();
        var line = Assert.Single(LogFiles.Read(app.LogDirectory), l => l.RequestId() == id &&
            l.Source() == "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware");
        Assert.Equal("Error", line.GetProperty("@l").GetString());
        Assert.Contains("Npgsql", line.GetProperty("@x").GetString(), StringComparison.Ordinal);
    }
}

internal static class LogFiles
{
    /// <summary>
    /// The JSON lines of every log file in the folder. The file sink keeps the file open and may be
    /// mid-write, so it is opened for shared access and a last line without its newline is left out.
    /// </summary>
    public static List<JsonElement> Read(string directory) =>
        [.. Lines(directory).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    /// <summary>The one line per request the request logging middleware writes.</summary>
    public static List<JsonElement> RequestLines(string directory) =>
        [.. Read(directory).Where(l => l.Source() == "Serilog.AspNetCore.RequestLoggingMiddleware")];

    public static string ReadText(string directory) => string.Join('\n', Lines(directory));

    public static string? RequestId(this JsonElement line) =>
        line.TryGetProperty("RequestId", out var id) ? id.GetString() : null;

    public static string? Source(this JsonElement line) =>
        line.TryGetProperty("SourceContext", out var source) ? source.GetString() : null;

    private static IEnumerable<string> Lines(string directory)
    {
        var files = Directory.GetFiles(directory, "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var lines = reader.ReadToEnd().Split('\n');
            foreach (var line in lines[..^1].Where(l => l.Length > 0))
            {
                yield return line;
            }
        }
    }
}
