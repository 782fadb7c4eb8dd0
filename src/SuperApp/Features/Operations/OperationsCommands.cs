using System.CommandLine;
using SuperApp.Platform.Cli;

namespace SuperApp.Features.Operations;

/// <summary>The operations toolkit's verbs (DESIGN §11): the production checklist as commands.</summary>
public static class OperationsCommands
{
    public static readonly string[] Names = ["backup", "db", "preflight", "smoke", "loadtest", "checklist"];

    public static IEnumerable<Command> Create(WebApplication app)
    {
        yield return Backup(app);
        yield return Db(app);
        yield return PreflightCommand(app);
        yield return SmokeCommand(app);
        yield return LoadTestCommand(app);
        yield return ChecklistCommand(app);
    }

    private static Command ChecklistCommand(WebApplication app)
    {
        var json = JsonOption();
        var target = new TargetOptions();
        var outFile = new Option<string>("--out") { Description = "The Markdown file to write.", DefaultValueFactory = _
            => "phase7-checklist.md" };
        var backups = new Option<string>("--backup-dir") { Description = "Where the backup goes.", DefaultValueFactory = _ => "backups" };
        var rate = new Option<double>("--load-rate") { Description = "The short load test's rate.", DefaultValueFactory = _ => 20 };
        var duration = new Option<double>("--load-duration") { Description = "Its seconds.", DefaultValueFactory = _ => 10 };
        var report = new Command("report",
            "Run preflight, db check, backup + verify, smoke and a short loadtest; write the checklist as Markdown.")
            { outFile, backups, rate, duration, json };
        target.AddTo(report, baseUrlRequired: false);
        report.SetAction((parse, ct) => Run(app, async services =>
        {
            var smoke = parse.GetValue(target.BaseUrl) is null ? null : target.Read(parse, services.GetRequiredService<IConfiguration>());
            var (summary, markdown) = await ChecklistReport.RunAsync(services, new ChecklistOptions(smoke, parse.GetValue(backups)!,
                parse.GetValue(rate), TimeSpan.FromSeconds(parse.GetValue(duration))), services.GetRequiredService<TimeProvider>(), ct);
            var path = Path.GetFullPath(parse.GetValue(outFile)!);
            await File.WriteAllTextAsync(path, markdown, ct);
            summary.Add(OpsCheck.Pass("written", path));
            return OpsConsole.Print(summary, parse.GetValue(json));
        }));
        return new Command("checklist", "The production checklist, filled in by measurement.") { report };
    }

    private static Command LoadTestCommand(WebApplication app)
    {
        var json = JsonOption();
        var target = new TargetOptions();
        var rate = new Option<double>("--rate") { Description = "Requests per second (open model).", Required = true };
        var duration = new Option<double>("--duration") { Description = "Seconds of load.", Required = true };
        var scenario = new Option<LoadScenario>("--scenario") { Description = "mix, transfer or read.", DefaultValueFactory = _
            => LoadScenario.Mix };
        var users = new Option<int>("--users") { Description = "Test users made for the run.", DefaultValueFactory = _ => 10 };
        var tier = new Option<string>("--tier") { Description = "free, premium or creator.", DefaultValueFactory = _ => "premium" };
        tier.AcceptOnlyFromAmong("free", "premium", "creator");
        var command = new Command("loadtest",
            "Open-model load against a deployment; exit 1 when the checklist's latency or error targets are missed.")
            { rate, duration, scenario, users, tier, json };
        target.AddTo(command);
        command.SetAction((parse, ct) => Run(app, async services =>
        {
            var options = new LoadTestOptions(target.Read(parse, services.GetRequiredService<IConfiguration>()), parse.GetValue(rate),
                TimeSpan.FromSeconds(parse.GetValue(duration)), parse.GetValue(scenario), parse.GetValue(users), parse.GetValue(tier)!);
            var console = parse.GetValue(json) ? null : OpsConsole.Create();
            return OpsConsole.Print(await LoadTest.RunAsync(options, console, ct), parse.GetValue(json), console);
        }));
        return command;
    }

    /// <summary>The deployment and its admin account, shared by smoke, loadtest and checklist report.</summary>
    private sealed class TargetOptions
    {
        public Option<string> BaseUrl { get; } = new("--base-url") { Description = "The deployment, e.g. https://api.example.com." };
        public Option<string?> AdminEmail { get; } = new("--admin-email") { Description = "An admin's email (or SUPERAPP_ADMIN_EMAIL)." };
        public Option<string?> AdminPassword { get; } = new("--admin-password")
        {
            Description = "Its password (or SUPERAPP_ADMIN_PASSWORD).",
        };

        public void AddTo(Command command, bool baseUrlRequired = true)
        {
            BaseUrl.Required = baseUrlRequired;
            command.Add(BaseUrl);
            command.Add(AdminEmail);
            command.Add(AdminPassword);
        }

