namespace SuperApp.Tests.Observability;

/// <summary>The alert rules are valid, and each fires on its case and stays silent on the other (alerts.test.yml).</summary>
public sealed class AlertRulesTests
{
    [Fact]
    public async Task Promtool_checks_the_rules()
    {
        var (exit, output) = await Programs.RunAsync(Programs.Which("promtool"), ["check", "rules", "alerts.yml"],
            Path.Combine(Programs.Ops, "prometheus"));

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: 14 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_rule_tests_pass()
    {
        var (exit, output) = await Programs.RunAsync(Programs.Which("promtool"), ["test", "rules", "alerts.test.yml"],
            Path.Combine(Programs.Ops, "prometheus"));

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_rule_has_a_test_a_severity_and_a_runbook_section()
    {
        var rules = File.ReadAllLines(Path.Combine(Programs.Ops, "prometheus", "alerts.yml"))
            .Where(l => l.TrimStart().StartsWith("- alert: ", StringComparison.Ordinal))
            .Select(l => l.Trim()["- alert: ".Length..]).ToList();
        var tests = File.ReadAllText(Path.Combine(Programs.Ops, "prometheus", "alerts.test.yml"));
        var runbook = File.ReadAllLines(Path.Combine(Programs.Ops, "runbook.md"));

        Assert.Equal(14, rules.Count);
        Assert.All(rules, rule =>
        {
            Assert.Contains($"alertname: {rule}\n", tests, StringComparison.Ordinal);
            Assert.Contains($"## {rule}", runbook);
        });
    }
}
