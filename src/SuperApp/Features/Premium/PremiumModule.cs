using Microsoft.AspNetCore.Http.Metadata;
using SuperApp.Platform.Idempotency;
using SuperApp.Platform.RateLimiting;

namespace SuperApp.Features.Premium;

public static class PremiumModule
{
    /// <summary>Room for the multipart framing and small form fields around the file itself.</summary>
    public const long MultipartOverheadBytes = 64 * 1024;

    public static IServiceCollection AddPremium(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<PremiumOptions>().Bind(config.GetSection(PremiumOptions.Section)).PostConfigure(o => o.ApplyDefaults())
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PremiumOptions>, PremiumOptionsValidator>();
        services.AddSingleton<MediaStorage>();
        services.AddSingleton<SellableContent>();
        return services;
    }

    public static IEndpointRouteBuilder MapPremium(this IEndpointRouteBuilder app)
    {
        var maxUpload = app.ServiceProvider.GetRequiredService<IOptions<PremiumOptions>>().Value.Media.MaxUploadBytes;
        var premium = app.MapGroup("/api/premium").WithTags("Premium").RequireAuthorization().RequireTierRateLimit();
        premium.MapPost("", CreateContent.Handle).WithName("CreatePremiumContent")
            .WithSummary("Create a draft of premium content").ProducesProblem(422).RequireAuthorization(AuthSetup.CreatorPolicy);
        premium.MapPut("/{id:guid}", UpdateContent.Handle).WithName("UpdatePremiumContent")
            .WithSummary("Replace the editable fields of premium content")
            .ProducesProblem(410).ProducesProblem(422).RequireAuthorization(AuthSetup.CreatorPolicy);
        premium.MapPost("/{id:guid}/publish", PublishContent.Publish).WithName("PublishPremiumContent")
            .WithSummary("Publish premium content").ProducesProblem(409).ProducesProblem(410).RequireAuthorization(AuthSetup.CreatorPolicy);
        premium.MapPost("/{id:guid}/unpublish", PublishContent.Unpublish).WithName("UnpublishPremiumContent")
            .WithSummary("Take premium content back to draft")
            .ProducesProblem(409).ProducesProblem(410).RequireAuthorization(AuthSetup.CreatorPolicy);
        premium.MapDelete("/{id:guid}", DeleteContent.Handle).WithName("DeletePremiumContent")
            .WithSummary("Delete premium content; buyers keep access").ProducesProblem(410).RequireAuthorization(AuthSetup.CreatorPolicy);
        premium.MapPost("/{id:guid}/media", UploadMedia.Handle).WithName("UploadPremiumMedia")
            .WithSummary("Upload the media file of premium content")
            .ProducesProblem(409).ProducesProblem(410).ProducesProblem(413).ProducesProblem(415)
            .RequireAuthorization(AuthSetup.CreatorPolicy)
            .WithMetadata(new UploadSizeLimit(maxUpload + MultipartOverheadBytes))
            .Accepts<IFormFile>("multipart/form-data")
            .DisableAntiforgery();

        premium.MapGet("/browse", BrowseContent.Handle).WithName("BrowsePremiumContent").WithSummary("Browse published premium content");
        premium.MapGet("/mine", ListMine.Handle).WithName("ListMyPremiumContent").WithSummary("The caller's own premium content");
        premium.MapGet("/unlocked", ListUnlocked.Handle).WithName("ListUnlockedPremiumContent")
            .WithSummary("Premium content the caller bought");
        premium.MapGet("/{id:guid}", GetContent.Handle).WithName("GetPremiumContent").WithSummary("Premium content details")
            .ProducesProblem(410);
        premium.MapGet("/{id:guid}/access", GetContent.Access).WithName("GetPremiumAccess")
            .WithSummary("Whether the caller may see premium content, and why").ProducesProblem(410);
        premium.MapGet("/{id:guid}/media", GetMedia.Handle).WithName("GetPremiumMedia")
            .WithSummary("Stream the media file of premium content").ProducesProblem(410);
        premium.MapPost("/unlock", UnlockContent.ByBody).WithName("UnlockPremiumContent")
            .WithSummary("Buy access to premium content").ProducesProblem(404).ProducesProblem(410).RequireIdempotency();
        premium.MapPost("/{id:guid}/unlock", UnlockContent.Handle).WithName("UnlockPremiumContentById")
            .WithSummary("Buy access to premium content named in the path").ProducesProblem(410).RequireIdempotency();
        return app;
    }

    /// <summary>The upload's own body limit, read by the body-size middleware in place of the global one.</summary>
    private sealed record UploadSizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
