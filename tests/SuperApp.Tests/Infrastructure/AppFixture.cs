using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Data;
using SuperApp.Features.Auth;

namespace SuperApp.Tests.Infrastructure;

/// <summary>
/// The real service in-process over HTTP, on a database of its own (PostgreSQL or SQLite), with
/// its log files in a folder of its own. Only the outside world is replaced: SMS and the clock.
/// <para>
/// This is the one way the suite builds a service: a class fixture is <see cref="App{TDatabase, TSettings}"/>, and a
/// test that needs a one-off app (one that must fail to start, say) sets <see cref="Settings"/> on a new one.
/// </para>
/// </summary>
public class AppFixture(DatabaseProvider provider, Guid? id = null) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string JwtSecret = "test-jwt-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
    public const string PreviousJwtSecret = "previous-jwt-secret-0123456789-abcdefghijklmnopqrst";

    private readonly List<Action<IServiceCollection>> _services = [];
    private string? _existingDatabase;

    public DatabaseProvider Provider { get; } = provider;

    /// <summary>Names what the app keeps outside its process (Redis keys, files); two instances of one service share it.</summary>
    public Guid Id { get; } = id ?? Guid.NewGuid();

    public string ConnectionString { get; private set; } = "";
    public string LogDirectory { get; } = Path.Combine(Path.GetTempPath(), "superapp-test-logs", Guid.NewGuid().ToString("N"));
    public CapturingSmsSender Sms { get; } = new();

    /// <summary>The service's clock; a settings profile may replace it (with <see cref="TestClock.Manual"/>) before the start.</summary>
    public TestClock Clock { get; set; } = new();

    /// <summary>Settings on top of the defaults below (feature switches, limits), as a settings profile or a test sets them.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Appended to the connection string of the database the app creates (driver options such as timeouts).</summary>
    public string ConnectionOptions { get; set; } = "";

    /// <summary>Runs on an existing database instead of a new one (another instance's, or one that is not there); it is not
    /// dropped afterwards.</summary>
    public void UseExistingDatabase(string connectionString) => _existingDatabase = connectionString;

    /// <summary>Replaces or adds services after the service's own registrations (a gateway that misbehaves, a test route).</summary>
    public void ConfigureServices(Action<IServiceCollection> configure) => _services.Add(configure);

    /// <summary>A folder of this app's own under the temporary folder, deleted with the app.</summary>
    public string TempDirectory(string name) => Path.Combine(TempRoot, name);

    private string TempRoot => Path.Combine(Path.GetTempPath(), "superapp-test-data", Id.ToString("N"));

    public virtual async ValueTask InitializeAsync()
    {
        ConnectionString = _existingDatabase ?? Provider switch
        {
            DatabaseProvider.Postgres => await TestServers.CreatePostgresDatabaseAsync() + ConnectionOptions,
            _ => TestServers.NewSqliteDatabase() + ConnectionOptions,
        };
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
            services.AddSingleton<TimeProvider>(Clock);
            // The bearer handler would check token lifetimes against the system clock; on the service's own clock a test
            // that moves time sees tokens expire, and tokens issued after the move are valid, as on a real server.
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
                o.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, parameters) =>
                {
                    var now = Clock.GetUtcNow().UtcDateTime;
                    return (notBefore is null || notBefore <= now + parameters.ClockSkew) && expires >= now - parameters.ClockSkew;
                });
            foreach (var configure in _services)
            {
                configure(services);
            }
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
        if (Provider == DatabaseProvider.Postgres && _existingDatabase is null && ConnectionString.Length > 0)
        {
            await TestServers.DropPostgresDatabaseAsync(ConnectionString);
        }

        if (Directory.Exists(TempRoot))
        {
            Directory.Delete(TempRoot, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>Which database a test app runs on, as a type, so that it can be a class fixture's type argument.</summary>
public interface ITestDatabase
{
    static abstract DatabaseProvider Provider { get; }
}

public sealed class Postgres : ITestDatabase
{
    public static DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class Sqlite : ITestDatabase
{
    public static DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

/// <summary>
/// A settings profile: what a test app runs with on top of <see cref="AppFixture"/>'s defaults (settings, service
/// overrides, a manual clock), as a type, so that it can be a class fixture's type argument.
/// </summary>
public interface ITestSettings
{
    static abstract void Configure(AppFixture app);
}

/// <summary>The service as <see cref="AppFixture"/> configures it, nothing more.</summary>
public sealed class Defaults : ITestSettings
{
    public static void Configure(AppFixture app)
    {
    }
}

/// <summary>The service with <typeparamref name="T"/> in its DbContext, as a singleton the test can reach to arm it.</summary>
public sealed class InterceptorSettings<T> : ITestSettings where T : class, IInterceptor
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000",
        Justification = "It implements ITestSettings' static contract, which the fixture calls through its type argument.")]
    public static void Configure(AppFixture app) => app.ConfigureServices(s =>
    {
        s.AddSingleton<T>();
        s.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<T>());
    });
}

/// <summary>The suite's Redis, under a key prefix of the app's own (one for both instances of a pair: one channel).</summary>
public sealed class RedisSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["REDIS_URL"] = TestServers.Redis;
        app.Settings["REDIS_KEY_PREFIX"] = $"t{app.Id:N}:";
    }
}

/// <summary>A class fixture: the service on <typeparamref name="TDatabase"/> with the <typeparamref name="TSettings"/> profile.
/// </summary>
public sealed class App<TDatabase, TSettings> : AppFixture
    where TDatabase : ITestDatabase
    where TSettings : ITestSettings
{
    public App() : base(TDatabase.Provider) => TSettings.Configure(this);
}

/// <summary>Two instances of the service sharing one PostgreSQL database (and Redis), as behind a load balancer; each has
/// the <typeparamref name="TSettings"/> profile and a clock of its own.</summary>
public sealed class TwoInstances<TSettings> : IAsyncLifetime where TSettings : ITestSettings
{
    public AppFixture A { get; private set; } = null!;
    public AppFixture B { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var id = Guid.NewGuid();
        A = new AppFixture(DatabaseProvider.Postgres, id);
        TSettings.Configure(A);
        await A.InitializeAsync();
        B = new AppFixture(DatabaseProvider.Postgres, id);
        TSettings.Configure(B);
        B.UseExistingDatabase(A.ConnectionString);
        await B.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // An instance is null here when start-up failed before it was made; xUnit still disposes the fixture.
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync(); // drops the shared database
        }
    }
}
