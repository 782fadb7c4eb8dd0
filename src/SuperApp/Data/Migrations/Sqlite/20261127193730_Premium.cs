using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SuperApp.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Premium : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "premium_contents",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    creator_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    category = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    price = table.Column<long>(type: "INTEGER", nullable: false),
                    subscriber_only = table.Column<bool>(type: "INTEGER", nullable: false),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    unlock_count = table.Column<long>(type: "INTEGER", nullable: false),
                    media_file = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    media_content_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    media_size = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    published_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    deleted_at = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    content_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    price = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "premium_unlocks");

            migrationBuilder.DropTable(
                name: "premium_contents");
        }
    }
}
