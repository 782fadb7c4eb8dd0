using Microsoft.Extensions.Options;
using SuperApp.Features.Gifts;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Gifts;

public sealed class GiftOptionsTests
{
    private static readonly GiftOptionsValidator Validator = new(Options.Create(new RevenueOptions()));

    private static ValidateOptionsResult Validate(params GiftType[] catalogue) => Validator.Validate(null,
        new GiftOptions { Catalogue = [.. catalogue] });

    [Fact]
    public void The_default_catalogue_is_valid_and_within_the_gift_limits()
    {
        Assert.True(Validate([.. GiftOptions.DefaultCatalogue]).Succeeded);
        Assert.Equal(5, GiftOptions.DefaultCatalogue.Count);
    }

    [Theory]
    [InlineData("rose", "Rose", 99)]
    [InlineData("rose", "Rose", 100_000_001)]
    [InlineData("", "Rose", 10_000)]
    [InlineData("Rose!", "Rose", 10_000)]
    [InlineData("rose", " ", 10_000)]
    public void A_bad_gift_is_refused(string id, string name, long price) =>
        Assert.True(Validate(new GiftType { Id = id, Name = name, Price = price }).Failed);

    [Fact]
    public void Ids_are_unique_and_the_catalogue_is_not_empty()
    {
        var result = Validate(new GiftType { Id = "rose", Name = "Rose", Price = 10_000 },
            new GiftType { Id = "ROSE", Name = "Red rose", Price = 20_000 });
        Assert.Contains(result.Failures!, f => f.Contains("more than once", StringComparison.Ordinal));
        Assert.True(Validate().Failed);
    }

    [Fact]
    public async Task The_service_refuses_to_start_with_a_gift_priced_outside_the_limits()
    {
        await using var app = new App<Sqlite, Defaults>
        {
            Settings = { ["Gifts:Catalogue:0:Id"] = "pebble", ["Gifts:Catalogue:0:Name"] = "Pebble", ["Gifts:Catalogue:0:Price"] = "1" },
        };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.InitializeAsync().AsTask());
        Assert.Contains("Gifts:Catalogue 'pebble' price 1", error.ToString(), StringComparison.Ordinal);
    }
}
