using StackExchange.Redis;

namespace SuperApp.Platform.Redis;

/// <summary>Connects to Redis when <c>REDIS_URL</c> is set; without it everything stays in-process.</summary>
public static class RedisModule
{
    public static IServiceCollection AddRedis(this IServiceCollection services, IConfiguration config)
    {
        if (config["REDIS_URL"] is not { Length: > 0 } url)
        {
            return services;
        }

        var options = Parse(url);
        // Start even if Redis is down: features that use it fall back and reconnect by themselves.
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        return services;
    }

    /// <summary>Accepts <c>redis://[user:password@]host:port[/db]</c>, <c>rediss://…</c> or a StackExchange.Redis string.</summary>
    public static ConfigurationOptions Parse(string url)
    {
        ConfigurationOptions options;
        if (url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(url);
            options = new ConfigurationOptions { Ssl = uri.Scheme == "rediss" };
            options.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : 6379);
            var auth = uri.UserInfo.Split(':', 2);
            if (auth.Length == 2)
            {
                options.User = auth[0].Length > 0 ? Uri.UnescapeDataString(auth[0]) : null;
                options.Password = Uri.UnescapeDataString(auth[1]);
            }
            else if (auth[0].Length > 0)
            {
                options.Password = Uri.UnescapeDataString(auth[0]);
            }

            if (int.TryParse(uri.AbsolutePath.Trim('/'), out var db))
            {
                options.DefaultDatabase = db;
            }
        }
        else
        {
            options = ConfigurationOptions.Parse(url);
        }

        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 1000;
        options.AsyncTimeout = 1000;
        return options;
    }
}
