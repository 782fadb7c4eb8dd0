using System.Net.Http.Json;
using SuperApp.Platform.Observability;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Platform;

namespace SuperApp.Tests.Observability;

/// <summary>Every query counts as slow (0 ms), so any request's queries are logged however fast the machine.</summary>
public sealed class SlowQuerySettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["Observability:SlowQueryMs"] = "0";
    }
}

public sealed class SlowQueryObservabilityTests(App<Postgres, SlowQuerySettings> app) : IClassFixture<App<Postgres, SlowQuerySettings>>
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
        for (var i = 0; i < 100 && slow.Count == 0; i++)
        {
            slow = [.. LogFiles.Read(app.LogDirectory)
                .Where(l => l.Source() == typeof(SlowQueryInterceptor).FullName && l.RequestId() == requestId)];
            await Task.Delay(slow.Count == 0 ? 20 : 0);
        }

        // Each logged statement shows its shape with placeholders where the values were, and never the values.
        Assert.NotEmpty(slow);
        Assert.Contains(slow, l => l.GetProperty("Sql").GetString()!.Contains('@', StringComparison.Ordinal));
        Assert.All(slow, l => Assert.DoesNotContain(login, l.GetRawText(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SELECT * FROM users WHERE email = 'a@b.co'  AND\n id = @p0", "SELECT * FROM users WHERE email = '?' AND id = @p0")]
    [InlineData("UPDATE t SET note = 'it''s' WHERE id = $1", "UPDATE t SET note = '?' WHERE id = $1")]
    public void The_shape_blanks_literals_and_folds_whitespace(string sql, string shape) =>
        Assert.Equal(shape, SlowQueryInterceptor.Shape(sql));
}
