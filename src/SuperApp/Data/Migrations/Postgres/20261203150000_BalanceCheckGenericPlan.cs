using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SuperApp.Data.Migrations.Postgres
{
    /// <summary>
    /// The deferred balance check runs once per ledger entry. Its one query (the sum of the entry's transaction) has
    /// the same best plan for every transaction. But once the table holds purchases (three entries each), PostgreSQL
    /// judged a fresh plan per value cheaper than its cached one, and planned the query again for every entry: the
    /// planner alone took 6-7 % of the database's CPU in a purchase. The function now always uses the cached plan.
    /// </summary>
    [DbContext(typeof(PostgresDbContext))]
    [Migration("20261203150000_BalanceCheckGenericPlan")]
    public partial class BalanceCheckGenericPlan : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("ALTER FUNCTION ledger_transaction_balanced() SET plan_cache_mode = force_generic_plan;");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("ALTER FUNCTION ledger_transaction_balanced() RESET plan_cache_mode;");
    }
}
