using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Premium;

public abstract class MediaTests<TApp>(TApp app, string mediaDirectory) : IClassFixture<TApp> where TApp : AppFixture
{
    internal static byte[] Png(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        byte[] header = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        header.CopyTo(bytes, 0);
        return bytes;
    }

    internal static Task<HttpResponseMessage> UploadAsync(Session s, Guid id, byte[] bytes, string fileName,
        string contentType = "image/png")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var form = new MultipartFormDataContent { { new StringContent("cover"), "caption" }, { file, "file", fileName } };
        return s.Client.PostAsync($"/api/premium/{id}/media", form);
    }

    [Fact]
    public async Task Media_is_stored_under_a_random_name_and_streamed_only_to_those_with_access_with_ranges()
    {
        var creator = await app.CreatorAsync();
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 10_000);
        var id = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var png = Png(100_000);

        await creator.Client.GetAsync($"/api/premium/{id}/media").ShouldBeProblemAsync(HttpStatusCode.NotFound, "MEDIA_NOT_FOUND");
        var uploaded = await UploadAsync(creator, id, png, "../../holiday photo.png", "application/octet-stream");
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var media = (await uploaded.JsonAsync()).GetProperty("media");
        Assert.Equal("image/png", media.GetProperty("contentType").GetString());
        Assert.Equal(100_000, media.GetProperty("size").GetInt64());
        var stored = await StoredFileAsync(id);
        Assert.Matches("^[0-9a-f]{32}\\.png$", stored);
        Assert.Equal(png, await File.ReadAllBytesAsync(Path.Combine(mediaDirectory, stored)));

        var locked = await buyer.Client.GetAsync($"/api/premium/{id}/media");
        await locked.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "LOCKED");
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(id)).StatusCode);

        var whole = await buyer.Client.GetAsync($"/api/premium/{id}/media");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("image/png", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", whole.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(png, await whole.Content.ReadAsByteArrayAsync());

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/premium/{id}/media");
        request.Headers.Range = new RangeHeaderValue(1_000, 1_099);
        var part = await buyer.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal("bytes 1000-1099/100000", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(png[1_000..1_100], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await creator.Client.GetAsync($"/api/premium/{id}/media")).StatusCode);

        // A new upload replaces the file; the old one is removed.
        var pdf = await UploadAsync(creator, id, "%PDF-1.7\n%âãÏÓ\n"u8.ToArray(), "notes.pdf", "application/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Matches("^[0-9a-f]{32}\\.pdf$", await StoredFileAsync(id));
        Assert.False(File.Exists(Path.Combine(mediaDirectory, stored)));
        Assert.Equal("application/pdf", (await buyer.Client.GetAsync($"/api/premium/{id}/media")).Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("photo.jpg", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1 },
        "image/jpeg")]
    [InlineData("anim.gif", new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 1, 0, 1, 0, 0, 0 }, "image/gif")]
    [InlineData("pic.webp",
        new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 4, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, "image/webp")]
    [InlineData("clip.mp4",
        new byte[] { 0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m' }, "video/mp4")]
    [InlineData("song.mp3", new byte[] { (byte)'I', (byte)'D', (byte)'3', 4, 0, 0, 0, 0, 0, 0, 0, 0 }, "audio/mpeg")]
    [InlineData("frame.mp3", new byte[] { 0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0, 0, 0, 0, 0 }, "audio/mpeg")]
    [InlineData("no-extension",
        new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', (byte)'1', (byte)'.', (byte)'4', 0, 0, 0, 0 },
            "application/pdf")]
    public async Task Allowed_types_are_recognised_by_their_content(string fileName, byte[] head, string contentType)
    {
        var creator = await app.CreatorAsync();
        var id = await creator.CreateContentAsync(publish: false);
        var response = await UploadAsync(creator, id, [.. head, .. new byte[500]], fileName, "application/octet-stream");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, (await response.JsonAsync()).GetProperty("media").GetProperty("contentType").GetString());
    }

    [Fact]
    public async Task Uploads_are_refused_by_content_size_form_and_owner()
    {
        var creator = await app.CreatorAsync();
        var other = await app.CreatorAsync();
        var id = await creator.CreateContentAsync();
        var filesBefore = Directory.Exists(mediaDirectory) ? Directory.GetFiles(mediaDirectory).Length : 0;

        await UploadAsync(creator, id, [(byte)'M', (byte)'Z', .. new byte[600]], "setup.png")
            .ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "MEDIA_TYPE_NOT_ALLOWED");
        await UploadAsync(creator, id, "<html><script>"u8.ToArray(), "page.png", "image/png")
            .ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "MEDIA_TYPE_NOT_ALLOWED");
        await UploadAsync(creator, id, [], "empty.png")
            .ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "MEDIA_TYPE_NOT_ALLOWED");
        await UploadAsync(creator, id, Png(1_000), "report.pdf")
            .ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "MEDIA_TYPE_MISMATCH");
        await UploadAsync(creator, id, Png((int)PremiumSettings.MaxUploadBytes + 1), "big.png")
            .ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "MEDIA_TOO_LARGE");
        await UploadAsync(creator, id, Png((int)PremiumSettings.MaxUploadBytes * 2), "huge.png")
            .ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(creator, id, Png((int)PremiumSettings.MaxUploadBytes), "exact.png")).StatusCode);

        var notMultipart = await creator.Client.PostAsync($"/api/premium/{id}/media", new ByteArrayContent(Png(100)));
        await notMultipart.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        var noFile = await creator.Client.PostAsync($"/api/premium/{id}/media",
            new MultipartFormDataContent { { new StringContent("x"), "caption" } });
        await noFile.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await UploadAsync(other, id, Png(100), "a.png").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "NOT_CONTENT_OWNER");
        var viewer = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(viewer, id, Png(100), "a.png")).StatusCode);

        // Only the one accepted upload left a file; refused ones left nothing behind, not even partial files.
        Assert.Equal(filesBefore + 1, Directory.GetFiles(mediaDirectory).Length);
        Assert.DoesNotContain(Directory.GetFiles(mediaDirectory), f => f.EndsWith(".part", StringComparison.Ordinal));
    }

    private Task<string> StoredFileAsync(Guid id) =>
        app.WithDbAsync(db => db.PremiumContents.Where(c => c.Id == id).Select(c => c.MediaFile!).SingleAsync());

}

public sealed class MediaTestsOnPostgres(App<Postgres, PremiumSettings> app)
    : MediaTests<App<Postgres, PremiumSettings>>(app, PremiumSettings.MediaDirectory(app));

public sealed class MediaTestsOnSqlite(App<Sqlite, PremiumSettings> app)
    : MediaTests<App<Sqlite, PremiumSettings>>(app, PremiumSettings.MediaDirectory(app));
