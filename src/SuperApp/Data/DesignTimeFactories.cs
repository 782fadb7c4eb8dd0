using Microsoft.EntityFrameworkCore.Design;

namespace SuperApp.Data;

// Used only by `dotnet ef migrations add`: each provider's migration set is generated from its own
// context type, without starting the web host or needing a live server.
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresDbContext>()
        .UseNpgsql("Host=localhost;Database=superapp", o => o.MigrationsHistoryTable("__ef_migrations_history"))
        .UseSnakeCaseNamingConvention().Options);
}

public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDbContext>
{
    public SqliteDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SqliteDbContext>()
        .UseSqlite("Data Source=design.db", o => o.MigrationsHistoryTable("__ef_migrations_history"))
        .UseSnakeCaseNamingConvention().Options);
}
