using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Auth;

public abstract class OtpTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private readonly HttpClient _anon = app.CreateClient();

    [Fact]
    public async Task Send_texts_a_six_digit_code_that_logs_the_owner_in()
    {
        var phone = Otp.NewPhoneNumber();
        var s = await app.RegisterAsync(phone);

        var send = await _anon.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = phone });
        Assert.Equal(HttpStatusCode.Accepted, send.StatusCode);
        var code = app.Sms.LastCodeFor(phone);
        Assert.Matches("^[0-9]{6}$", code);

        var verify = await _anon.PostAsJsonAsync("/api/auth/otp/verify", new { phoneNumber = phone, code });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var body = await verify.JsonAsync();
        Assert.Equal(s.UserId, body.GetProperty("user").GetProperty("id").GetGuid());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("refreshToken").GetString()));

        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        me.Headers.Authorization = new("Bearer", body.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _anon.SendAsync(me)).StatusCode);
    }

    [Fact]
    public async Task A_code_works_only_once()
    {
        var phone = Otp.NewPhoneNumber();
        await app.RegisterAsync(phone);
        var code = await SendAsync(phone);

        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(phone, code)).StatusCode);
        await VerifyAsync(phone, code).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "INVALID_OTP");
    }

    [Fact]
    public async Task A_wrong_code_is_refused_and_the_right_one_still_works()
    {
        var phone = Otp.NewPhoneNumber();
        await app.RegisterAsync(phone);
        var code = await SendAsync(phone);

        await VerifyAsync(phone, Otp.Other(code)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "INVALID_OTP");
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(phone, code)).StatusCode);
    }

    [Fact]
    public async Task After_five_wrong_codes_even_the_right_one_is_refused()
    {
        var phone = Otp.NewPhoneNumber();
        await app.RegisterAsync(phone);
        var code = await SendAsync(phone);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await VerifyAsync(phone, Otp.Other(code))).StatusCode);
        }

        // The fifth wrong guess locks the number, whatever code it is sent next.
        await VerifyAsync(phone, code).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "TOO_MANY_ATTEMPTS");
    }

    [Fact]
    public async Task A_second_send_within_a_minute_is_refused_with_retry_after()
    {
        var phone = Otp.NewPhoneNumber();
        await app.RegisterAsync(phone);
        await SendAsync(phone);

        var second = await _anon.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = phone });
        await second.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "OTP_RESEND_TOO_SOON");
        var retryAfter = second.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Single(app.Sms.Sent, m => m.PhoneNumber == phone && m.Message.Contains("login code", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unregistered_number_gets_the_same_answer_and_no_sms()
    {
        var registered = Otp.NewPhoneNumber();
        var unregistered = Otp.NewPhoneNumber();
        await app.RegisterAsync(registered);

        var known = await _anon.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = registered });
        var unknown = await _anon.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = unregistered });

        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        Assert.Contains(app.Sms.Sent, m => m.PhoneNumber == registered);
        Assert.DoesNotContain(app.Sms.Sent, m => m.PhoneNumber == unregistered);
    }

    private async Task<string> SendAsync(string phone)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _anon.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = phone })).StatusCode);
        return app.Sms.LastCodeFor(phone) ?? throw new InvalidOperationException($"No code was texted to {phone}.");
    }

    private Task<HttpResponseMessage> VerifyAsync(string phone, string code) =>
        _anon.PostAsJsonAsync("/api/auth/otp/verify", new { phoneNumber = phone, code });
}

public sealed class OtpTestsOnPostgres(App<Postgres, Defaults> app) : OtpTests<App<Postgres, Defaults>>(app);

public sealed class OtpTestsOnSqlite(App<Sqlite, Defaults> app) : OtpTests<App<Sqlite, Defaults>>(app);

/// <summary>Moves its fixture's clock, so it has a fixture (and class) of its own.</summary>
public abstract class OtpExpiryTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_code_works_within_five_minutes_and_not_after()
    {
        var client = app.CreateClient();
        var (early, late) = (Otp.NewPhoneNumber(), Otp.NewPhoneNumber());
        await app.RegisterAsync(early);
        await app.RegisterAsync(late);
        foreach (var phone in new[] { early, late })
        {
            Assert.Equal(HttpStatusCode.Accepted,
                (await client.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = phone })).StatusCode);
        }

        app.Clock.Advance(TimeSpan.FromMinutes(4));
        var inTime = await client.PostAsJsonAsync("/api/auth/otp/verify", new { phoneNumber = early, code = app.Sms.LastCodeFor(early) });
        Assert.Equal(HttpStatusCode.OK, inTime.StatusCode);

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await client.PostAsJsonAsync("/api/auth/otp/verify", new { phoneNumber = late, code = app.Sms.LastCodeFor(late) });
        await expired.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "INVALID_OTP");
    }
}

public sealed class OtpExpiryTestsOnPostgres(App<Postgres, Defaults> app) : OtpExpiryTests<App<Postgres, Defaults>>(app);

public sealed class OtpExpiryTestsOnSqlite(App<Sqlite, Defaults> app) : OtpExpiryTests<App<Sqlite, Defaults>>(app);

internal static class Otp
{
    /// <summary>An Indonesian mobile number in E.164 form, random enough to be unique per test.</summary>
    public static string NewPhoneNumber() =>
        "+6281" + Random.Shared.NextInt64(100_000_000, 1_000_000_000).ToString(CultureInfo.InvariantCulture);

    /// <summary>A well-formed code that is certainly not <paramref name="code"/>.</summary>
    public static string Other(string code) =>
        ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
}
