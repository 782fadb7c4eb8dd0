using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using SuperApp.Platform.Auth;
using SuperApp.Platform.Idempotency;
using SuperApp.Platform.RateLimiting;

namespace SuperApp.Features.Premium;

public static class PremiumModule
{
    /// <summary>Room for the multipart framing and small form fields around the file itself.</summary>
    public const long MultipartOverheadBytes = 64 * 1024;

    public static IServiceCollection AddPremium(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<PremiumOptions>().Bind(config.GetSection(PremiumOptions.Section)).PostConfigure(o => o.ApplyDefaults()).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PremiumOptions>, PremiumOptionsValidator>();
        services.AddSingleton<MediaStorage>();
        return services;
    }

    public static IEndpointRouteBuilder MapPremium(this IEndpointRouteBuilder app)
    {
        var maxUpload = app.ServiceProvider.GetRequiredService<IOptions<PremiumOptions>>().Value.Media.MaxUploadBytes;
        var premium = app.MapGroup("/api/premium").WithTags("Premium").RequireAuthorization().RequireTierRateLimit();
        premium.MapPost("", CreateContent.Handle).WithName("CreatePremiumContent").RequireAuthorization(AuthSetup.CreatorPolicy);
        premium.MapPut("/{id:guid}", UpdateContent.Handle).WithName("UpdatePremiumContent").RequireAuthorization(AuthSetup.CreatorPolicy);
        premium.MapPost("/{id:guid}/publish", PublishContent.Publish).WithName("PublishPremiumContent").RequireAuthorization(AuthSetup.CreatorPolicy);
        premium.MapPost("/{id:guid}/unpublish", PublishContent.Unpublish).WithName("UnpublishPremiumContent").RequireAuthorization(AuthSetup.CreatorPolicy);
        premium.MapDelete("/{id:guid}", DeleteContent.Handle).WithName("DeletePremiumContent").RequireAuthorization(AuthSetup.CreatorPolicy);
        premium.MapPost("/{id:guid}/media", UploadMedia.Handle).WithName("UploadPremiumMedia").RequireAuthorization(AuthSetup.CreatorPolicy)
            .WithMetadata(new UploadSizeLimit(maxUpload + MultipartOverheadBytes))
            .Accepts<IFormFile>("multipart/form-data")
            .DisableAntiforgery();

        premium.MapGet("/browse", BrowseContent.Handle).WithName("BrowsePremiumContent");
        premium.MapGet("/mine", ListMine.Handle).WithName("ListMyPremiumContent");
        premium.MapGet("/unlocked", ListUnlocked.Handle).WithName("ListUnlockedPremiumContent");
        premium.MapGet("/{id:guid}", GetContent.Handle).WithName("GetPremiumContent");
        premium.MapGet("/{id:guid}/access", GetContent.Access).WithName("GetPremiumAccess");
        premium.MapGet("/{id:guid}/media", GetMedia.Handle).WithName("GetPremiumMedia");
        premium.MapPost("/unlock", UnlockContent.ByBody).WithName("UnlockPremiumContent").RequireIdempotency();
        premium.MapPost("/{id:guid}/unlock", UnlockContent.Handle).WithName("UnlockPremiumContentById").RequireIdempotency();
        return app;
    }

    /// <summary>The upload's own body limit, read by the body-size middleware in place of the global one.</summary>
    private sealed record UploadSizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
