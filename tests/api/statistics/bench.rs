//! National-scale check of the roll-up and the export on PostgreSQL (ignored: run by hand).
//!
//! ```sh
//! TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres STATISTICS_BENCH_ASSESSMENTS=200000 \
//!   cargo test --release --test api -- --ignored statistics::bench --nocapture
//! ```
//!
//! On a throwaway copy of the demo database (dropped at the end) it adds 100 communes with three
//! chi hội each under every province (≈ 13,600 organisations), the assessments asked for spread
//! over them and four years, 20,000 training sessions and 2,000 programs; then prints the
//! `EXPLAIN (ANALYZE, BUFFERS)` of the roll-up statements and end-to-end timings of GraphQL
//! statistics and CSV exports. Nothing is committed: the data is generated here.

use std::time::{Duration, Instant};

use khuyenhoc_core::entity::organisation;
use khuyenhoc_core::service::statistics::{Breakdown, StatisticsQuery, statements};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, Statement};
use serde_json::{Value, json};

use crate::helpers::*;

const ORGANISATIONS: &str = r#"
INSERT INTO organisation (id, code, name, name_search, kind, status, parent_id, path, depth, created_at, updated_at, version)
SELECT 1000000 + p.rn * 1000 + c, 'BENCH-' || p.id || '-' || c, 'Hội Khuyến học xã Thử ' || c, 'hoi khuyen hoc xa thu ' || c,
       'COMMUNE', 'ACTIVE', p.id, p.path || (1000000 + p.rn * 1000 + c) || '/', 2, now(), now(), 1
  FROM (SELECT id, path, row_number() OVER (ORDER BY id) AS rn FROM organisation WHERE kind = 'PROVINCIAL') p,
       generate_series(1, 100) c;
INSERT INTO organisation (id, code, name, name_search, kind, status, parent_id, path, depth, created_at, updated_at, version)
SELECT 3000000 + c.rn * 10 + b, c.code || '-' || b, 'Chi hội thôn ' || b, 'chi hoi thon ' || b,
       'LOCAL_BRANCH', 'ACTIVE', c.id, c.path || (3000000 + c.rn * 10 + b) || '/', 3, now(), now(), 1
  FROM (SELECT id, code, path, row_number() OVER (ORDER BY id) AS rn FROM organisation WHERE code LIKE 'BENCH-%') c,
       generate_series(1, 3) b
"#;

const ASSESSMENTS: &str = r#"
WITH orgs AS (SELECT array_agg(id ORDER BY id) AS ids FROM organisation WHERE kind IN ('COMMUNE', 'LOCAL_BRANCH')),
     sheets AS (SELECT row_number() OVER (ORDER BY model) - 1 AS n, id, code, model
                  FROM (SELECT DISTINCT ON (model) id, code, model FROM criteria_checklist ORDER BY model, id) s),
     central AS (SELECT id FROM organisation WHERE kind = 'CENTRAL'),
     g AS (SELECT i, random() AS r, random() AS o FROM generate_series(1, $1) i)
INSERT INTO assessment (checklist_id, checklist_code, model, organisation_id, subject_kind, subject_name,
    subject_search, subject_key, period_year, status, total_points, result_rank, result_code,
    submitted_at, approved_at, approver_organisation_id, created_at, updated_at)
SELECT sheets.id, sheets.code, sheets.model, orgs.ids[1 + floor(g.o * array_length(orgs.ids, 1))::int],
       'FAMILY', 'Gia đình ' || g.i, 'gia dinh ' || g.i, 'bench:' || g.i, 2022 + g.i % 4,
       CASE WHEN g.r < 0.5 THEN 'APPROVED' WHEN g.r < 0.7 THEN 'SUBMITTED' WHEN g.r < 0.9 THEN 'DRAFT' ELSE 'RETURNED' END,
       (g.r * 100)::int, (g.i % 3), CASE g.i % 3 WHEN 0 THEN 'NOT_MET' WHEN 1 THEN 'LEVEL_1' ELSE 'LEVEL_2' END,
       CASE WHEN g.r < 0.7 OR g.r >= 0.9 THEN now() END, CASE WHEN g.r < 0.5 THEN now() END,
       CASE WHEN g.r < 0.5 THEN central.id END, now(), now()
  FROM g, orgs, central, sheets WHERE sheets.n = g.i % 5
