using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore.Diagnostics;
using StackExchange.Redis;
using SuperApp.Platform.Redis;

namespace SuperApp.Features.Realtime;

public static class RealtimeModule
{
    public static IServiceCollection AddRealtime(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        services.AddOptions<RealtimeOptions>().Configure(o => RealtimeOptions.Bind(o, config, env)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RealtimeOptions>, RealtimeOptionsValidator>();
        services.AddSingleton<RealtimeTickets>();
        services.AddSingleton<RealtimeOutbox>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<RealtimeOutbox>());
        services.AddScoped<EventReplay>();
        services.AddSingleton<TypingThrottle>();
        services.AddSingleton<LeaderboardWatch>();
        services.AddSingleton<HubConnections>();
        services.AddHostedService(sp => sp.GetRequiredService<HubConnections>());
        services.AddSingleton<IPresenceStore>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis
            ? ActivatorUtilities.CreateInstance<RedisPresenceStore>(sp, redis)
            : new MemoryPresenceStore());
        services.AddSingleton<PresenceTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<PresenceTracker>());
        services.AddSingleton<EventRetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<EventRetentionJob>());
        services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();

        var signalr = services.AddSignalR(o => o.AddFilter<ApiErrorsAsHubErrors>())
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));
        // JSON is the one protocol (DESIGN §9); wrapped so hub errors start with their code.
        services.RemoveAll<IHubProtocol>();
        services.AddSingleton<IHubProtocol>(sp =>
            new CodeFirstHubProtocol(new JsonHubProtocol(sp.GetRequiredService<IOptions<JsonHubProtocolOptions>>())));
        if (config["REDIS_URL"] is { Length: > 0 } url)
        {
            // The backplane: a message sent on any instance reaches the user's connections on every instance.
            var prefix = (config["REDIS_KEY_PREFIX"] is { Length: > 0 } p ? p : "superapp:") + "signalr:";
            signalr.AddStackExchangeRedis(o =>
            {
                o.Configuration = RedisModule.Parse(url);
                o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix);
            });
        }

        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<RealtimeTickets>((bearer, tickets) =>
        {
            bearer.Events ??= new JwtBearerEvents();
            var inner = bearer.Events.OnMessageReceived;
            bearer.Events.OnMessageReceived = async context =>
            {
                await inner(context);
                ReadHubCredential(context, tickets);
            };
        });
        return services;
    }

    /// <summary>
    /// On the hub path only: the access token may come as <c>access_token</c> in the query string
    /// (browsers cannot set headers on a WebSocket), and a ticket may stand in for it there or in
    /// the Authorization header. Everywhere else the query string is ignored, so tokens do not leak into URLs.
    /// </summary>
    private static void ReadHubCredential(MessageReceivedContext context, RealtimeTickets tickets)
    {
        var request = context.HttpContext.Request;
        if (!request.Path.StartsWithSegments(RealtimeHub.Path))
        {
            return;
        }

        var credential = request.Query["access_token"].ToString();
        if (credential.Length == 0 && request.Headers.Authorization.ToString() is var header &&
            header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            credential = header["Bearer ".Length..].Trim();
        }

        if (credential.Length == 0)
        {
            return;
        }

        if (!RealtimeTickets.LooksLikeTicket(credential))
        {
            context.Token = credential;
            return;
        }

        if (tickets.Validate(credential) is { } principal)
        {
            context.Principal = principal;
            context.Success();
        }
        else
        {
            context.Fail("The realtime ticket is invalid or expired.");
        }
    }

    public static IEndpointRouteBuilder MapRealtime(this IEndpointRouteBuilder app)
    {
        app.MapHub<RealtimeHub>(RealtimeHub.Path);
        var realtime = app.MapGroup("/api/realtime").WithTags("Realtime").RequireAuthorization();
        realtime.MapPost("/ticket", IssueTicket.Handle).WithName("CreateRealtimeTicket")
            .WithSummary("A short-lived ticket to connect to the hub instead of the access token");
        realtime.MapGet("/events", ListEvents.Handle).WithName("ListRealtimeEvents")
            .WithSummary("Durable events after a seq, oldest first (the REST twin of the hub's Resume)");
        app.MapGet("/api/users/{id:guid}/presence", GetPresence.Handle).WithTags("Realtime").RequireAuthorization()
            .WithName("GetPresence").WithSummary("Whether a user is online, and when they were last seen").ProducesProblem(404);
        return app;
    }

    /// <summary>SignalR's user id is the token's <c>sub</c> (inbound claim mapping is off).</summary>
    private sealed class SubjectUserIdProvider : IUserIdProvider
    {
        public string? GetUserId(HubConnectionContext connection) => connection.User?.UserIdOrNull()?.ToString();
    }
}
