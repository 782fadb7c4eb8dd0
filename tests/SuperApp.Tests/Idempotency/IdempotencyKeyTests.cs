using System.Text;
using SuperApp.Platform.Idempotency;

namespace SuperApp.Tests.Idempotency;

public sealed class IdempotencyKeyTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("order-2026-11-27/42 ~ retry", true)]
    [InlineData("", false)]
    [InlineData("caf\u00e9", false)]
    [InlineData("line\nbreak", false)]
    [InlineData("a,b", false)]
    public void Keys_are_1_to_255_printable_ascii_characters(string key, bool valid)
    {
        Assert.Equal(valid, IdempotencyFilter.IsValidKey(key));
        Assert.True(IdempotencyFilter.IsValidKey(new string('x', 255)));
        Assert.False(IdempotencyFilter.IsValidKey(new string('x', 256)));
    }

    [Fact]
    public void The_fingerprint_changes_with_method_path_or_any_body_byte()
    {
        var body = Encoding.UTF8.GetBytes("""{"toUserId":"x","amount":100}""");
        var same = IdempotencyFilter.Fingerprint("POST", "/api/wallet/transfer", body);

        Assert.Equal(same, IdempotencyFilter.Fingerprint("POST", "/api/wallet/transfer", body.ToArray()));
        Assert.NotEqual(same, IdempotencyFilter.Fingerprint("PUT", "/api/wallet/transfer", body));
        Assert.NotEqual(same, IdempotencyFilter.Fingerprint("POST", "/api/wallet/withdraw", body));
        var other = Encoding.UTF8.GetBytes("""{"toUserId":"x","amount":101}""");
        Assert.NotEqual(same, IdempotencyFilter.Fingerprint("POST", "/api/wallet/transfer", other));
    }
}
