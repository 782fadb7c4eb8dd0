using SuperApp.Data;
using SuperApp.Features.Admin;
using SuperApp.Features.Ledger;

namespace SuperApp.Platform.Cli;

/// <summary>
/// Admin verbs on the service's own executable, run against the configured database and then exit:
/// <c>migrate [--rollback]</c>, <c>admin create --email … --password … [--username …]</c>,
/// <c>ledger verify</c>.
/// </summary>
public static class CommandLine
{
    private static readonly string[] Verbs = ["migrate", "admin", "ledger"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("superapp");
        try
        {
            switch (args)
            {
                case ["migrate"]:
                    await Migrator.MigrateAsync(db, logger);
                    Console.WriteLine("Database is up to date.");
                    return 0;
                case ["migrate", "--rollback"]:
                    Console.WriteLine($"Rolled back; database is now at {await Migrator.RollbackAsync(db, logger)}.");
                    return 0;
                case ["ledger", "verify"]:
                    return await VerifyLedger.RunCommandAsync(db);
                case ["admin", "create", .. var rest]:
                    return await CreateAdminCommand.RunAsync(services, Options(rest));
                default:
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    public const string Usage = """
        usage: superapp migrate [--rollback]
               superapp admin create --email EMAIL --password PASSWORD [--username NAME]
               superapp ledger verify
        """;

    private static Dictionary<string, string> Options(string[] rest)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < rest.Length; i += 2)
        {
            options[rest[i].TrimStart('-')] = rest[i + 1];
        }

        return options;
    }
}
