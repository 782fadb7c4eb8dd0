namespace SuperApp.Features.Operations;

/// <summary>One index the checklist's §1.3 asks for, mapped to our schema (docs/0008-indexes.md).</summary>
public sealed record ExpectedIndex(string Group, string Table, string Name, string Serves);

/// <summary>A validation query of §1.3: it must be answered through an index on its table, not a sequential scan.</summary>
public sealed record ValidationQuery(string Group, string Table, string Name, string Sql);

/// <summary>
/// The checklist's 18 indexes over six MongoDB collections, as the tables and indexes this schema
/// has for the same lookups (users → users, wallets → accounts, transactions → the ledger's two
/// tables, contents → premium_contents, subscriptions, auditlogs → audit_logs).
/// </summary>
public static class IndexCatalog
{
    public static readonly ExpectedIndex[] Indexes =
    [
        new("users", "users", "ix_users_email", "login by email (unique)"),
        new("users", "users", "ix_users_username", "login by username (unique)"),
        new("users", "users", "ix_users_email_status", "user by email and account status"),
        new("users", "users", "ix_users_phone_number", "OTP login by phone (unique)"),
        new("wallets", "accounts", "ix_accounts_owner_id_kind_shard", "a user's wallet (unique per owner, kind and shard)"),
        new("wallets", "accounts", "ix_accounts_owner_id_status", "wallet by owner and status (frozen)"),
        new("transactions", "ledger_entries", "ix_ledger_entries_account_id_id", "wallet statement, newest first"),
        new("transactions", "ledger_entries", "ix_ledger_entries_transaction_id", "a transaction's entries"),
        new("transactions", "ledger_transactions", "ix_ledger_transactions_actor_id_created_at", "a user's transactions by date"),
        new("transactions", "ledger_transactions", "ix_ledger_transactions_reference", "exactly-once postings (unique reference)"),
        new("contents", "premium_contents", "ix_premium_contents_status_published_at_id", "browse, newest first"),
        new("contents", "premium_contents", "ix_premium_contents_creator_id_id", "a creator's content"),
        new("contents", "premium_contents", "ix_premium_contents_category_status", "browse by category"),
        new("subscriptions", "subscriptions", "ux_subscriptions_live_pair", "one live subscription per subscriber and creator"),
        new("subscriptions", "subscriptions", "ix_subscriptions_status_expires_at", "renewals and expiry due"),
        new("auditlogs", "audit_logs", "ix_audit_logs_actor_id", "an actor's audit trail"),
        new("auditlogs", "audit_logs", "ix_audit_logs_entity_type_entity_id", "an entity's history"),
        new("auditlogs", "audit_logs", "ix_audit_logs_transaction_id_created_at", "a transaction's audit rows"),
    ];

    private const string SomeId = "'0190f7a2-0000-7000-8000-000000000042'::uuid";

    public static readonly ValidationQuery[] Queries =
    [
        new("users", "users", "user by email and status",
            "SELECT * FROM users WHERE email = 'test@example.com' AND status = 'active'"),
        new("wallets", "accounts", "wallet of a user", $"SELECT * FROM accounts WHERE owner_id = {SomeId} AND kind = 'wallet'"),
        new("transactions", "ledger_entries", "wallet statement",
            $"SELECT * FROM ledger_entries WHERE account_id = {SomeId} ORDER BY id DESC LIMIT 20"),
        new("contents", "premium_contents", "a creator's content",
            $"SELECT * FROM premium_contents WHERE creator_id = {SomeId} ORDER BY id DESC LIMIT 20"),
        new("subscriptions", "subscriptions", "subscription of a subscriber to a creator",
            $"SELECT * FROM subscriptions WHERE subscriber_id = {SomeId} AND creator_id = {SomeId} AND status <> 'expired'"),
        new("auditlogs", "audit_logs", "an actor's audit trail", $"SELECT * FROM audit_logs WHERE actor_id = {SomeId} LIMIT 50"),
    ];
}