        /// <summary>Options first, then the environment; configuration keys are case-insensitive, so the variables are found.</summary>
        public SmokeOptions Read(ParseResult parse, IConfiguration config, string? baseUrl = null) => new(
            parse.GetValue(BaseUrl) ?? baseUrl ?? throw new InvalidOperationException("--base-url is required."),
            parse.GetValue(AdminEmail) ?? config["superapp_admin_email"]
                ?? throw new InvalidOperationException("--admin-email (or the environment's SUPERAPP_ADMIN_EMAIL) is required."),
            parse.GetValue(AdminPassword) ?? config["superapp_admin_password"]
                ?? throw new InvalidOperationException("--admin-password (or SUPERAPP_ADMIN_PASSWORD) is required."));
    }

    private static Command SmokeCommand(WebApplication app)
    {
        var json = JsonOption();
        var target = new TargetOptions();
        var command = new Command("smoke", "Run the checklist's post-deployment smoke tests (§4.3) against a running deployment.")
        {
            json,
        };
        target.AddTo(command);
        command.SetAction((parse, ct) => Run(app, async services => OpsConsole.Print(
            await Smoke.RunAsync(target.Read(parse, services.GetRequiredService<IConfiguration>()), ct), parse.GetValue(json))));
        return command;
    }

    private static Command PreflightCommand(WebApplication app)
    {
        var json = JsonOption();
        var command = new Command("preflight", "Check the environment and configuration against the checklist's §2–§3.") { json };
        command.SetAction((parse, ct) => Run(app, async services =>
            OpsConsole.Print(await Preflight.RunAsync(services, ct), parse.GetValue(json))));
        return command;
    }

    /// <summary>A verb's work in a scope; a check that does not apply here (NotSupportedException) is a usage error, exit 2.</summary>
    private static Task<int> Run(WebApplication app, Func<IServiceProvider, Task<int>> work) => CommandLine.RunScopedAsync(app,
        async services =>
    {
        try
        {
            return await work(services);
        }
        catch (NotSupportedException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    });

    private static Command Db(WebApplication app)
    {
        var json = JsonOption();
        var rows = new Option<int>("--rows")
        {
            Description = "Rows generated per table on the scratch schema the plans are taken on.",
            DefaultValueFactory = _ => 20_000,
        };
        var check = new Command("check", "Check the checklist's indexes exist, are valid and are used; print index sizes.") { rows, json };
        check.SetAction((parse, ct) => Run(app, async services => OpsConsole.Print(
            await DbCheck.RunAsync(services.GetRequiredService<DatabaseTarget>(), parse.GetValue(rows), ct), parse.GetValue(json))));
        return new Command("db", "Check the database.") { check };
    }

    public static Option<bool> JsonOption() => new("--json") { Description = "Print the result as JSON instead of tables." };

    private static Command Backup(WebApplication app)
    {
        var json = JsonOption();
        var outDir = new Option<string>("--out") { Description = "Folder for the backup and its manifest.", DefaultValueFactory = _
            => "backups" };
        var create = new Command("create", "Back up the configured database, with a manifest (size, sha256, rows, ledger totals).")
            { outDir, json };
        create.SetAction((parse, ct) => CommandLine.RunScopedAsync(app, async services =>
        {
            var (report, _) = await BackupCreate.RunAsync(services.GetRequiredService<DatabaseTarget>(), parse.GetValue(outDir)!,
                services.GetRequiredService<TimeProvider>(), ct);
            return OpsConsole.Print(report, parse.GetValue(json));
        }));

        var file = new Argument<string>("file") { Description = "The backup file (its manifest is FILE.manifest.json)." };
        var metricsFile = new Option<string?>("--metrics-file")
        {
            Description = "After a passed verify, write superapp_backup_last_verified_timestamp_seconds here (a textfile-collector file).",
        };
        var verify = new Command("verify", "Restore a backup into a scratch database and check it against its manifest and the ledger.")
            { file, metricsFile, json };
        verify.SetAction((parse, ct) => CommandLine.RunScopedAsync(app, async services =>
        {
            var report = await BackupVerify.RunAsync(services.GetRequiredService<DatabaseTarget>(), parse.GetValue(file)!, ct);
            if (report.Ok && parse.GetValue(metricsFile) is { Length: > 0 } path)
            {
                await BackupMetricsFile.WriteAsync(path, services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
            }

            return OpsConsole.Print(report, parse.GetValue(json));
        }));

        var to = new Option<string>("--to") { Description = "The database to restore into (a DATABASE_URI value).", Required = true };
        var yes = new Option<bool>("--yes") { Description = "Confirm that the target's data is replaced." };
        var force = new Option<bool>("--force") { Description = "Allow the target to be the configured database." };
        var restore = new Command("restore", "Restore a backup into the named database (never the configured one without --force).")
            { file, to, yes, force, json };
        restore.SetAction((parse, ct) => CommandLine.RunScopedAsync(app, async services =>
            OpsConsole.Print(await BackupRestore.RunAsync(services.GetRequiredService<DatabaseTarget>(), parse.GetValue(file)!,
                parse.GetValue(to)!, parse.GetValue(yes), parse.GetValue(force),
                    app.Environment.ContentRootPath, ct), parse.GetValue(json))));

        return new Command("backup", "Back up, verify and restore the database.") { create, verify, restore };
    }
}
