using System.Net;
using System.Net.Http.Json;
using SuperApp.Tests.Auth;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Regressions;

/// <summary>
/// A phone number, an OTP login credential, is set only by proof, at registration too: otherwise
/// whoever receives that number's texts (a typo, a recycled number, a victim's number put there on
/// purpose) could sign in to the account by one-time code and spend its wallet.
/// </summary>
public abstract class RegisterPhoneTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_number_given_at_registration_is_no_login_credential_until_its_code_comes_back()
    {
        var strangersNumber = Otp.NewPhoneNumber();
        var name = "p" + Guid.NewGuid().ToString("N")[..12];
        var client = app.CreateClient();
        var registered = await client.PostAsJsonAsync("/api/auth/register",
            new { email = $"{name}@example.com", username = name, password = Api.Password, phoneNumber = strangersNumber });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await registered.JsonAsync()).GetProperty("accessToken").GetString());
        var me = await (await client.GetAsync("/api/users/me")).JsonAsync();
        Assert.NotEqual(strangersNumber, me.GetProperty("phoneNumber").GetString());

        var anon = app.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted,
            (await anon.PostAsJsonAsync("/api/auth/otp/send", new { phoneNumber = strangersNumber })).StatusCode);
        var code = app.Sms.LastCodeFor(strangersNumber);
        var login = await anon.PostAsJsonAsync("/api/auth/otp/verify", new { phoneNumber = strangersNumber, code = code ?? "000000" });
        Assert.NotEqual(HttpStatusCode.OK, login.StatusCode);
    }
}

public sealed class RegisterPhoneTestsOnPostgres(App<Postgres, Defaults> app) : RegisterPhoneTests<App<Postgres, Defaults>>(app);

public sealed class RegisterPhoneTestsOnSqlite(App<Sqlite, Defaults> app) : RegisterPhoneTests<App<Sqlite, Defaults>>(app);
