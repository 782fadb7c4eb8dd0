using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Auth;

/// <summary>Failures are counted before the secret is checked, so a parallel burst cannot get past the limit.</summary>
public abstract class LockoutTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_parallel_burst_gets_at_most_five_plain_failures_and_then_even_the_right_password_is_refused()
    {
        var s = await app.RegisterAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            app.CreateClient().PostAsJsonAsync("/api/auth/login", new { login = s.Username, password = "wrong-password" })));

        var plainFailures = answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized);
        Assert.InRange(plainFailures, 1, 5);
        Assert.Equal(20 - plainFailures, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));

        // Locked: a burst mixing the right password with wrong ones is refused whole, and the lock holds after it.
        var mixed = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => app.CreateClient().PostAsJsonAsync("/api/auth/login",
            new { login = s.Username, password = i % 2 == 0 ? Api.Password : "wrong-password" })));
        Assert.All(mixed, a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        var right = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { login = s.Username, password = Api.Password });
        await right.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "TOO_MANY_ATTEMPTS");
        Assert.NotNull(right.Headers.RetryAfter?.Delta);

        var audited = await app.WithDbAsync(db =>
            db.AuditLogs.CountAsync(a => a.Action == "auth.login_failed" && a.EntityId == s.UserId.ToString()));
        // Every wrong password that was checked: the plain failures and, at most, the one whose failure locked the account.
        Assert.InRange(audited, plainFailures, plainFailures + 1);
    }

    [Fact]
    public async Task A_one_time_code_resent_after_five_wrong_guesses_is_still_locked()
    {
        var phone = Otp.NewPhoneNumber();
        await app.RegisterAsync(phone);
        var anon = app.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, (await anon.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = phone })).StatusCode);
        var code = app.Sms.LastCodeFor(phone)!;
        for (var i = 0; i < 5; i++)
        {
            await anon.PostAsJsonAsync("/api/auth/otp/verify", new { phoneNumber = phone, code = Otp.Other(code) });
        }

        app.Clock.Advance(TimeSpan.FromMinutes(2)); // past the resend interval
        var resend = await anon.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = phone });
        await resend.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "TOO_MANY_ATTEMPTS");
        Assert.NotNull(resend.Headers.RetryAfter?.Delta);
        var verify = await anon.PostAsJsonAsync("/api/auth/otp/verify", new { phoneNumber = phone, code });
        await verify.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "TOO_MANY_ATTEMPTS");
        Assert.True(await app.WithDbAsync(db => db.AuditLogs.AnyAsync(a => a.Action == "auth.otp_failed")));
    }

    [Fact]
    public async Task Guesses_are_counted_per_number_across_resends_ten_an_hour()
    {
        var phone = Otp.NewPhoneNumber();
        await app.RegisterAsync(phone);
        var anon = app.CreateClient();
        string code = "";
        foreach (var guesses in new[] { 4, 4, 2 })
        {
            app.Clock.Advance(TimeSpan.FromMinutes(2));
            Assert.Equal(HttpStatusCode.Accepted,
                (await anon.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = phone })).StatusCode);
            code = app.Sms.LastCodeFor(phone)!;
            for (var i = 0; i < guesses; i++)
            {
                var wrong = await anon.PostAsJsonAsync("/api/auth/otp/verify", new { phoneNumber = phone, code = Otp.Other(code) });
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            }
        }

        var right = await anon.PostAsJsonAsync("/api/auth/otp/verify", new { phoneNumber = phone, code });
        await right.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "TOO_MANY_ATTEMPTS");

        app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1)); // the lock ends; a new code works
        Assert.Equal(HttpStatusCode.Accepted, (await anon.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = phone })).StatusCode);
        var after = await anon.PostAsJsonAsync("/api/auth/otp/verify", new { phoneNumber = phone, code = app.Sms.LastCodeFor(phone) });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}

public sealed class LockoutTestsOnPostgres(App<Postgres, Defaults> app) : LockoutTests<App<Postgres, Defaults>>(app);

public sealed class LockoutTestsOnSqlite(App<Sqlite, Defaults> app) : LockoutTests<App<Sqlite, Defaults>>(app);

/// <summary>The lock is counted in the shared database, so a burst split over two instances is held to one limit.</summary>
public sealed class LockoutAcrossInstancesTests(TwoInstances<Defaults> apps) : IClassFixture<TwoInstances<Defaults>>
{
    [Fact]
    public async Task A_burst_split_over_two_instances_gets_at_most_five_plain_failures()
    {
        var s = await apps.A.RegisterAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? apps.A : apps.B).CreateClient()
                .PostAsJsonAsync("/api/auth/login", new { login = s.Username, password = "wrong-password" })));

        Assert.InRange(answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized), 1, 5);
        Assert.Equal(20, answers.Count(a => a.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests));
        var right = await apps.B.CreateClient().PostAsJsonAsync("/api/auth/login", new { login = s.Username, password = Api.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }
}
