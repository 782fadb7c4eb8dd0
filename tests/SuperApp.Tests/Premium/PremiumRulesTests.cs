using SuperApp.Features.Ledger;
using SuperApp.Features.Premium;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Premium;

public sealed class PremiumRulesTests
{
    private static readonly RevenueSplit DefaultUnlock = new RevenueOptions().Splits.Unlock;

    [Theory]
    [InlineData(1L)]
    [InlineData(3L)]
    [InlineData(500L)]
    [InlineData(501L)]
    [InlineData(777L)]
    [InlineData(33_333L)]
    [InlineData(99_999_999L)]
    [InlineData(100_000_000L)]
    public void An_unlock_posting_balances_and_pays_the_whole_price(long price)
    {
        var (buyer, creator, unlock) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var request = UnlockPosting.Build(buyer, creator, price, DefaultUnlock, unlock);

        Assert.Equal(TransactionKind.Unlock, request.Kind);
        Assert.Equal(price, request.Amount);
        Assert.Equal($"unlock:{unlock}", request.Reference);
        Assert.Equal(0, request.Postings.Sum(p => p.Amount));
        Assert.Equal(-price, Assert.Single(request.Postings, p => p.Account == AccountRef.Wallet(buyer)).Amount);
        Assert.All(request.Postings, p => Assert.NotEqual(0, p.Amount));
        var fee = request.Postings.Where(p => p.Account == AccountRef.System(AccountKind.PlatformRevenue)).Sum(p => p.Amount);
        Assert.Equal(price * 3_000 / 10_000, fee);
        Assert.Equal(price - fee, request.Postings.Where(p => p.Account == AccountRef.Earnings(creator)).Sum(p => p.Amount));
    }

    [Fact]
    public void A_share_that_rounds_to_nothing_is_left_out_of_the_posting()
    {
        var tiny = UnlockPosting.Build(Guid.NewGuid(), Guid.NewGuid(), 3, DefaultUnlock, Guid.NewGuid());
        Assert.Equal(2, tiny.Postings.Count); // 30% of 3 is 0.9, floored to 0
        Assert.DoesNotContain(tiny.Postings, p => p.Account.Kind == AccountKind.PlatformRevenue);

        var allToPlatform = UnlockPosting.Build(Guid.NewGuid(), Guid.NewGuid(), 1_000,
            new RevenueSplit { PlatformBps = 10_000, CreatorBps = 0 }, Guid.NewGuid());
        Assert.Equal([-1_000L, 1_000L], allToPlatform.Postings.Select(p => p.Amount));
        Assert.DoesNotContain(allToPlatform.Postings, p => p.Account.Kind == AccountKind.EarningsPending);
    }

    [Theory]
    [InlineData("jpeg", new byte[] { 0xFF, 0xD8, 0xFF, 0xDB })]
    [InlineData("png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })]
    [InlineData("gif", new byte[] { 0x47, 0x49, 0x46, 0x38, 0x37, 0x61 })]
    [InlineData("webp", new byte[] { 0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50 })]
    [InlineData("mp4", new byte[] { 0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70 })]
    [InlineData("pdf", new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D })]
    [InlineData("mp3", new byte[] { 0x49, 0x44, 0x33 })]
    [InlineData("mp3", new byte[] { 0xFF, 0xF3 })]
    [InlineData(null, new byte[] { 0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45 })] // RIFF but WAVE
    [InlineData(null, new byte[] { 0xFF, 0xD8 })]                                                 // truncated JPEG
    [InlineData(null, new byte[] { 0xFF, 0xEB })]                                                 // MPEG frame with a reserved version
    [InlineData(null, new byte[] { 0x4D, 0x5A, 0x90, 0x00 })]                                     // a Windows executable
    [InlineData(null, new byte[0])]
    public void Types_are_recognised_by_their_leading_bytes(string? expected, byte[] head) =>
        Assert.Equal(expected, MediaTypes.Sniff(head, MediaTypes.All.Select(t => t.Name))?.Name);

    [Fact]
    public void Only_allowed_types_are_recognised()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.Null(MediaTypes.Sniff(png, ["jpeg", "pdf"]));
        Assert.Equal("png", MediaTypes.Sniff(png, ["PNG"])?.Name);
    }

    [Fact]
    public void A_browse_cursor_round_trips_and_belongs_to_its_sort()
    {
        var cursor = new BrowseCursor(BrowseSort.PriceDesc, 12_345, Guid.CreateVersion7());
        Assert.True(BrowseCursor.TryDecode(cursor.Encode(), BrowseSort.PriceDesc, out var decoded));
        Assert.Equal(cursor, decoded);
        Assert.False(BrowseCursor.TryDecode(cursor.Encode(), BrowseSort.Popular, out _));
        Assert.False(BrowseCursor.TryDecode("not*base64", BrowseSort.Recent, out _));
        Assert.False(BrowseCursor.TryDecode("AAAA", BrowseSort.Recent, out _));
        Assert.True(BrowseCursor.TryDecode(null, BrowseSort.Recent, out var none));
        Assert.Null(none);
    }

    [Fact]
    public void Premium_options_default_to_the_documented_categories_and_types_and_are_validated()
    {
        var o = new PremiumOptions();
        o.ApplyDefaults();
        Assert.Equal(["education", "entertainment", "business", "technology", "lifestyle", "art", "music", "fitness", "other"],
            o.Categories);
        Assert.Equal(["jpeg", "png", "gif", "webp", "mp4", "pdf", "mp3"], o.Media.AllowedTypes);
        Assert.Equal(50L * 1024 * 1024, o.Media.MaxUploadBytes);
        Assert.Equal("media", o.Media.StoragePath);
        var validator = new PremiumOptionsValidator();
        Assert.True(validator.Validate(null, o).Succeeded);

        Assert.Contains("Categories", Failure(validator, p => p.Categories.Add("Not A Word")), StringComparison.Ordinal);
        Assert.Contains("Categories", Failure(validator, p => p.Categories.Add("art")), StringComparison.Ordinal);
        Assert.Contains("MaxUploadBytes", Failure(validator, p => p.Media.MaxUploadBytes = 0), StringComparison.Ordinal);
        Assert.Contains("AllowedTypes", Failure(validator, p => p.Media.AllowedTypes.Add("exe")), StringComparison.Ordinal);
        Assert.Contains("StoragePath", Failure(validator, p => p.Media.StoragePath = " "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_refuses_to_start_with_invalid_premium_settings()
    {
        await using var app = new App<Sqlite, Defaults> { Settings = { ["Premium:Media:AllowedTypes:0"] = "exe" } };
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await app.InitializeAsync());
        Assert.Contains("Premium:Media:AllowedTypes", e.ToString(), StringComparison.Ordinal);
    }

    private static string Failure(PremiumOptionsValidator validator, Action<PremiumOptions> change)
    {
        var o = new PremiumOptions();
        o.ApplyDefaults();
        change(o);
        var result = validator.Validate(null, o);
        Assert.True(result.Failed);
        return result.FailureMessage;
    }
}
