using System.Net.Http.Json;
using SuperApp.Platform.Observability;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Platform;

namespace SuperApp.Tests.Observability;

/// <summary>Every query counts as slow, so any request's queries are logged.</summary>
public sealed class SlowQueryApp : PostgresApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Observability:SlowQueryMs"] = "1" };
}

public sealed class SlowQueryObservabilityTests(SlowQueryApp app) : IClassFixture<SlowQueryApp>
{
    [Fact]
    public async Task Slow_queries_are_logged_with_the_request_id_and_the_sql_shape_but_no_values()
    {
        var login = "nobody-" + Guid.NewGuid().ToString("N");
        var requestId = "slow-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent.Create(new { login, password = "wrong-password-123" }),
        };
        request.Headers.Add("X-Request-Id", requestId);

        await app.CreateClient().SendAsync(request);

        List<System.Text.Json.JsonElement> slow = [];
        static bool Lookup(System.Text.Json.JsonElement l) =>
            l.GetProperty("Sql").GetString()!.Contains("FROM users", StringComparison.OrdinalIgnoreCase);
        for (var i = 0; i < 50 && !slow.Any(Lookup); i++)
        {
            slow = [.. LogFiles.Read(app.LogDirectory)
                .Where(l => l.Source() == typeof(SlowQueryInterceptor).FullName && l.RequestId() == requestId)];
            await Task.Delay(slow.Any(Lookup) ? 0 : 20);
        }

        Assert.NotEmpty(slow);
        // The login's statements (the account lookup, the attempt count) are all logged; find the lookup.
        var statements = slow.Select(l => l.GetProperty("Sql").GetString()!).ToList();
        Assert.Contains(statements, q => q.Contains("FROM users", StringComparison.OrdinalIgnoreCase));
        var sql = statements.First(q => q.Contains("FROM users", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("@", sql, StringComparison.Ordinal); // placeholders stand where the values were
        Assert.All(slow, l => Assert.DoesNotContain(login, l.GetRawText(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SELECT * FROM users WHERE email = 'a@b.co'  AND\n id = @p0", "SELECT * FROM users WHERE email = '?' AND id = @p0")]
    [InlineData("UPDATE t SET note = 'it''s' WHERE id = $1", "UPDATE t SET note = '?' WHERE id = $1")]
    public void The_shape_blanks_literals_and_folds_whitespace(string sql, string shape) =>
        Assert.Equal(shape, SlowQueryInterceptor.Shape(sql));
}
