using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Creators;

/// <summary>
/// The creator deletes their account at the moment a settlement, having rolled back to create the creator's first
/// wallet, is about to create it: after the settlement let go of the user row's lock, before the wallet exists.
/// </summary>
public sealed class DeletionBeforeWalletOpens : DbCommandInterceptor
{
    private readonly Lock _gate = new();
    private Session? _armed;

    public HttpStatusCode? Deleted { get; private set; }

    public void Arm(Session creator)
    {
        lock (_gate)
        {
            _armed = creator;
        }
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Session? armed = null;
        if (command.CommandText.Contains("INSERT INTO accounts", StringComparison.Ordinal)
            && command.CommandText.Contains("ON CONFLICT (owner_id, kind, shard) DO NOTHING", StringComparison.Ordinal))
        {
            lock (_gate)
            {
                if (_armed is { } c && command.Parameters.Cast<DbParameter>().Any(p => Equals(p.Value, c.UserId))
                    && command.Parameters.Cast<DbParameter>().Any(p => Equals(p.Value, "wallet")))
                {
                    (armed, _armed) = (_armed, null);
                }
            }
        }

        if (armed is { } creator)
        {
            // No transaction of the settlement is open here: the deletion waits on nothing and commits.
            Deleted = (await creator.Client.DeleteAsync("/api/users/me", CancellationToken.None)).StatusCode;
        }

        return result;
    }
}

/// <summary>
/// docs/0005: settlement never creates a wallet for a deleted user, and a deleted user's wallets are frozen. A first
/// settlement that finds no wallet rolls back and creates it before running again; a deletion that gets in between the
/// rollback (which let go of the user row) and that creation must not end with the deleted creator holding a wallet.
/// </summary>
public sealed class SettlementWalletDeletionRaceTests(App<Postgres, InterceptorSettings<DeletionBeforeWalletOpens>> app)
    : IClassFixture<App<Postgres, InterceptorSettings<DeletionBeforeWalletOpens>>>
{
    [Fact]
    public async Task A_creator_deleted_while_their_first_settlement_rolls_back_to_open_a_wallet_is_given_no_wallet()
    {
        var (admin, creator, pending) = await app.FirstSettlementAsync();

        var deletion = app.Services.GetRequiredService<DeletionBeforeWalletOpens>();
        deletion.Arm(creator);
        var settled = await admin.Client.PostAsJsonAsync("/api/admin/revenue/settle", new { creatorId = creator.UserId });

        Assert.Equal(HttpStatusCode.OK, settled.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deletion.Deleted); // the race happened
        Assert.Equal(0, (await settled.JsonAsync()).GetProperty("totalAmount").GetInt64());
        Assert.Equal(pending, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        var wallets = await app.WithDbAsync(db => db.Accounts.AsNoTracking()
            .Where(a => a.OwnerId == creator.UserId && a.Kind == AccountKind.Wallet).Select(a => a.Status).ToListAsync());
        Assert.True(wallets.Count == 0, $"The deleted creator was given a wallet (status: {string.Join(", ", wallets)}).");
        await app.AssertLedgerConsistentAsync();
    }
}
