using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Subscriptions;

public enum PlanKind { Monthly, Quarterly, Yearly }

public static class PlanKinds
{
    /// <summary>Fixed lengths, so "monthly" means the same 30 days whatever month it starts in.</summary>
    public static int Days(this PlanKind plan) => plan switch
    {
        PlanKind.Monthly => 30,
        PlanKind.Quarterly => 90,
        PlanKind.Yearly => 365,
        _ => throw new ArgumentOutOfRangeException(nameof(plan)),
    };

    public static TimeSpan Duration(this PlanKind plan) => TimeSpan.FromDays(plan.Days());
}

/// <summary>What a creator charges for one period of a plan. Subscribers always pay this price, never their own.</summary>
public sealed class SubscriptionPlan
{
    public const int MaxBenefits = 10;
    public const int MaxBenefitLength = 200;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CreatorId { get; set; }
    public PlanKind Plan { get; set; }
    public long Price { get; set; }
    public List<string> Benefits { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class SubscriptionPlanConfiguration : IEntityTypeConfiguration<SubscriptionPlan>
{
    public void Configure(EntityTypeBuilder<SubscriptionPlan> b)
    {
        b.ToTable("subscription_plans", t => t.HasCheckConstraint("ck_subscription_plans_price_positive", "price > 0"));
        b.Property(p => p.Plan).HasConversion(EnumText.Converter<PlanKind>()).HasMaxLength(16);
        b.HasIndex(p => new { p.CreatorId, p.Plan }).IsUnique();
    }
}
