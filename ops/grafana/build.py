#!/usr/bin/env python3
"""Writes the Grafana dashboards (*.json beside this file) from the panel lists below.

Edit the lists and run `python3 ops/grafana/build.py`; the JSON is committed so Grafana can import it
as is. Every query is run against a real Prometheus scraping the service by the DashboardQueryTests.
"""
import json
import os

J = 'job="superapp"'
RATE = "$__rate_interval"


def count(extra=""):
    return f'http_server_request_duration_seconds_count{{{J}{extra}}}'


ERRORS = ', http_response_status_code=~"5.."'


def quantile(q, by=""):
    by = f", {by}" if by else ""
    return (f"histogram_quantile({q}, sum by (le{by}) "
            f"(rate(http_server_request_duration_seconds_bucket{{{J}}}[{RATE}])))")


OVERVIEW = [
    ("Throughput (requests/s)", "reqps", [("requests/s", f"sum(rate({count()}[{RATE}]))")]),
    ("Error ratio (5xx)", "percentunit", [
        ("5xx ratio", f'(sum(rate({count(ERRORS)}[{RATE}])) or vector(0)) '
                      f"/ sum(rate({count()}[{RATE}]))")]),
    ("Response time p50 / p95 / p99", "s", [
        ("p50", quantile(0.5)), ("p95", quantile(0.95)), ("p99", quantile(0.99))]),
    ("Throughput by route", "reqps", [("{{http_request_method}} {{http_route}}",
                                       f"sum by (http_request_method, http_route) (rate({count()}[{RATE}]))")]),
    ("p50 by route", "s", [("{{http_route}}", quantile(0.5, "http_route"))]),
    ("p95 by route", "s", [("{{http_route}}", quantile(0.95, "http_route"))]),
    ("p99 by route", "s", [("{{http_route}}", quantile(0.99, "http_route"))]),
    ("Error ratio by route", "percentunit", [(
        "{{http_route}}",
        f'sum by (http_route) (rate({count(ERRORS)}[{RATE}])) '
        f"/ sum by (http_route) (rate({count()}[{RATE}]))")]),
    ("Responses by status", "reqps", [("{{http_response_status_code}}",
                                       f"sum by (http_response_status_code) (rate({count()}[{RATE}]))")]),
    ("Requests in flight", "short", [("in flight", f"sum(http_server_active_requests{{{J}}})")]),
    ("Health (1 healthy, 0.5 degraded, 0 unhealthy)", "short", [("{{instance}}", f"superapp_health_status{{{J}}}")]),
]

RESOURCES = [
    ("CPU (share of cores)", "percentunit", [(
        "{{instance}}",
        f"sum by (instance) (rate(dotnet_process_cpu_time_seconds_total{{{J}}}[{RATE}])) "
        f"/ max by (instance) (dotnet_process_cpu_count{{{J}}})")]),
    ("Memory", "bytes", [
        ("working set {{instance}}", f"dotnet_process_memory_working_set_bytes{{{J}}}"),
        ("GC heap {{instance}}", f"sum by (instance) (dotnet_gc_last_collection_heap_size_bytes{{{J}}})"),
        ("limit {{instance}}", f"superapp_memory_limit_bytes{{{J}}}")]),
    ("Memory used of limit", "percentunit", [(
        "{{instance}}",
        f"max by (instance) (dotnet_process_memory_working_set_bytes{{{J}}}) "
        f"/ max by (instance) (superapp_memory_limit_bytes{{{J}}})")]),
    ("GC collections/s by generation", "short", [(
        "{{gc_heap_generation}}", f"sum by (gc_heap_generation) (rate(dotnet_gc_collections_total{{{J}}}[{RATE}]))")]),
    ("GC pause (share of time)", "percentunit", [(
        "{{instance}}", f"sum by (instance) (rate(dotnet_gc_pause_time_seconds_total{{{J}}}[{RATE}]))")]),
    ("Allocation rate", "Bps", [(
        "{{instance}}", f"sum by (instance) (rate(dotnet_gc_heap_total_allocated_bytes_total{{{J}}}[{RATE}]))")]),
    ("Thread pool", "short", [
        ("threads {{instance}}", f"dotnet_thread_pool_thread_count_total{{{J}}}"),
        ("queued work items {{instance}}", f"dotnet_thread_pool_queue_length_total{{{J}}}")]),
    ("DB pool usage (used / max)", "percentunit", [(
        "{{instance}}",
        f'sum by (instance) (db_client_connection_count{{{J}, db_client_connection_state="used"}}) '
        f"/ sum by (instance) (db_client_connection_max{{{J}}})")]),
    ("DB pool connections", "short", [
        ("{{db_client_connection_state}}", f"sum by (db_client_connection_state) (db_client_connection_count{{{J}}})"),
        ("max", f"sum(db_client_connection_max{{{J}}})"),
        ("waiting", f"sum(db_client_connection_npgsql_pending_requests{{{J}}})")]),
    ("DB operation p95", "s", [(
        "p95", f"histogram_quantile(0.95, sum by (le) (rate(db_client_operation_duration_seconds_bucket{{{J}}}[{RATE}])))")]),
    ("Redis: limiter fallbacks/s (Redis unreachable)", "short", [(
        "fallbacks/s", f"sum(rate(superapp_ratelimit_store_fallbacks_total{{{J}}}[{RATE}])) or vector(0)")]),
    ("Disk free", "percentunit", [(
        "{{instance}}", f"superapp_disk_available_bytes{{{J}}} / superapp_disk_size_bytes{{{J}}}")]),
    ("Open connections", "short", [("{{instance}}", f"sum by (instance) (kestrel_active_connections{{{J}}})")]),
    ("Log events/s by level", "short", [(
        "{{level}}", f"sum by (level) (rate(superapp_log_events_total{{{J}}}[{RATE}]))")]),
]

