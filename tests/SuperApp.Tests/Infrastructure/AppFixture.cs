using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Data;
using SuperApp.Features.Auth;

namespace SuperApp.Tests.Infrastructure;

/// <summary>
/// The real service in-process over HTTP, on a database of its own (PostgreSQL or SQLite), with
/// its log files in a folder of its own. Only the outside world is replaced: SMS and the clock.
/// </summary>
public abstract class AppFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string JwtSecret = "test-jwt-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
    public const string PreviousJwtSecret = "previous-jwt-secret-0123456789-abcdefghijklmnopqrst";

    public abstract DatabaseProvider Provider { get; }
    public string ConnectionString { get; private set; } = "";
    public string LogDirectory { get; } = Path.Combine(Path.GetTempPath(), "superapp-test-logs", Guid.NewGuid().ToString("N"));
    public CapturingSmsSender Sms { get; } = new();
    public ShiftableTimeProvider Time { get; } = new();

    /// <summary>Extra settings a derived fixture wants (feature switches, limits).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected abstract Task<string> CreateDatabaseAsync();

    /// <summary>Whether disposing drops the database: not one it did not create, or shares with another instance.</summary>
    protected virtual bool OwnsDatabase => true;

    public virtual async ValueTask InitializeAsync()
    {
        ConnectionString = await CreateDatabaseAsync();
        StartHost();
    }

    /// <summary>Starts the host now so start-up failures surface here; in-process unless overridden (a real Kestrel port).</summary>
    protected virtual void StartHost() => _ = Server;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("DATABASE_URI", ConnectionString);
        builder.UseSetting("JWT_SECRET", JwtSecret);
        builder.UseSetting("JWT_SECRET_PREVIOUS", PreviousJwtSecret);
        builder.UseSetting("Database:AutoMigrate", "true");
        builder.UseSetting("Logging:File:Directory", LogDirectory);
        builder.UseSetting("Logging:Console:Enabled", "false");
        builder.UseSetting("Auth:PasswordHashIterations", "100000");
        // Tests register users in parallel bursts; the hashing bulkhead's own tests narrow it.
        builder.UseSetting("Auth:MaxConcurrentHashes", "64");
        builder.UseSetting("Auth:HashQueueLimit", "1000");
        builder.UseSetting("Payments:SandboxEnabled", "true");
        builder.UseSetting("Payments:SandboxSecret", "test-sandbox-secret-0123456789");
        builder.UseSetting("Payments:SandboxPayEndpoint", "true");
        // Most tests make more requests a minute than a free user may; the limiter's own tests turn it on.
        builder.UseSetting("RATE_LIMIT_ENABLED", "false");
        // The test machine's own free space must not turn health answers degraded; the disk check's tests set it.
        builder.UseSetting("Observability:DiskMinFreeRatio", "0");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ISmsSender>(Sms);
            services.AddSingleton<TimeProvider>(Time);
        });
    }

    /// <summary>A client that sends a fresh Idempotency-Key with every POST, like a well-behaved app.</summary>
    public HttpClient CreateUserClient() => CreateDefaultClient(new AutoIdempotencyKeys());

    /// <summary>Runs code against the service's own database (for arranging state and checking invariants).</summary>
    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task WithDbAsync(Func<AppDbContext, Task> work)
    {
        await using var scope = Services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Provider == DatabaseProvider.Postgres && OwnsDatabase && ConnectionString.Length > 0)
        {
            await TestServers.DropPostgresDatabaseAsync(ConnectionString);
        }

        GC.SuppressFinalize(this);
    }
}

public class PostgresApp : AppFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override Task<string> CreateDatabaseAsync() => TestServers.CreatePostgresDatabaseAsync();
}

/// <summary>Two instances of the service sharing one PostgreSQL database (and Redis), as behind a load balancer.</summary>
public class TwoInstances : IAsyncLifetime
{
    public Instance A { get; private set; } = null!;
    public Instance B { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async ValueTask InitializeAsync()
    {
        var db = await TestServers.CreatePostgresDatabaseAsync();
        A = new Instance(db, Settings, ownsDatabase: true);
        await A.InitializeAsync();
        B = new Instance(db, Settings, ownsDatabase: false);
        await B.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync(); // drops the shared database
        GC.SuppressFinalize(this);
    }

    public sealed class Instance(string connectionString, IDictionary<string, string?> settings, bool ownsDatabase) : PostgresApp
    {
        protected override IDictionary<string, string?> Settings => settings;

        protected override bool OwnsDatabase => ownsDatabase;

        protected override Task<string> CreateDatabaseAsync() => Task.FromResult(connectionString);
    }
}

public class SqliteApp : AppFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override Task<string> CreateDatabaseAsync() => Task.FromResult(TestServers.NewSqliteDatabase());
}
