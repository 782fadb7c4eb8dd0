using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SuperApp.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ClaimInTransaction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Claims left unfinished by the old scheme (an attempt that died) would otherwise be
            // replayed as empty answers; under the new scheme such a key is simply free again.
            migrationBuilder.Sql("DELETE FROM idempotency_records WHERE NOT completed");

            migrationBuilder.DropIndex(
                name: "ix_ledger_transactions_created_at",
                table: "ledger_transactions");

            migrationBuilder.DropIndex(
                name: "ix_ledger_transactions_idempotency_record_id",
                table: "ledger_transactions");

            migrationBuilder.DropIndex(
                name: "ix_ledger_transactions_reference",
                table: "ledger_transactions");

            migrationBuilder.DropColumn(
                name: "lock_token",
                table: "idempotency_records");

            migrationBuilder.DropColumn(
                name: "locked_until",
                table: "idempotency_records");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transactions_idempotency_record_id",
                table: "ledger_transactions",
                column: "idempotency_record_id",
                unique: true,
                filter: "idempotency_record_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transactions_reference",
                table: "ledger_transactions",
                column: "reference",
                unique: true,
                filter: "reference IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_ledger_transactions_idempotency_record_id",
                table: "ledger_transactions");

            migrationBuilder.DropIndex(
                name: "ix_ledger_transactions_reference",
                table: "ledger_transactions");

            migrationBuilder.AddColumn<Guid>(
                name: "lock_token",
                table: "idempotency_records",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<DateTime>(
                name: "locked_until",
                table: "idempotency_records",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transactions_created_at",
                table: "ledger_transactions",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transactions_idempotency_record_id",
                table: "ledger_transactions",
                column: "idempotency_record_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_transactions_reference",
                table: "ledger_transactions",
                column: "reference",
                unique: true);
        }
    }
}
