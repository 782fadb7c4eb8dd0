using System.CommandLine;
using SuperApp.Features.Admin;
using SuperApp.Features.Ledger;
using SuperApp.Features.Operations;
using SuperApp.Platform.Observability;

namespace SuperApp.Platform.Cli;

/// <summary>
/// Admin verbs on the service's own executable, run against the configured database and then exit
/// (System.CommandLine: <c>--help</c> on each, typed options, validation). Exit codes: 0 when what
/// the verb checks holds, 1 when it does not or the work failed, 2 for a usage error. This table is
/// where the platform meets the features' verbs.
/// </summary>
public static class CommandLine
{
    private static readonly string[] Verbs = ["migrate", "admin", "ledger", "sentry", .. OperationsCommands.Names, "--help", "-h", "-?"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var root = new RootCommand("SuperApp: run without arguments to serve; these verbs operate on the configured database.")
        {
            Migrate(app),
            new Command("admin", "Administer accounts.") { CreateAdmin(app) },
            new Command("ledger", "Check the money.") { Verb(app, "verify", "Check every ledger invariant; exit 1 if one is broken.",
                (services, _, _) => VerifyLedger.RunCommandAsync(services.GetRequiredService<AppDbContext>())) },
            new Command("sentry", "Check error tracking.") { Verb(app, "test", "Send one test event to SENTRY_DSN and print its id.",
                (services, _, _) => SentryTestCommand.RunAsync(app.Configuration, app.Environment)) },
        };
        foreach (var command in OperationsCommands.Create(app))
        {
            root.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            return 2;
        }

        return await parsed.InvokeAsync();
    }

    private static Command Migrate(WebApplication app)
    {
        var rollback = new Option<bool>("--rollback") { Description = "Undo the newest applied migration instead." };
        var command = new Command("migrate", "Apply pending migrations (Production never migrates on its own).") { rollback };
        command.SetAction((parse, ct) => RunScopedAsync(app, async services =>
        {
            var db = services.GetRequiredService<AppDbContext>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("superapp");
            if (parse.GetValue(rollback))
            {
                Console.WriteLine($"Rolled back; database is now at {await Migrator.RollbackAsync(db, logger)}.");
                return 0;
            }

            await Migrator.MigrateAsync(db, logger);
            Console.WriteLine("Database is up to date.");
            return 0;
        }));
        return command;
    }

    private static Command CreateAdmin(WebApplication app)
    {
        var email = new Option<string>("--email") { Description = "The admin's email address.", Required = true };
        var password = new Option<string>("--password") { Description = "At least 8 characters.", Required = true };
        var username = new Option<string?>("--username") { Description = "Defaults to the part of the email before @." };
        var command = new Command("create", "Create an admin, or make an existing account one, with this password.") { email, password,
            username };
        command.SetAction((parse, ct) => RunScopedAsync(app, services =>
            CreateAdminCommand.RunAsync(services, parse.GetValue(email)!, parse.GetValue(password)!, parse.GetValue(username))));
        return command;
    }

    /// <summary>A verb without options: its work runs in a scope of its own.</summary>
    public static Command Verb(WebApplication app, string name, string description, Func<IServiceProvider, ParseResult, CancellationToken,
        Task<int>> run)
    {
        var command = new Command(name, description);
        command.SetAction((parse, ct) => RunScopedAsync(app, services => run(services, parse, ct)));
        return command;
    }

    /// <summary>Runs a verb's work in a DI scope; a database that cannot be reached is a plain message and exit code 1.</summary>
    public static async Task<int> RunScopedAsync(WebApplication app, Func<IServiceProvider, Task<int>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            return await work(scope.ServiceProvider);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
