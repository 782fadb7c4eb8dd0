using System.Text.Json;
using Spectre.Console;

namespace SuperApp.Features.Operations;

/// <summary>
/// Prints a verb's report: tables for a person, or the report as JSON with <c>--json</c>. Output that is
/// redirected (a log, a pipe, a test) gets a wide plain console so values are not wrapped mid-word.
/// </summary>
public static class OpsConsole
{
    public static IAnsiConsole Create(TextWriter? writer = null)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer ?? Console.Out),
            Ansi = writer is null && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = writer is null && !Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = writer is null && !Console.IsOutputRedirected ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (writer is not null || Console.IsOutputRedirected)
        {
            console.Profile.Width = 200;
        }

        return console;
    }

    public static int Print(OpsReport report, bool json, IAnsiConsole? console = null)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                verb = report.Verb,
                ok = report.Ok,
                checks = report.Checks,
                figures = report.Figures,
                tables = report.Tables,
            }, OpsReport.Json));
            return report.ExitCode;
        }

        console ??= Create();
        var table = new Table().Title(report.Verb).AddColumns("check", "status", "value", "detail");
        foreach (var c in report.Checks)
        {
            table.AddRow(new Text(c.Name), new Text(Label(c.Status), StyleOf(c.Status)), new Text(c.Value), new Text(c.Detail ?? ""));
        }

        console.Write(table);
        foreach (var (title, rows) in report.Tables)
        {
            console.Write(ToTable(title, rows));
        }

        console.WriteLine(report.Ok ? $"{report.Verb}: OK" : $"{report.Verb}: FAILED");
        return report.ExitCode;
    }

    public static Table ToTable(string title, List<string[]> rows)
    {
        var table = new Table().Title(title).AddColumns(rows[0]);
        foreach (var row in rows.Skip(1))
        {
            table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
        }

        return table;
    }

    public static string Label(CheckStatus status) => status.ToString().ToUpperInvariant();

    private static Style StyleOf(CheckStatus status) => status switch
    {
        CheckStatus.Pass => new Style(Color.Green),
        CheckStatus.Warn => new Style(Color.Yellow),
        _ => new Style(Color.Red),
    };
}
