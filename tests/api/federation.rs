//! Apollo Federation: with `[graphql] federation = true` the server is a v2 subgraph whose
//! `_entities` resolves through the viewer's scope; without it there is no trace of federation.

use serde_json::{Value, json};

use crate::helpers::*;

const SERVICE: &str = "{ _service { sdl } }";
const ENTITIES: &str = "query($reps: [_Any!]!) { _entities(representations: $reps) { __typename ... on Assessment { id subjectName } ... on Organisation { id code } ... on Program { id code } ... on TrainingSession { id title } } }";

/// A Hà Nội commune assessment, a Hà Nội organisation, a national program and a Hà Nội
/// session, as `(typename, id)`.
async fn hanoi_objects(app: &TestApp) -> Vec<(&'static str, Value)> {
    let commune = app.org_id("HN-BADINH").await;
    let hanoi = app.org_id("HN").await;
    let data = app
        .data_as(
            CENTRAL_ADMIN,
            "query($c: ID!, $h: ID!) { assessments(filter: {withinOrganisation: $c}, first: 1) { nodes { id } } trainingSessions(filter: {withinOrganisation: $h}, first: 1) { nodes { id } } }",
            json!({ "c": commune, "h": hanoi }),
        )
        .await;
    vec![
        ("Assessment", data["assessments"]["nodes"][0]["id"].clone()),
        ("Organisation", json!(commune)),
        (
            "TrainingSession",
            data["trainingSessions"]["nodes"][0]["id"].clone(),
        ),
    ]
}

async fn federation_serves_entities_within_scope(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| config.graphql.federation = true).await;
    let sdl = app.data_as(HANOI_VIEWER, SERVICE, json!({})).await["_service"]["sdl"]
        .as_str()
        .unwrap()
        .to_owned();
    for entity in ["Assessment", "Organisation", "Program", "TrainingSession"] {
        assert!(
            sdl.contains(&format!(
                "type {entity} implements Node @key(fields: \"id\")"
            )),
            "{entity} has no @key in {sdl}"
        );
    }
    assert!(
        sdl.contains("https://specs.apollo.dev/federation/v2"),
        "@link"
    );

    let objects = hanoi_objects(&app).await;
    let representations: Vec<Value> = objects
        .iter()
        .map(|(ty, id)| json!({ "__typename": ty, "id": id }))
        .collect();
    let reps = json!({ "reps": representations });
    // In scope: every object comes back, in order.
    let seen = app.data_as(HANOI_ADMIN, ENTITIES, reps.clone()).await;
    for (i, (ty, id)) in objects.iter().enumerate() {
        assert_eq!(seen["_entities"][i]["__typename"], *ty, "{seen}");
        assert_eq!(seen["_entities"][i]["id"], *id, "{seen}");
    }
    // Out of scope: null, exactly as for a missing id.
    let hidden = app.data_as(HCM_ADMIN, ENTITIES, reps).await;
    assert_eq!(hidden["_entities"], json!([null, null, null]), "{hidden}");
    let missing = app
        .data_as(
            HANOI_ADMIN,
            ENTITIES,
            json!({ "reps": [{ "__typename": "Assessment", "id": app.absent_id("Assessment") }] }),
        )
        .await;
    assert_eq!(missing["_entities"], json!([null]));
    // A program the partner is party to resolves for the partner.
    let programs = app
        .data_as(
            MOET_PARTNER,
            "{ programs(first: 1) { nodes { id code } } }",
            json!({}),
        )
        .await;
    let program = programs["programs"]["nodes"][0].clone();
    let found = app
        .data_as(
            MOET_PARTNER,
            ENTITIES,
            json!({ "reps": [{ "__typename": "Program", "id": program["id"] }] }),
        )
        .await;
    assert_eq!(found["_entities"][0]["code"], program["code"]);
    // Anonymous callers get nothing.
    let first = json!({ "reps": [{ "__typename": objects[0].0, "id": objects[0].1 }] });
    let (_, anonymous) = app.post(None, ENTITIES, first).await;
    assert_eq!(
        error_code(&anonymous),
        Some("UNAUTHENTICATED"),
        "{anonymous}"
    );
    app.finish().await;
}

async fn without_federation_there_is_no_subgraph(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for query in [SERVICE, ENTITIES] {
        let body = app.gql_as(HANOI_ADMIN, query, json!({ "reps": [] })).await;
        assert_eq!(
            error_code(&body),
            Some("GRAPHQL_VALIDATION_FAILED"),
            "{query}: {body}"
        );
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn federation_serves_entities_within_scope_sqlite() {
    federation_serves_entities_within_scope(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn federation_serves_entities_within_scope_postgres() {
    if postgres_url().is_none() {
        eprintln!("SKIPPED federation postgres: set TEST_DATABASE_URL to run it");
        return;
    }
    federation_serves_entities_within_scope(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_federation_there_is_no_subgraph_sqlite() {
    without_federation_there_is_no_subgraph(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_federation_there_is_no_subgraph_postgres() {
    if postgres_url().is_none() {
        eprintln!("SKIPPED federation postgres: set TEST_DATABASE_URL to run it");
        return;
    }
    without_federation_there_is_no_subgraph(Backend::Postgres).await;
}
