using SuperApp.Features.Ledger;

namespace SuperApp.Features.Gifts;

public sealed record GiftTypeItem(string Id, string Name, long Price, string Currency);

public sealed record GiftTypesResponse(IReadOnlyList<GiftTypeItem> Items);

public static class ListGiftTypes
{
    public static Ok<GiftTypesResponse> Handle(IOptions<GiftOptions> gifts, IOptions<RevenueOptions> revenue) =>
        TypedResults.Ok(new GiftTypesResponse(gifts.Value.Catalogue
            .Select(g => new GiftTypeItem(g.Id, g.Name, g.Price, revenue.Value.Currency)).ToList()));
}
