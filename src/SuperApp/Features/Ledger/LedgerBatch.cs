using System.Data.Common;

namespace SuperApp.Features.Ledger;

/// <summary>
/// A hand-written statement sent with a posting, in the same round trip on PostgreSQL. Its SQL names
/// parameters as <c>@name</c>. A statement that returns rows (SELECT, or RETURNING) must have
/// <see cref="Read"/>, and one that returns none must not: the driver hands back a result only for
/// the former, in order.
/// </summary>
public sealed record BatchStatement(string Sql, IReadOnlyList<(string Name, object? Value)> Values)
{
    /// <summary>Reads the statement's rows (there may be none) into the caller's state.</summary>
    public Func<DbDataReader, CancellationToken, Task>? Read { get; init; }
}

/// <summary>
/// What a purchase sends with its posting: checks and locks taken before the balance updates (the
/// fraud guard's), and writes that belong to the same transaction after them (a leaderboard, a
/// count). The ledger sends them in the order given, so their locks keep the order of docs/0010,
/// reads every result, then asks <see cref="Checks"/> (throw to refuse: the whole unit of work rolls
/// back), then checks its own updates, then <see cref="ChecksAfter"/>.
/// </summary>
public sealed class LedgerBatch
{
    public List<BatchStatement> Before { get; } = [];

    /// <summary>Built once the transaction is known (its id and time, which the purchase's own rows take).</summary>
    public List<Func<LedgerTransaction, BatchStatement>> After { get; } = [];

    /// <summary>Refusals that take precedence over the posting's own (a suspended payer before insufficient funds).</summary>
    public List<Action> Checks { get; } = [];

    /// <summary>Refusals that apply only to a posting that went through (content changed meanwhile).</summary>
    public List<Action> ChecksAfter { get; } = [];

    public static async Task<List<T>> ReadAllAsync<T>(DbDataReader reader, Func<DbDataReader, T> row, CancellationToken ct)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(row(reader));
        }

        return rows;
    }
}
