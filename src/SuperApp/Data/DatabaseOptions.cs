namespace SuperApp.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply pending migrations at start-up. Defaults to on in Development only.</summary>
    public bool? AutoMigrate { get; set; }
}
