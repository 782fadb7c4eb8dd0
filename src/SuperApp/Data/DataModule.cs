using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SuperApp.Data;

public static class DataModule
{
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        var target = DatabaseTarget.Parse(builder.Configuration["DATABASE_URI"], builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(target);

        if (target.Provider == DatabaseProvider.Postgres)
        {
            builder.Services.AddDbContextPool<AppDbContext, PostgresDbContext>((sp, o) => o
                .UseNpgsql(target.ConnectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
                .UseSnakeCaseNamingConvention()
                .AddInterceptors(sp.GetServices<IInterceptor>()));
        }
        else
        {
            builder.Services.AddDbContextPool<AppDbContext, SqliteDbContext>((sp, o) => o
                .UseSqlite(target.ConnectionString, sqlite => sqlite.MigrationsHistoryTable("__ef_migrations_history"))
                .UseSnakeCaseNamingConvention()
                .AddInterceptors(sp.GetServices<IInterceptor>()));
        }

        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(builder.Configuration.GetSection(DatabaseOptions.Section))
            .Configure(o => o.AutoMigrate ??= builder.Environment.IsDevelopment());
        return builder;
    }
}