"#;

const SESSIONS_AND_PROGRAMS: &str = r#"
WITH orgs AS (SELECT array_agg(id ORDER BY id) AS ids FROM organisation WHERE kind IN ('PROVINCIAL', 'COMMUNE', 'LOCAL_BRANCH')),
     g AS (SELECT i, random() AS r, random() AS o, (random() * 150)::int AS reg FROM generate_series(1, 20000) i)
INSERT INTO training_session (organiser_id, title, title_search, audience, mode, starts_at, ends_at, status,
    registered_count, attended_count, created_at, updated_at)
SELECT orgs.ids[1 + floor(g.o * array_length(orgs.ids, 1))::int], 'Tập huấn ' || g.i, 'tap huan ' || g.i, '[]',
       'IN_PERSON', timestamptz '2022-01-01' + g.r * interval '1460 days',
       timestamptz '2022-01-01' + g.r * interval '1460 days' + interval '4 hours',
       CASE WHEN g.i % 5 < 3 THEN 'HELD' WHEN g.i % 5 = 3 THEN 'PLANNED' ELSE 'CANCELLED' END,
       g.reg, (g.reg * g.r)::int, now(), now()
  FROM g, orgs;
WITH orgs AS (SELECT array_agg(id ORDER BY id) AS ids FROM organisation WHERE kind IN ('PROVINCIAL', 'COMMUNE')),
     g AS (SELECT i, random() AS o FROM generate_series(1, 2000) i)
INSERT INTO program (code, owner_id, title, title_search, starts_on, ends_on, status, content_areas, created_at, updated_at)
SELECT 'BENCH-P' || g.i, orgs.ids[1 + floor(g.o * array_length(orgs.ids, 1))::int], 'Chương trình ' || g.i,
       'chuong trinh ' || g.i, date '2021-01-01' + (g.i % 1500), date '2024-12-31' + (g.i % 1500),
       CASE WHEN g.i % 4 < 2 THEN 'ACTIVE' WHEN g.i % 4 = 2 THEN 'COMPLETED' ELSE 'DRAFT' END, '[]', now(), now()
  FROM g, orgs
"#;

async fn run_script(app: &TestApp, script: &str, values: Vec<sea_orm::Value>) {
    for sql in script.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
        app.db
            .execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                sql,
                values.clone(),
            ))
            .await
            .unwrap();
    }
}

/// Prints the plans of a roll-up of `roots` (organisations without a parent) and `others`, the
/// children read per workflow state (as a list of children is usually shown).
async fn explain(app: &TestApp, label: &str, roots: &[i64], others: &[i64]) {
    let query = StatisticsQuery::new(2025, None)
        .unwrap()
        .with_children(Breakdown::Status);
    let names = ["assessments", "training sessions", "programs"];
    for (statement, name) in statements(DatabaseBackend::Postgres, roots, others, &query)
        .unwrap()
        .into_iter()
        .zip(names)
    {
        let sql = format!("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {}", statement.sql);
        let values = statement.values.map(|v| v.0).unwrap_or_default();
        let rows = app
            .db
            .query_all_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                sql,
                values,
            ))
            .await
            .unwrap();
        println!("\n#### {label}: {name}\n```");
        for row in rows {
            println!("{}", row.try_get::<String>("", "QUERY PLAN").unwrap());
        }
        println!("```");
    }
}

/// Runs `query` as `email` five times; prints and returns the median wall time.
async fn time_graphql(app: &TestApp, label: &str, query: &str, variables: Value) -> Duration {
    let token = app.token(CENTRAL_ADMIN).await;
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let response = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap();
        let statements = response.headers()["x-sql-statements"]
            .to_str()
            .unwrap()
            .to_owned();
        let body: Value = response.json().await.unwrap();
        times.push(started.elapsed());
        assert!(body.get("errors").is_none(), "{body}");
        if times.len() == 5 {
            times.sort();
            println!(
                "| {label} | {statements} | {:.1} ms |",
                times[2].as_secs_f64() * 1000.0
            );
        }
    }
    times[2]
}

