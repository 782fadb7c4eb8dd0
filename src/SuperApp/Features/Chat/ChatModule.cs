using SuperApp.Platform.RateLimiting;

namespace SuperApp.Features.Chat;

public static class ChatModule
{
    public static IServiceCollection AddChat(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ChatOptions>().Bind(config.GetSection(ChatOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ChatService>();
        return services;
    }

    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder app)
    {
        var chat = app.MapGroup("/api/chat").WithTags("Chat").RequireAuthorization().RequireTierRateLimit();
        chat.MapPost("/conversations", CreateConversation.Handle).WithName("CreateConversation")
            .WithSummary("Start a direct conversation (unique per pair) or a group").ProducesProblem(403).ProducesProblem(404);
        chat.MapGet("/conversations", ListConversations.Handle).WithName("ListConversations")
            .WithSummary("The caller's conversations, most recent activity first");
        chat.MapGet("/conversations/{id:guid}/messages", ListMessages.Handle).WithName("ListMessages")
            .WithSummary("A conversation's messages, newest first").ProducesProblem(404);
        chat.MapPost("/conversations/{id:guid}/messages", PostMessage.Handle).WithName("PostMessage")
            .WithSummary("Send a message (idempotent by clientMessageId)").ProducesProblem(403).ProducesProblem(404).ProducesProblem(429);
        chat.MapPost("/conversations/{id:guid}/read", MarkConversationRead.Handle).WithName("MarkConversationRead")
            .WithSummary("Mark a conversation read up to a message").ProducesProblem(404);

        var users = app.MapGroup("/api/users").WithTags("Chat").RequireAuthorization();
        users.MapPost("/{id:guid}/block", BlockUser.Block).WithName("BlockUser")
            .WithSummary("Stop a user from messaging or gifting the caller").ProducesProblem(404);
        users.MapDelete("/{id:guid}/block", BlockUser.Unblock).WithName("UnblockUser").WithSummary("Lift a block");
        return app;
    }
}
