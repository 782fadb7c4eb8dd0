namespace SuperApp.Features.Users;

public static class UsersModule
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization();
        users.MapGet("/me", GetMe.Handle).WithName("GetMe");
        users.MapPatch("/me", UpdateMe.Handle).WithName("UpdateMe");
        users.MapDelete("/me", DeleteMe.Handle).WithName("DeleteMe");
        users.MapGet("/me/export", ExportMe.Handle).WithName("ExportMe");
        users.MapPost("/me/creator", BecomeCreator.Handle).WithName("BecomeCreator");
        users.MapPost("/me/phone", StartPhoneChange.Handle).WithName("StartPhoneChange")
            .WithSummary("Send a code to a new phone number; it is set once the code is verified");
        users.MapPost("/me/phone/verify", VerifyPhoneChange.Handle).WithName("VerifyPhoneChange")
            .WithSummary("Set the new phone number by the code sent to it");
        users.MapGet("/{id:guid}", GetUser.Handle).WithName("GetUser");
        return app;
    }
}
