using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Scalar.AspNetCore;
using SuperApp.Platform.Idempotency;
using SuperApp.Platform.Logging;
using SuperApp.Platform.Observability;

namespace SuperApp.Platform.Http;

public static class HttpModule
{
    public static WebApplicationBuilder AddHttpPlatform(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var options = config.GetSection(HttpOptions.Section).Get<HttpOptions>() ?? new HttpOptions();
        builder.Services.Configure<HttpOptions>(config.GetSection(HttpOptions.Section));

        if (config["PORT"] is { Length: > 0 } port)
        {
            builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var proxy in options.KnownProxies)
            {
                if (proxy.Contains('/', StringComparison.Ordinal))
                {
                    o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                }
                else
                {
                    o.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            }
        });

        builder.Services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (options.CorsOrigins.Count > 0)
            {
                p.WithOrigins([.. options.CorsOrigins]).AllowAnyHeader().AllowAnyMethod()
                    .WithExposedHeaders("X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After",
                        "Idempotent-Replayed");
            }
        }));
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddOpenApi(o =>
        {
            o.CreateSchemaReferenceId = SchemaIds.Create;
            // Order matters: the header transformers decorate the error answers added before them.
            o.AddDocumentTransformer<BearerSchemeTransformer>()
                .AddDocumentTransformer<ProblemDetailsSchemaTransformer>()
                .AddDocumentTransformer<OptionalFieldsTransformer>()
                .AddOperationTransformer<BearerSchemeTransformer>()
                .AddOperationTransformer<EndpointSummaryTransformer>()
                .AddOperationTransformer<ProblemResponsesTransformer>()
                .AddOperationTransformer<IdempotencyKeyTransformer>()
                .AddOperationTransformer<RateLimitHeadersTransformer>();
        });

        if (config["SENTRY_DSN"] is { Length: > 0 } dsn)
        {
            if (Dsn.TryParse(dsn))
            {
                builder.WebHost.UseSentry(o => SentrySetup.Configure(o, dsn, builder.Environment.EnvironmentName));
            }
            else
            {
                // Refused when the server starts, with a message; verbs such as preflight still run and report it.
                builder.Services.AddOptions<SentryDsnCheck>()
                    .Validate(_ => false, "SENTRY_DSN is not a valid DSN (expected https://KEY@HOST/PROJECT).").ValidateOnStart();
            }
        }

        return builder;
    }

    /// <summary>The request pipeline, in the order that matters.</summary>
    public static WebApplication UseHttpPlatform(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMetricsEndpoint();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseRouting();
        app.UseMiddleware<BodySizeLimitMiddleware>();
        app.UseIdempotencyBuffering();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("OpenApi:Enabled"))
        {
            app.MapOpenApi().AllowAnonymous();
            app.MapScalarApiReference("/scalar").AllowAnonymous();
        }

        return app;
    }
}

/// <summary>Stands for a malformed SENTRY_DSN in start-up validation.</summary>
public sealed class SentryDsnCheck;
