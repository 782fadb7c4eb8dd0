using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SuperApp.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ShardedLeaderboards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_gift_leaderboard",
                table: "gift_leaderboard");

            migrationBuilder.AddColumn<int>(
                name: "leaderboard_shard",
                table: "gifts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "shard",
                table: "gift_leaderboard",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddPrimaryKey(
                name: "pk_gift_leaderboard",
                table: "gift_leaderboard",
                columns: new[] { "period", "period_start", "board", "user_id", "shard" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Back to one row per user and board: shards > 0 are added onto shard 0 (created where a
            // user had none) before they go, so every board keeps its totals.
            migrationBuilder.Sql("""
                UPDATE gift_leaderboard SET
                    total = total + (SELECT COALESCE(SUM(s.total), 0) FROM gift_leaderboard s
                        WHERE s.period = gift_leaderboard.period AND s.period_start = gift_leaderboard.period_start
                          AND s.board = gift_leaderboard.board AND s.user_id = gift_leaderboard.user_id AND s.shard > 0),
                    gift_count = gift_count + (SELECT COALESCE(SUM(s.gift_count), 0) FROM gift_leaderboard s
                        WHERE s.period = gift_leaderboard.period AND s.period_start = gift_leaderboard.period_start
                          AND s.board = gift_leaderboard.board AND s.user_id = gift_leaderboard.user_id AND s.shard > 0)
                WHERE shard = 0;
                INSERT INTO gift_leaderboard (period, period_start, board, user_id, shard, total, gift_count, updated_at)
                SELECT g.period, g.period_start, g.board, g.user_id, 0, SUM(g.total), SUM(g.gift_count), MAX(g.updated_at)
                FROM gift_leaderboard g
                WHERE g.shard > 0 AND NOT EXISTS (SELECT 1 FROM gift_leaderboard z
                    WHERE z.period = g.period AND z.period_start = g.period_start AND z.board = g.board AND z.user_id = g.user_id
                      AND z.shard = 0)
                GROUP BY g.period, g.period_start, g.board, g.user_id;
                DELETE FROM gift_leaderboard WHERE shard > 0;
                """);

            migrationBuilder.DropPrimaryKey(
                name: "pk_gift_leaderboard",
                table: "gift_leaderboard");

            migrationBuilder.DropColumn(
                name: "leaderboard_shard",
                table: "gifts");

            migrationBuilder.DropColumn(
                name: "shard",
                table: "gift_leaderboard");

            migrationBuilder.AddPrimaryKey(
                name: "pk_gift_leaderboard",
                table: "gift_leaderboard",
                columns: new[] { "period", "period_start", "board", "user_id" });
        }
    }
}
