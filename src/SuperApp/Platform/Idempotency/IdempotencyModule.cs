namespace SuperApp.Platform.Idempotency;

/// <summary>Marks an endpoint as needing an Idempotency-Key (read by the body-buffering middleware).</summary>
public sealed class IdempotentMetadata;

public static class IdempotencyModule
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<IdempotencyOptions>()
            .Bind(config.GetSection(IdempotencyOptions.Section))
            .Configure(o => o.Enabled = config.GetValue("IDEMPOTENCY_ENABLED", o.Enabled))
            .Validate(o => o.Ttl > TimeSpan.Zero && o.PurgeInterval > TimeSpan.Zero,
                "Idempotency:Ttl and PurgeInterval must be positive.")
            .ValidateOnStart();
        services.AddScoped<IdempotencyStore>();
        services.AddHostedService<IdempotencyPurgeJob>();
        return services;
    }

    /// <summary>The one line a money endpoint adds to become idempotent.</summary>
    public static RouteHandlerBuilder RequireIdempotency(this RouteHandlerBuilder endpoint) => endpoint
        .WithMetadata(new IdempotentMetadata())
        .AddEndpointFilter<IdempotencyFilter>();

    /// <summary>Keeps idempotent bodies readable after model binding, to fingerprint the request.</summary>
    public static IApplicationBuilder UseIdempotencyBuffering(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<IdempotentMetadata>() is not null &&
                http.RequestServices.GetRequiredService<IOptions<IdempotencyOptions>>().Value.Enabled)
            {
                http.Request.EnableBuffering();
            }

            return next(http);
        });
}
