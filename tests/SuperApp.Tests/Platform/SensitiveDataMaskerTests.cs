using System.Text.Json;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using SuperApp.Platform.Logging;

namespace SuperApp.Tests.Platform;

public sealed class SensitiveDataMaskerTests
{
    private const string Secret = "s3cr3t-Value-42";

    [Theory]
    [InlineData("password")]
    [InlineData("Password")]
    [InlineData("newPassword")]
    [InlineData("accessToken")]
    [InlineData("refresh_token")]
    [InlineData("X-Api-Token")]
    [InlineData("clientSecret")]
    [InlineData("Authorization")]
    [InlineData("cookie")]
    [InlineData("otp")]
    [InlineData("code")]
    [InlineData("pin")]
    [InlineData("cardNumber")]
    [InlineData("accountNumber")]
    public void Sensitive_properties_are_masked(string name)
    {
        var (evt, json) = Log(l => l.ForContext(name, Secret).Information("Signed in"));

        Assert.Equal(SensitiveDataMasker.Mask, ((ScalarValue)evt.Properties[name]).Value);
        Assert.DoesNotContain(Secret, json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("StatusCode")]
    [InlineData("RequestId")]
    [InlineData("Route")]
    [InlineData("Login")]
    [InlineData("Postcode")]
    public void Ordinary_properties_are_kept(string name)
    {
        var (evt, _) = Log(l => l.ForContext(name, Secret).Information("Signed in"));

        Assert.Equal(Secret, ((ScalarValue)evt.Properties[name]).Value);
    }

    [Fact]
    public void Values_in_the_message_template_are_masked_in_the_rendered_message()
    {
        var (_, json) = Log(l => l.Information("Login by {Login} with {Password} answered {StatusCode}", "bob", Secret, 401));

        var line = JsonDocument.Parse(json).RootElement;
        Assert.Equal("Login by \"bob\" with \"***\" answered 401", line.GetProperty("@m").GetString());
        Assert.Equal(401, line.GetProperty("StatusCode").GetInt32());
    }

    [Fact]
    public void Nested_objects_dictionaries_and_lists_are_masked_at_any_depth()
    {
        var body = new
        {
            Login = "bob",
            Credentials = new { Password = Secret, Device = new { Pin = Secret, Model = "Pixel" } },
            Tokens = new Dictionary<string, object> { ["refreshToken"] = Secret, ["page"] = 2 },
            Codes = new[] { new { Code = Secret, Channel = "sms" } },
        };

        var (_, json) = Log(l => l.Information("Request {@Body}", body));

        Assert.DoesNotContain(Secret, json, StringComparison.Ordinal);
        var logged = JsonDocument.Parse(json).RootElement.GetProperty("Body");
        Assert.Equal("bob", logged.GetProperty("Login").GetString());
        Assert.Equal("Pixel", logged.GetProperty("Credentials").GetProperty("Device").GetProperty("Model").GetString());
        Assert.Equal(2, logged.GetProperty("Tokens").GetProperty("page").GetInt32());
        Assert.Equal("sms", logged.GetProperty("Codes")[0].GetProperty("Channel").GetString());
    }

    [Fact]
    public void A_logged_json_body_is_masked_and_stays_json()
    {
        var (_, json) = Log(l => l.Information("Body {Body}", $$"""{"login":"bob","password":"{{Secret}}"}"""));

        var body = JsonDocument.Parse(JsonDocument.Parse(json).RootElement.GetProperty("Body").GetString()!).RootElement;
        Assert.Equal(("bob", "***"), (body.GetProperty("login").GetString(), body.GetProperty("password").GetString()));
    }

    [Fact]
    public void MaskText_masks_sensitive_json_fields_whatever_their_value_type()
    {
        const string text = """
            {"login":"bob","password":"a\"b c","newPassword" : "x","statusCode":200,"code":123456,"pin":-42,"otp":"12","postcode":"40115","nested":{"accessToken":"eyJ.x.y"}}
            """;

        var masked = JsonDocument.Parse(SensitiveDataMasker.MaskText(text)).RootElement;

        foreach (var name in new[] { "password", "newPassword", "code", "pin", "otp" })
        {
            Assert.Equal("***", masked.GetProperty(name).GetString());
        }

        Assert.Equal("***", masked.GetProperty("nested").GetProperty("accessToken").GetString());
        Assert.Equal("bob", masked.GetProperty("login").GetString());
        Assert.Equal(200, masked.GetProperty("statusCode").GetInt32());
        Assert.Equal("40115", masked.GetProperty("postcode").GetString());
    }

    [Theory]
    [InlineData("/api/x?access_token=abc123&page=2", "/api/x?access_token=***&page=2")]
    [InlineData("/cb?code=998877&state=xyz", "/cb?code=***&state=xyz")]
    [InlineData("login=bob&password=hunter2&newPassword=hunter3", "login=bob&password=***&newPassword=***")]
    [InlineData("statusCode=200&zipcode=40115&page=2", "statusCode=200&zipcode=40115&page=2")]
    public void MaskText_masks_query_strings_and_form_bodies(string text, string expected)
    {
        Assert.Equal(expected, SensitiveDataMasker.MaskText(text));
    }

    private static (LogEvent Event, string Json) Log(Action<Serilog.ILogger> write)
    {
        var sink = new CollectingSink();
        using (var logger = new LoggerConfiguration().Enrich.With<SensitiveDataMasker>().WriteTo.Sink(sink).CreateLogger())
        {
            write(logger);
        }

        var evt = Assert.Single(sink.Events);
        using var json = new StringWriter();
        new RenderedCompactJsonFormatter().Format(evt, json);
        return (evt, json.ToString());
    }

    private sealed class CollectingSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }
}
