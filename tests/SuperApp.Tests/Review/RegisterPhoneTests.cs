using System.Net;
using System.Net.Http.Json;
using SuperApp.Tests.Auth;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Review;

/// <summary>
/// DESIGN §8: a phone number, an OTP login credential, is set only by proof. Registration still sets
/// it as typed, so whoever receives that number's texts (a typo, a recycled number, a victim's number
/// put there on purpose) can sign in to the account by one-time code and spend its wallet.
/// </summary>
public abstract class RegisterPhoneTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_number_given_at_registration_is_no_login_credential_until_its_code_comes_back()
    {
        var strangersNumber = Otp.NewPhoneNumber();
        var s = await app.RegisterAsync(strangersNumber);
        var me = await (await s.Client.GetAsync("/api/users/me")).JsonAsync();
        Assert.NotEqual(strangersNumber, me.GetProperty("phoneNumber").GetString());

        var anon = app.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, (await anon.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = strangersNumber })).StatusCode);
        var code = app.Sms.LastCodeFor(strangersNumber);
        var login = await anon.PostAsJsonAsync("/api/auth/otp/verify", new { phoneNumber = strangersNumber, code = code ?? "000000" });
        Assert.NotEqual(HttpStatusCode.OK, login.StatusCode);
    }
}

public sealed class RegisterPhoneTestsOnPostgres(PostgresApp app) : RegisterPhoneTests<PostgresApp>(app);

public sealed class RegisterPhoneTestsOnSqlite(SqliteApp app) : RegisterPhoneTests<SqliteApp>(app);
