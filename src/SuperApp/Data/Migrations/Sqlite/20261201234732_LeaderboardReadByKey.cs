using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SuperApp.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LeaderboardReadByKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_gift_leaderboard_period_period_start_board_total_user_id",
                table: "gift_leaderboard");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_gift_leaderboard_period_period_start_board_total_user_id",
                table: "gift_leaderboard",
                columns: new[] { "period", "period_start", "board", "total", "user_id" },
                descending: new[] { false, false, false, true, false });
        }
    }
}
