using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SuperApp.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ShardedSystemAccounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_accounts_owner_id_kind",
                table: "accounts");

            migrationBuilder.AddColumn<int>(
                name: "shard",
                table: "accounts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "daily_spend",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    spent = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_daily_spend", x => new { x.user_id, x.day });
                    table.CheckConstraint("ck_daily_spend_not_negative", "spent >= 0");
                });

            // Purchases already made today (and yesterday, should this run across midnight) count
            // towards today's limit as they did when the limit summed the ledger.
            migrationBuilder.Sql("""
                INSERT INTO daily_spend (user_id, day, spent)
                SELECT a.owner_id, (e.created_at AT TIME ZONE 'UTC')::date, SUM(-e.amount)
                FROM ledger_entries e
                JOIN accounts a ON a.id = e.account_id AND a.kind = 'wallet'
                JOIN ledger_transactions t ON t.id = e.transaction_id AND t.kind IN ('unlock', 'subscription', 'gift')
                WHERE e.amount < 0 AND e.created_at >= ((now() AT TIME ZONE 'UTC')::date - 1)::timestamp AT TIME ZONE 'UTC'
                GROUP BY a.owner_id, (e.created_at AT TIME ZONE 'UTC')::date;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_account_id_created_at",
                table: "ledger_entries",
                columns: new[] { "account_id", "created_at" },
                filter: "amount > 0");

            migrationBuilder.CreateIndex(
                name: "ix_accounts_owner_id_kind_shard",
                table: "accounts",
                columns: new[] { "owner_id", "kind", "shard" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to one row per system account: every shard's entries and balance move to shard 0
            // first, so no total changes.
            migrationBuilder.Sql("""
                UPDATE ledger_entries SET account_id = (
                    SELECT z.id FROM accounts s JOIN accounts z ON z.owner_id = s.owner_id AND z.kind = s.kind AND z.shard = 0
                    WHERE s.id = ledger_entries.account_id)
                WHERE account_id IN (SELECT id FROM accounts WHERE shard > 0);
                UPDATE accounts SET balance = balance + (
                    SELECT COALESCE(SUM(s.balance), 0) FROM accounts s
                    WHERE s.owner_id = accounts.owner_id AND s.kind = accounts.kind AND s.shard > 0)
                WHERE shard = 0;
                DELETE FROM accounts WHERE shard > 0;
                """);

            migrationBuilder.DropTable(
                name: "daily_spend");

            migrationBuilder.DropIndex(
                name: "ix_ledger_entries_account_id_created_at",
                table: "ledger_entries");

            migrationBuilder.DropIndex(
                name: "ix_accounts_owner_id_kind_shard",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "shard",
                table: "accounts");

            migrationBuilder.CreateIndex(
                name: "ix_accounts_owner_id_kind",
                table: "accounts",
                columns: new[] { "owner_id", "kind" },
                unique: true);
        }
    }
}
