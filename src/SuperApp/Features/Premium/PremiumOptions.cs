using System.Text.RegularExpressions;

namespace SuperApp.Features.Premium;

public sealed class MediaOptions
{
    /// <summary>Folder uploads are written to; relative paths are under the content root.</summary>
    public string StoragePath { get; set; } = "media";

    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Type names from <see cref="MediaTypes"/>; empty means all of them.</summary>
    public List<string> AllowedTypes { get; set; } = [];
}

/// <summary>Premium content settings. Prices and splits are money rules and live in <c>Revenue</c>.</summary>
public sealed class PremiumOptions
{
    public const string Section = "Premium";

    public static readonly string[] DefaultCategories =
        ["education", "entertainment", "business", "technology", "lifestyle", "art", "music", "fitness", "other"];

    /// <summary>Empty means <see cref="DefaultCategories"/> (lists bind by appending, so defaults are applied after binding).</summary>
    public List<string> Categories { get; set; } = [];

    public MediaOptions Media { get; set; } = new();

    public void ApplyDefaults()
    {
        if (Categories.Count == 0)
        {
            Categories.AddRange(DefaultCategories);
        }

        if (Media.AllowedTypes.Count == 0)
        {
            Media.AllowedTypes.AddRange(MediaTypes.All.Select(t => t.Name));
        }
    }
}

public sealed partial class PremiumOptionsValidator : IValidateOptions<PremiumOptions>
{
    public ValidateOptionsResult Validate(string? name, PremiumOptions o)
    {
        var errors = new List<string>();
        if (o.Categories.Count == 0 || !o.Categories.All(c => Word().IsMatch(c)) || o.Categories.Distinct().Count() != o.Categories.Count)
        {
            errors.Add("Premium:Categories must be distinct lower-case words (a-z, 0-9, '-', '_'; at most 32 characters).");
        }

        if (string.IsNullOrWhiteSpace(o.Media.StoragePath))
        {
            errors.Add("Premium:Media:StoragePath must be set.");
        }

        if (o.Media.MaxUploadBytes <= 0)
        {
            errors.Add("Premium:Media:MaxUploadBytes must be positive.");
        }

        if (o.Media.AllowedTypes.Count == 0 || o.Media.AllowedTypes.Any(t => MediaTypes.Find(t) is null))
        {
            errors.Add($"Premium:Media:AllowedTypes must name known types: {string.Join(", ", MediaTypes.All.Select(t => t.Name))}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}$")]
    private static partial Regex Word();
}
