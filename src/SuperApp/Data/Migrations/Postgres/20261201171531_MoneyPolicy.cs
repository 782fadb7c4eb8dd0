using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace SuperApp.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MoneyPolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_accounts_balance_not_negative",
                table: "accounts");

            migrationBuilder.AddColumn<string>(
                name: "held_reason",
                table: "topups",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "resolution_note",
                table: "topups",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "resolved_at",
                table: "topups",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "resolved_by",
                table: "topups",
                type: "uuid",
                nullable: true);

            migrationBuilder.InsertData(
                table: "accounts",
                columns: new[] { "id", "balance", "created_at", "frozen_reason", "kind", "owner_id", "status", "updated_at" },
                values: new object[,]
                {
                    { new Guid("00000000-0000-7000-8000-000000000005"), 0L, new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, "suspense", new Guid("00000000-0000-0000-0000-000000000000"), "active", new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { new Guid("00000000-0000-7000-8000-000000000006"), 0L, new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, "chargeback_losses", new Guid("00000000-0000-0000-0000-000000000000"), "active", new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { new Guid("00000000-0000-7000-8000-000000000007"), 0L, new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), null, "refund_losses", new Guid("00000000-0000-0000-0000-000000000000"), "active", new DateTime(2026, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc) }
                });

            migrationBuilder.CreateIndex(
                name: "ix_topups_status_created_at",
                table: "topups",
                columns: new[] { "status", "created_at" });

            migrationBuilder.AddCheckConstraint(
                name: "ck_accounts_balance_not_negative",
                table: "accounts",
                sql: "kind IN ('external_funding', 'chargeback_losses', 'refund_losses') OR balance >= 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_topups_status_created_at",
                table: "topups");

            migrationBuilder.DropCheckConstraint(
                name: "ck_accounts_balance_not_negative",
                table: "accounts");

            migrationBuilder.DeleteData(
                table: "accounts",
                keyColumn: "id",
                keyValue: new Guid("00000000-0000-7000-8000-000000000005"));

            migrationBuilder.DeleteData(
                table: "accounts",
                keyColumn: "id",
                keyValue: new Guid("00000000-0000-7000-8000-000000000006"));

            migrationBuilder.DeleteData(
                table: "accounts",
                keyColumn: "id",
                keyValue: new Guid("00000000-0000-7000-8000-000000000007"));

            migrationBuilder.DropColumn(
                name: "held_reason",
                table: "topups");

            migrationBuilder.DropColumn(
                name: "resolution_note",
                table: "topups");

            migrationBuilder.DropColumn(
                name: "resolved_at",
                table: "topups");

            migrationBuilder.DropColumn(
                name: "resolved_by",
                table: "topups");

            migrationBuilder.AddCheckConstraint(
                name: "ck_accounts_balance_not_negative",
                table: "accounts",
                sql: "kind = 'external_funding' OR balance >= 0");
        }
    }
}
