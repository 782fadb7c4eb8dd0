using Npgsql;
using SuperApp.Data;

namespace SuperApp.Tests.Platform;

public sealed class DatabaseTargetTests
{
    private static readonly string ContentRoot = Path.Combine(Path.GetTempPath(), "superapp-target-tests", Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("postgres://")]
    [InlineData("postgresql://")]
    [InlineData("POSTGRES://")]
    public void A_postgres_url_gives_user_password_port_database_and_ssl_mode(string scheme)
    {
        var target = DatabaseTarget.Parse($"{scheme}app%40corp:p%40ss%3Aw0rd@db.example.com:6543/super_app?sslmode=require", ContentRoot);

        Assert.Equal(DatabaseProvider.Postgres, target.Provider);
        var cs = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(("db.example.com", 6543, "super_app"), (cs.Host, cs.Port, cs.Database));
        Assert.Equal(("app@corp", "p@ss:w0rd"), (cs.Username, cs.Password));
        Assert.Equal(SslMode.Require, cs.SslMode);
    }

    [Fact]
    public void A_postgres_url_without_port_or_password_uses_the_defaults()
    {
        var cs = new NpgsqlConnectionStringBuilder(DatabaseTarget.Parse("postgres://alice@localhost/app", ContentRoot).ConnectionString);

        Assert.Equal(("localhost", 5432, "app", "alice"), (cs.Host, cs.Port, cs.Database, cs.Username));
        Assert.Null(cs.Password);
    }

    [Fact]
    public void An_npgsql_host_string_is_postgres_with_performance_defaults_added()
    {
        var target = DatabaseTarget.Parse("Host=10.0.0.5;Port=5433;Database=app;Username=svc;Password=x", ContentRoot);
        var cs = new NpgsqlConnectionStringBuilder(target.ConnectionString);

        Assert.Equal(DatabaseProvider.Postgres, target.Provider);
        Assert.Equal(("10.0.0.5", 5433, "app", "svc", "x"), (cs.Host, cs.Port, cs.Database, cs.Username, cs.Password));
        Assert.Equal((64, true), (cs.MaxAutoPrepare, cs.NoResetOnClose));
    }

    [Fact]
    public void The_operators_own_pool_settings_win()
    {
        var cs = new NpgsqlConnectionStringBuilder(
            DatabaseTarget.Parse("Host=db;Max Auto Prepare=0;No Reset On Close=false", ContentRoot).ConnectionString);

        Assert.Equal((0, false), (cs.MaxAutoPrepare, cs.NoResetOnClose));
    }

    [Theory]
    [InlineData("Data Source=/var/lib/superapp/app.db")]
    [InlineData("data source=app.db;Cache=Shared")]
    public void A_data_source_string_is_sqlite_as_given(string uri)
    {
        Assert.Equal(new DatabaseTarget(DatabaseProvider.Sqlite, uri), DatabaseTarget.Parse(uri, ContentRoot));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Nothing_means_the_embedded_sqlite_file_under_the_content_root(string? uri)
    {
        var target = DatabaseTarget.Parse(uri, ContentRoot);

        Assert.Equal(DatabaseProvider.Sqlite, target.Provider);
        var path = Path.Combine(ContentRoot, "data", "superapp.db");
        Assert.Contains($"Data Source={path}", target.ConnectionString, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Theory]
    [InlineData("mysql://root@localhost/app")]
    [InlineData("mongodb://localhost:27017/superapp")]
    [InlineData("not a connection string")]
    public void Anything_else_is_refused_with_a_message_naming_the_variable(string uri)
    {
        var e = Assert.Throws<InvalidOperationException>(() => DatabaseTarget.Parse(uri, ContentRoot));
        Assert.Contains("DATABASE_URI", e.Message, StringComparison.Ordinal);
    }
}
