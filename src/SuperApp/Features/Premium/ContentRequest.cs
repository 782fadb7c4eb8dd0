using System.Text.RegularExpressions;
using SuperApp.Features.Ledger;

namespace SuperApp.Features.Premium;

/// <summary>The editable fields of content; create and update (PUT, a full replacement) share it.</summary>
public sealed record ContentRequest(
    [property: Required, StringLength(200, MinimumLength = 3)] string Title,
    [property: MaxLength(2000)] string? Description,
    [property: Required, MaxLength(32)] string Category,
    [property: Range(0, long.MaxValue, ErrorMessage = "The price is a whole, non-negative number of minor units.")] long Price,
    bool SubscriberOnly,
    List<string>? Tags);

public static partial class ContentRules
{
    public const int MaxTags = 10;

    /// <summary>Checks what attributes cannot (configured categories, price limits, tag shape) and applies the fields.</summary>
    public static ProblemHttpResult? TryApply(ContentRequest r, PremiumContent content, PremiumOptions premium, RevenueOptions revenue)
    {
        var title = r.Title.Trim();
        if (title.Length < 3)
        {
            return Problems.Validation("title", "The title needs at least 3 characters besides spaces.");
        }

        var category = r.Category.Trim().ToLowerInvariant();
        if (!premium.Categories.Contains(category))
        {
            return Problems.Validation("category", $"Unknown category. Known: {string.Join(", ", premium.Categories)}.");
        }

        var tags = (r.Tags ?? []).Select(t => (t ?? "").Trim().ToLowerInvariant()).Distinct().ToList();
        if (tags.Count > MaxTags || !tags.All(t => Tag().IsMatch(t)))
        {
            return Problems.Validation("tags", $"Up to {MaxTags} tags of 1-30 letters, digits, '-' or '_'.");
        }

        var limits = revenue.Limits.ContentPrice;
        // 0 is free content; anything sold costs at least the minimum, so splits never round to nothing.
        if (r.Price != 0 && (r.Price < limits.Min || r.Price > limits.Max))
        {
            return Problems.Unprocessable("LIMIT_EXCEEDED", "The price is outside the allowed range.",
                $"Prices are 0 (free) or {limits.Min} to {limits.Max} ({revenue.Currency} minor units).");
        }

        content.Title = title;
        content.Description = string.IsNullOrWhiteSpace(r.Description) ? null : r.Description.Trim();
        content.Category = category;
        content.Price = r.Price;
        content.SubscriberOnly = r.SubscriberOnly;
        content.Tags = tags;
        return null;
    }

    [GeneratedRegex(@"^[\p{L}\p{Nd}_-]{1,30}$")]
    private static partial Regex Tag();
}