async fn time_export(app: &TestApp, label: &str, email: &str, query: &str) {
    let started = Instant::now();
    let response = app
        .client
        .get(app.url(&format!("/export/assessments.csv?{query}")))
        .bearer_auth(app.token(email).await)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body = response.bytes().await.unwrap();
    let lines = body.iter().filter(|b| **b == b'\n').count();
    println!(
        "| {label} | {lines} | {:.1} MB | {:.2} s |",
        body.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "national-scale benchmark on PostgreSQL; see docs/statistics.md"]
async fn national_scale() {
    if postgres_url().is_none() {
        eprintln!("SKIPPED statistics::bench: set TEST_DATABASE_URL to run it");
        return;
    }
    let n: i64 = std::env::var("STATISTICS_BENCH_ASSESSMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let app = TestApp::spawn(Backend::Postgres).await;
    let started = Instant::now();
    run_script(&app, ORGANISATIONS, vec![]).await;
    run_script(&app, ASSESSMENTS, vec![n.into()]).await;
    run_script(&app, SESSIONS_AND_PROGRAMS, vec![]).await;
    khuyenhoc_core::service::statistics::tally::rebuild(&app.db)
        .await
        .unwrap();
    app.db.execute_unprepared("VACUUM ANALYZE").await.unwrap();
    println!(
        "generated in {:.1} s: {} organisations, {} assessments, {} sessions, {} programs",
        started.elapsed().as_secs_f64(),
        app.count("organisation").await,
        app.count("assessment").await,
        app.count("training_session").await,
        app.count("program").await,
    );
    let orgs = organisation::Entity::find().all(&app.db).await.unwrap();
    let id = |code: &str| orgs.iter().find(|o| o.code == code).unwrap().id;
    let (central, hcm) = (id("VAPE"), id("HCM"));
    let provinces: Vec<i64> = organisation::Entity::find()
        .filter(organisation::Column::ParentId.eq(central))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    explain(&app, "the centre (34 provinces)", &[central], &[]).await;
    explain(&app, "TP. Hồ Chí Minh (≈ 100 communes)", &[], &[hcm]).await;
    explain(&app, "all 34 provinces in one batch", &[], &provinces).await;

    println!("\n| GraphQL request (year 2025) | SQL statements | median of 5 |\n|---|---|---|");
    let full = "query($id: ID!) { node(id: $id) { ... on Organisation { statistics(year: 2025) {
        assessments { total submitted returned byResult { code count } byModel { model total } }
        trainingSessions { held registered attended } activePrograms
        byChild { organisation { name } assessments { total submitted byResult { code count } }
          trainingSessions { held } activePrograms } } } } }";
    let nested = "query($id: ID!) { node(id: $id) { ... on Organisation { statistics(year: 2025) {
        assessments { total } byChild { organisation { statistics(year: 2025) {
          assessments { total submitted } byChild { organisation { code } assessments { total } } } } } } } } }";
    let global = |id: i64| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Organisation:{id}"))
    };
    time_graphql(
        &app,
        "centre, totals and by province",
        full,
        json!({ "id": global(central) }),
    )
    .await;
    time_graphql(
        &app,
        "TP. HCM, totals and by commune",
        full,
        json!({ "id": global(hcm) }),
    )
    .await;
    time_graphql(
        &app,
        "centre → every province → every commune",
        nested,
        json!({ "id": global(central) }),
    )
    .await;

    println!("\n| CSV export (year 2025) | lines | size | time |\n|---|---|---|---|");
    let hcm_id = global(hcm);
    time_export(&app, "TP. HCM admin, own subtree", HCM_ADMIN, "year=2025").await;
    time_export(
        &app,
        "central admin, withinOrganisation = TP. HCM",
        CENTRAL_ADMIN,
        &format!("year=2025&withinOrganisation={hcm_id}"),
    )
    .await;
    time_export(
        &app,
        "commune editor (phường Ba Đình)",
        COMMUNE_EDITOR,
        "year=2025",
    )
    .await;
    time_export(
        &app,
        "central admin, the whole country",
        CENTRAL_ADMIN,
        "year=2025",
    )
    .await;
    app.finish().await;
}
