using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SuperApp.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PremiumAndGifts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "gift_leaderboard",
                columns: table => new
                {
                    period = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    period_start = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    board = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    total = table.Column<long>(type: "bigint", nullable: false),
                    gift_count = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_gift_leaderboard", x => new { x.period, x.period_start, x.board, x.user_id });
                    table.CheckConstraint("ck_gift_leaderboard_totals", "total >= 0 AND gift_count >= 0");
                });

            migrationBuilder.CreateTable(
                name: "gifts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sender_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipient_id = table.Column<Guid>(type: "uuid", nullable: false),
                    gift_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    unit_price = table.Column<long>(type: "bigint", nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    creator_share = table.Column<long>(type: "bigint", nullable: false),
                    platform_fee = table.Column<long>(type: "bigint", nullable: false),
                    message = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    transaction_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_gifts", x => x.id);
                    table.CheckConstraint("ck_gifts_amounts", "quantity BETWEEN 1 AND 100 AND unit_price > 0 AND amount = unit_price * quantity AND creator_share >= 0 AND platform_fee >= 0 AND amount = creator_share + platform_fee AND sender_id <> recipient_id");
                    table.ForeignKey(
                        name: "fk_gifts_ledger_transactions_transaction_id",
                        column: x => x.transaction_id,
                        principalTable: "ledger_transactions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_gifts_users_recipient_id",
                        column: x => x.recipient_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_gifts_users_sender_id",
                        column: x => x.sender_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "premium_contents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    creator_id = table.Column<Guid>(type: "uuid", nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    category = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    price = table.Column<long>(type: "bigint", nullable: false),
                    subscriber_only = table.Column<bool>(type: "boolean", nullable: false),
                    tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    unlock_count = table.Column<long>(type: "bigint", nullable: false),
                    media_file = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    media_content_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    media_size = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    deleted_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_premium_contents", x => x.id);
                    table.CheckConstraint("ck_premium_contents_price_not_negative", "price >= 0");
                    table.CheckConstraint("ck_premium_contents_unlock_count_not_negative", "unlock_count >= 0");
                });

            migrationBuilder.CreateTable(
                name: "premium_unlocks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    content_id = table.Column<Guid>(type: "uuid", nullable: false),
                    price = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_premium_unlocks", x => x.id);
                    table.CheckConstraint("ck_premium_unlocks_price_positive", "price > 0");
                    table.ForeignKey(
                        name: "fk_premium_unlocks_premium_contents_content_id",
                        column: x => x.content_id,
                        principalTable: "premium_contents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_gift_leaderboard_period_period_start_board_total_user_id",
                table: "gift_leaderboard",
                columns: new[] { "period", "period_start", "board", "total", "user_id" },
                descending: new[] { false, false, false, true, false });

            migrationBuilder.CreateIndex(
                name: "ix_gifts_recipient_id_id",
                table: "gifts",
                columns: new[] { "recipient_id", "id" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_gifts_sender_id_id",
                table: "gifts",
                columns: new[] { "sender_id", "id" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_gifts_transaction_id",
                table: "gifts",
                column: "transaction_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_premium_contents_category_status",
                table: "premium_contents",
                columns: new[] { "category", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_premium_contents_creator_id_id",
                table: "premium_contents",
                columns: new[] { "creator_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_premium_contents_status_price_id",
                table: "premium_contents",
                columns: new[] { "status", "price", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_premium_contents_status_published_at_id",
                table: "premium_contents",
                columns: new[] { "status", "published_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_premium_contents_status_unlock_count_id",
                table: "premium_contents",
                columns: new[] { "status", "unlock_count", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_premium_unlocks_content_id",
                table: "premium_unlocks",
                column: "content_id");

            migrationBuilder.CreateIndex(
                name: "ix_premium_unlocks_user_id_content_id",
                table: "premium_unlocks",
                columns: new[] { "user_id", "content_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_premium_unlocks_user_id_id",
                table: "premium_unlocks",
                columns: new[] { "user_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "gift_leaderboard");

            migrationBuilder.DropTable(
                name: "gifts");

            migrationBuilder.DropTable(
                name: "premium_unlocks");

            migrationBuilder.DropTable(
                name: "premium_contents");
        }
    }
}
