using SuperApp.Features.Ledger;

namespace SuperApp.Features.Gifts;

/// <summary>One item of the gift catalogue; its price is in minor units.</summary>
public sealed class GiftType
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public long Price { get; set; }
}

/// <summary>The gift catalogue (config section <c>Gifts</c>). Validated at start-up.</summary>
public sealed class GiftOptions
{
    public const string Section = "Gifts";
    public const int MaxQuantity = 100;

    /// <summary>Used when the configuration names no gifts at all.</summary>
    public static IReadOnlyList<GiftType> DefaultCatalogue { get; } =
    [
        new() { Id = "rose", Name = "Rose", Price = 10_000 },
        new() { Id = "coffee", Name = "Coffee", Price = 50_000 },
        new() { Id = "star", Name = "Star", Price = 100_000 },
        new() { Id = "diamond", Name = "Diamond", Price = 500_000 },
        new() { Id = "crown", Name = "Crown", Price = 1_000_000 },
    ];

    // A list bound from configuration is appended to, never replaced, so the defaults cannot live here.
    public List<GiftType> Catalogue { get; set; } = [];

    /// <summary>
    /// Rows each receiver's leaderboard totals are split into: a live stream's gifts to one creator
    /// each add to one picked at random instead of all queuing on one row; the board sums them.
    /// </summary>
    public int LeaderboardShards { get; set; } = 32;

    public GiftType? Find(string id) => Catalogue.FirstOrDefault(g => string.Equals(g.Id, id, StringComparison.OrdinalIgnoreCase));
}

public sealed class GiftOptionsValidator(IOptions<RevenueOptions> revenue) : IValidateOptions<GiftOptions>
{
    public ValidateOptionsResult Validate(string? name, GiftOptions o)
    {
        var limits = revenue.Value.Limits.Gift;
        var errors = new List<string>();
        if (o.Catalogue.Count == 0)
        {
            errors.Add("Gifts:Catalogue must name at least one gift.");
        }

        if (o.LeaderboardShards is < 1 or > 64)
        {
            errors.Add("Gifts:LeaderboardShards must be from 1 to 64.");
        }

        foreach (var g in o.Catalogue)
        {
            if (g.Id is not { Length: > 0 and <= 32 }
                || !g.Id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-'))
            {
                errors.Add($"Gifts:Catalogue id '{g.Id}' must be 1-32 characters of a-z, 0-9, '_' or '-'.");
            }

            if (string.IsNullOrWhiteSpace(g.Name) || g.Name.Length > 100)
            {
                errors.Add($"Gifts:Catalogue '{g.Id}' needs a name of at most 100 characters.");
            }

            if (g.Price < limits.Min || g.Price > limits.Max)
            {
                errors.Add($"Gifts:Catalogue '{g.Id}' price {g.Price} is outside Revenue:Limits:Gift [{limits.Min}; {limits.Max}].");
            }
        }

        foreach (var duplicate in o.Catalogue.GroupBy(g => g.Id, StringComparer.OrdinalIgnoreCase).Where(x => x.Count() > 1))
        {
            errors.Add($"Gifts:Catalogue id '{duplicate.Key}' is used more than once.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