PURCHASES = 'kind=~"unlock|subscription|gift"'
REPLAYS = f"(sum(rate(superapp_idempotency_replays_total{{{J}}}[{RATE}])) or vector(0))"
FIRST_USES = f"sum(rate(superapp_idempotency_first_uses_total{{{J}}}[{RATE}]))"

BUSINESS = [
    ("Ledger postings/s by kind", "short", [(
        "{{kind}}", f"sum by (kind) (rate(superapp_ledger_postings_total{{{J}}}[{RATE}]))")]),
    ("Money moved/s by kind (minor units)", "short", [(
        "{{kind}}", f"sum by (kind) (rate(superapp_ledger_amount_total{{{J}}}[{RATE}]))")]),
    ("Purchases/s (unlocks, subscriptions, gifts)", "short", [(
        "{{kind}}", f"sum by (kind) (rate(superapp_ledger_postings_total{{{J}, {PURCHASES}}}[{RATE}]))")]),
    ("Idempotency hit rate (replays / keyed requests)", "percentunit", [(
        "hit rate", f"{REPLAYS} / ({REPLAYS} + {FIRST_USES})")]),
    ("Idempotency conflicts and mismatches/s", "short", [
        ("conflicts", f"sum(rate(superapp_idempotency_conflicts_total{{{J}}}[{RATE}])) or vector(0)"),
        ("mismatches", f"sum(rate(superapp_idempotency_mismatches_total{{{J}}}[{RATE}])) or vector(0)")]),
    ("Rate-limit rejections/s by tier and route", "short", [(
        "{{tier}} {{route}}", f"sum by (tier, route) (rate(superapp_ratelimit_rejections_total{{{J}}}[{RATE}]))")]),
    ("Held top-ups", "short", [
        ("held", f"max(superapp_topups_held{{{J}}})"),
        ("oldest (hours)", f"max(superapp_topups_oldest_held_age_seconds{{{J}}}) / 3600")]),
    ("Money held in suspense (minor units)", "short", [("held", f"max(superapp_topups_held_amount{{{J}}})")]),
    ("Payment webhooks/s by outcome", "short", [(
        "{{provider}} {{outcome}}", f"sum by (provider, outcome) (rate(superapp_webhooks_total{{{J}}}[{RATE}]))")]),
    ("Job runs and failures (per hour)", "short", [
        ("runs {{job}}", f"sum by (job) (increase(superapp_job_runs_total{{{J}}}[1h]))"),
        ("failures {{job}}", f"sum by (job) (increase(superapp_job_failures_total{{{J}}}[1h]))")]),
    ("Ledger verified (1 sound, 0 broken)", "short", [("{{instance}}", f"superapp_ledger_verify_ok{{{J}}}")]),
    ("Creator settlement (minor units/hour)", "short", [(
        "settled", f"sum(increase(superapp_settlement_amount_total{{{J}}}[1h]))")]),
]


def dashboard(uid, title, panels):
    out = []
    for i, (name, unit, targets) in enumerate(panels):
        out.append({
            "id": i + 1,
            "type": "timeseries",
            "title": name,
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": {"h": 8, "w": 12, "x": (i % 2) * 12, "y": (i // 2) * 8},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "targets": [{"refId": chr(65 + j), "expr": expr, "legendFormat": legend,
                         "datasource": {"type": "prometheus", "uid": "${datasource}"}}
                        for j, (legend, expr) in enumerate(targets)],
        })
    return {
        "uid": uid,
        "title": title,
        "tags": ["superapp"],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-3h", "to": "now"},
        "templating": {"list": [{
            "name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
            "current": {}, "hide": 0, "refresh": 1,
        }]},
        "panels": out,
    }


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for uid, title, panels in [("superapp-overview", "SuperApp: service overview", OVERVIEW),
                               ("superapp-resources", "SuperApp: resources", RESOURCES),
                               ("superapp-business", "SuperApp: business", BUSINESS)]:
        with open(os.path.join(here, uid.removeprefix("superapp-") + ".json"), "w", encoding="utf-8") as f:
            json.dump(dashboard(uid, title, panels), f, indent=2)
            f.write("\n")
