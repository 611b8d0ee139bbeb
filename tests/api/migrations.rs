//! Every migration runs up, down and up again on both databases.

use khuyenhoc_core::db::{self, DatabaseSettings};
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::{postgres_url, with_database};

async fn up_down_up(url: &str) {
    let db = db::connect(&DatabaseSettings {
        url: url.to_owned(),
        ..Default::default()
    })
    .await
    .unwrap();
    db::migrate(&db).await.unwrap();
    let state = db::migration_status(&db).await.unwrap();
    assert!(state.pending.is_empty() && !state.applied.is_empty());
    khuyenhoc_core::demo::seed(&db).await.unwrap();
    db::rollback(&db, None).await.unwrap();
    let state = db::migration_status(&db).await.unwrap();
    assert!(state.applied.is_empty(), "{state:?}");
    db::migrate(&db).await.unwrap();
    let state = db::migration_status(&db).await.unwrap();
    assert!(state.pending.is_empty());
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        // Autovacuum keeps pace with the tables daily work writes (m20261207_000014).
        let row = db
            .query_one_raw(Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT array_to_string(reloptions, ',') AS o FROM pg_class WHERE relname = 'assessment'",
            ))
            .await
            .unwrap()
            .unwrap();
        let options: String = row.try_get("", "o").unwrap();
        assert!(
            options.contains("autovacuum_vacuum_insert_scale_factor=0.02"),
            "{options}"
        );
    }
    // A migration unknown to this binary means a newer binary migrated the database.
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29990101_000001_from_the_future', 0)",
    ))
    .await
    .unwrap();
    let err = db::migrate(&db).await.unwrap_err().to_string();
    assert!(err.contains("newer version"), "{err}");
    db.close().await.unwrap();
}

#[tokio::test]
async fn sqlite_up_down_up() {
    let dir = tempfile::tempdir().unwrap();
    up_down_up(&format!("sqlite://{}/m.db", dir.path().display())).await;
}

#[tokio::test]
async fn postgres_up_down_up() {
    let Some(admin_url) = postgres_url() else {
        eprintln!("SKIPPED migrations::postgres_up_down_up: set TEST_DATABASE_URL to run it");
        return;
    };
    let admin = db::connect(&DatabaseSettings {
        url: admin_url.clone(),
        ..Default::default()
    })
    .await
    .unwrap();
    let name = format!(
        "khtest_mig_{}_{:08x}",
        std::process::id(),
        rand::random::<u32>()
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    up_down_up(&with_database(&admin_url, &name)).await;
    admin
        .execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
}
