namespace SuperApp.Data;

public static class MigrateOnStart
{
    /// <summary>Development migrates itself; Production waits for <c>superapp migrate</c> and reports not-ready meanwhile.</summary>
    public static async Task MigrateIfConfiguredAsync(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.AutoMigrate != true)
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        await Migrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), app.Logger);
    }
}
