using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Features.Auth;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Auth;

/// <summary>One hashing slot and no queue, so the test can hold the slot and see what a storm would meet.</summary>
public sealed class OneHashSlotSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["Auth:MaxConcurrentHashes"] = "1";
        app.Settings["Auth:HashQueueLimit"] = "0";
    }
}

public sealed class HashBulkheadTests(App<Postgres, OneHashSlotSettings> app) : IClassFixture<App<Postgres, OneHashSlotSettings>>
{
    [Fact]
    public async Task With_every_hashing_slot_taken_sign_ups_and_logins_are_refused_at_once_while_money_reads_go_on()
    {
        var s = await app.RegisterAsync();
        var passwords = app.Services.GetRequiredService<Passwords>();

        using (await passwords.ReserveAsync(CancellationToken.None))
        {
            var burst = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => app.CreateClient().PostAsJsonAsync("/api/auth/register",
                new { email = $"storm{i}{Guid.NewGuid():N}@example.com", username = $"storm{i}{Guid.NewGuid():N}"[..20],
                    password = Api.Password })));
            var balance = await s.Client.GetAsync("/api/wallet/balance");
            Assert.Equal(HttpStatusCode.OK, balance.StatusCode);

            foreach (var refused in burst)
            {
                await refused.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "AUTH_BUSY");
                Assert.NotNull(refused.Headers.RetryAfter?.Delta);
            }

            var login = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { login = s.Username, password = Api.Password });
            await login.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "AUTH_BUSY");
        }

        // Refusals for load were not counted as failed logins: the account is not locked.
        for (var i = 0; i < 6; i++)
        {
            using var held = await passwords.ReserveAsync(CancellationToken.None);
            await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { login = s.Username, password = Api.Password });
        }

        var after = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { login = s.Username, password = Api.Password });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(s.UserId, (await app.RegisterAsync()).UserId);
    }
}
