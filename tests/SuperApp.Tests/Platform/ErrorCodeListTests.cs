using System.Text.RegularExpressions;

namespace SuperApp.Tests.Platform;

/// <summary>The README's list of error codes is the one place they are written down: every code the service can answer is in it.</summary>
public sealed partial class ErrorCodeListTests
{
    // SCREAMING_SNAKE literals in the source that are not error codes: settings, environment variables, file signatures.
    private static readonly HashSet<string> NotCodes =
    [
        "DATABASE_URI", "IDEMPOTENCY_ENABLED", "JWT_SECRET", "JWT_SECRET_PREVIOUS", "LOG_LEVEL", "PORT", "RATE_LIMIT_ENABLED",
        "REDIS_KEY_PREFIX", "REDIS_URL", "SENTRY_DSN", "RIFF", "WEBP", "TEXT", "INTEGER", "BLOB", "ERROR", "GONE",
        "PAID_AFTER_FAILED", "PAID_AFTER_CANCELLED", "SOCKET_IO_SECRET", "SOCKET_IO_SECRET_PREVIOUS", "OTEL_EXPORTER_OTLP_ENDPOINT",
        // Environment variables the operations verbs read or pass to PostgreSQL's client programs.
        "PATH", "PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSSLMODE", "PGPASSWORD", "ASPNETCORE_URLS",
        // SQL sent as text.
        "COMMIT",
    ];

    [Fact]
    public void Every_code_the_service_answers_with_is_listed_in_the_readme()
    {
        var root = RepositoryRoot();
        var listed = ListedCode().Matches(File.ReadAllText(Path.Combine(root, "README.md"))).Select(m => m.Groups[1].Value).ToHashSet();
        var used = Directory.EnumerateFiles(Path.Combine(root, "src", "SuperApp"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => CodeLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Where(c => !NotCodes.Contains(c))
            .ToHashSet();

        Assert.NotEmpty(used);
        Assert.Empty(used.Except(listed).Order());
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SuperApp.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("The repository root (SuperApp.slnx) was not found.");
    }

    [GeneratedRegex("^\\| `([A-Z][A-Z0-9_]+)` \\|", RegexOptions.Multiline)]
    private static partial Regex ListedCode();

    [GeneratedRegex("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})\"")]
    private static partial Regex CodeLiteral();
}
