using SuperApp.Features.Admin;
using SuperApp.Features.Auth;
using SuperApp.Features.Chat;
using SuperApp.Features.Creators;
using SuperApp.Features.Gifts;
using SuperApp.Features.Health;
using SuperApp.Features.Ledger;
using SuperApp.Features.Subscriptions;
using SuperApp.Features.Premium;
using SuperApp.Features.Realtime;
using SuperApp.Features.Users;
using SuperApp.Features.Wallet;
using SuperApp.Platform.Cli;
using SuperApp.Platform.Idempotency;
using SuperApp.Platform.Jobs;
using SuperApp.Platform.Logging;
using SuperApp.Platform.Observability;
using SuperApp.Platform.RateLimiting;
using SuperApp.Platform.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.AddLogging();
builder.AddData();
builder.AddJwtAuth();
builder.AddHttpPlatform();
builder.AddObservability();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<JobContext>();
builder.Services.AddErrors();
builder.Services.AddSingleton<AppMetrics>();
builder.Services.AddIdempotency(builder.Configuration);
builder.Services.AddTieredRateLimiting(builder.Configuration);
builder.Services.AddValidation();
builder.Services.AddRedis(builder.Configuration);
builder.Services.AddHealthFeature(builder.Configuration);
builder.Services.AddUsers();
builder.Services.AddAuthFeature(builder.Configuration);
builder.Services.AddLedger(builder.Configuration);
builder.Services.AddWallet(builder.Configuration, builder.Environment);
builder.Services.AddSubscriptions(builder.Configuration);
builder.Services.AddPremium(builder.Configuration);
builder.Services.AddGifts(builder.Configuration);
builder.Services.AddCreators(builder.Configuration);
builder.Services.AddRealtime(builder.Configuration, builder.Environment);
builder.Services.AddChat(builder.Configuration);

var app = builder.Build();
if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(app, args);
}

await app.MigrateIfConfiguredAsync();
app.UseHttpPlatform();
app.UseActiveAccounts();
app.MapHealth();
app.MapAuth();
app.MapUsers();
app.MapWallet();
app.MapSubscriptions();
app.MapPremium();
app.MapGifts();
app.MapCreators();
app.MapAdmin();
app.MapRealtime();
app.MapChat();
app.MapApiDocs();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
