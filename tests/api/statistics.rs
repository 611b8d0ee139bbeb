//! Roll-up statistics over HTTP.
//!
//! * A property test: random subtrees with random assessments (states, results, models, years,
//!   archived or not), training sessions (around the Vietnamese new year too) and programs are
//!   written straight to the database; every figure of `statistics` and of each `byChild` entry,
//!   for the central association, the demo provinces and every new organisation, must equal a
//!   count made by plain iteration over all rows, with subtrees found by walking `parent_id`
//!   (not the stored paths the server uses). Checked again after `moveOrganisation` and
//!   `mergeOrganisation`.
//! * Scope: statistics only for members of the organisation or an ancestor.
//! * Batching: the statement count does not grow with the number of organisations asked.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU32, Ordering};

use base64::Engine;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use khuyenhoc_core::entity::enums::{
    AssessmentStatus, LearningModel, OrganisationKind, OrganisationStatus, ProgramStatus,
    SessionMode, SessionStatus, SubjectKind,
};
use khuyenhoc_core::entity::{
    assessment, criteria_checklist, organisation, program, training_session,
};
use khuyenhoc_core::search::normalize;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use sea_orm::{ActiveModelTrait, EntityTrait, Iterable, NotSet, Set};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

mod bench;

const YEARS: [i32; 3] = [2024, 2025, 2026];
const RESULTS: [(i32, &str); 4] = [(0, "NOT_MET"), (1, "LEVEL_1"), (2, "LEVEL_2"), (1, "MET")];

const STATISTICS: &str = r#"
fragment A on AssessmentStatistics { total draft submitted returned approved
  byResult { rank code count } byModel { model total approved recognised } }
fragment S on OrganisationStatistics { year model activePrograms
  assessments { ...A } trainingSessions { held registered attended }
  byChild { organisation { id } activePrograms assessments { ...A }
    trainingSessions { held registered attended } } }
query($ids: [ID!]!, $year: Int!, $model: LearningModel) {
  nodes(ids: $ids) { ... on Organisation { id statistics(year: $year, model: $model) { ...S } } }
}"#;

/// The same, but the children's assessments by workflow state only (what a list of children
/// shows, and what the server then reads per state).
const STATISTICS_BY_STATE: &str = r#"
fragment A on AssessmentStatistics { total draft submitted returned approved
  byResult { rank code count } byModel { model total approved recognised } }
fragment S on OrganisationStatistics { year model activePrograms
  assessments { ...A } trainingSessions { held registered attended }
  byChild { organisation { id } activePrograms
    assessments { total draft submitted returned approved }
    trainingSessions { held registered attended } } }
query($ids: [ID!]!, $year: Int!, $model: LearningModel) {
  nodes(ids: $ids) { ... on Organisation { id statistics(year: $year, model: $model) { ...S } } }
}"#;

/// One random case: two new provinces' shapes and the rows to spread over them.
#[derive(Debug, Clone)]
struct Dataset {
    /// Per new province, per commune: how many chi hội sit under it.
    provinces: (Vec<u8>, Vec<u8>),
    /// (organisation, model, year, status, result, archived)
    assessments: Vec<(usize, u8, u8, u8, u8, bool)>,
    /// (organisation, year, hours after the local new year, status, registered, attended, archived)
    sessions: Vec<(usize, u8, i64, u8, u8, u8, bool)>,
    /// (organisation, first year, extra years, status, archived)
    programs: Vec<(usize, u8, u8, u8, bool)>,
    /// Which model to filter by in the checks.
    model: u8,
}

/// Hours after a local new year: half of them within 12 hours of it, where Vietnam time and
/// UTC disagree on the year.
fn hours() -> impl Strategy<Value = i64> {
    prop_oneof![-12i64..12, 0i64..8760]
}

fn dataset() -> impl Strategy<Value = Dataset> {
    let tree = (
        prop::collection::vec(0u8..3, 2..4),
        prop::collection::vec(0u8..3, 1..3),
    );
    let archived = || prop::bool::weighted(0.15);
    (
        tree,
        prop::collection::vec(
            (any::<usize>(), 0u8..5, 0u8..3, 0u8..4, 0u8..4, archived()),
            0..50,
        ),
        prop::collection::vec(
            (
                any::<usize>(),
                0u8..3,
                hours(),
                0u8..3,
                0u8..40,
                any::<u8>(),
                archived(),
            ),
            0..20,
        ),
        prop::collection::vec((any::<usize>(), 0u8..3, 0u8..3, 0u8..4, archived()), 0..10),
        0u8..5,
    )
        .prop_map(
            |(provinces, assessments, sessions, programs, model)| Dataset {
                provinces,
                assessments,
                sessions,
                programs,
                model,
            },
        )
}

static CASE: AtomicU32 = AtomicU32::new(0);

fn pick<T: Copy>(values: &[T], i: u8) -> T {
    values[usize::from(i) % values.len()]
}

/// Midnight of 1 January `year` in Vietnam (UTC+7).
fn local_new_year(year: i32) -> DateTime<Utc> {
    let offset = FixedOffset::east_opt(7 * 3600).unwrap();
    let midnight = NaiveDate::from_ymd_opt(year, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    offset
        .from_local_datetime(&midnight)
        .unwrap()
        .with_timezone(&Utc)
}

async fn add_org(
    app: &TestApp,
    parent: &organisation::Model,
    kind: OrganisationKind,
    code: String,
    name: String,
) -> organisation::Model {
    let now = Utc::now();
    let row = organisation::ActiveModel {
        id: NotSet,
        code: Set(code),
        name_search: Set(normalize(&name)),
        name: Set(name),
        short_name: Set(None),
        kind: Set(kind),
        status: Set(OrganisationStatus::Active),
        parent_id: Set(Some(parent.id)),
        path: Set(format!("{}new/", parent.path)),
        depth: Set(parent.depth + 1),
        merged_into_id: Set(None),
        address: Set(None),
        email: Set(None),
        phone: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
    }
    .insert(&app.db)
    .await
    .unwrap();
    let mut active: organisation::ActiveModel = row.clone().into();
    active.path = Set(format!("{}{}/", parent.path, row.id));
    active.update(&app.db).await.unwrap()
}

/// Writes a dataset under two new provinces; returns (provinces, every new organisation).
async fn insert(
    app: &TestApp,
    data: &Dataset,
) -> ([organisation::Model; 2], Vec<organisation::Model>) {
    let case = CASE.fetch_add(1, Ordering::Relaxed);
    let orgs = organisation::Entity::find().all(&app.db).await.unwrap();
    let central = orgs
        .iter()
        .find(|o| o.kind == OrganisationKind::Central)
        .unwrap()
        .clone();
    let mut nodes = Vec::new();
    let mut provinces = Vec::new();
    for (p, communes) in [&data.provinces.0, &data.provinces.1]
        .into_iter()
        .enumerate()
    {
        let code = format!("ST{case}P{p}");
        let province = add_org(
            app,
            &central,
            OrganisationKind::Provincial,
            code.clone(),
            format!("Hội Khuyến học tỉnh Thử {case}-{p}"),
        )
        .await;
        nodes.push(province.clone());
        for (c, branches) in communes.iter().enumerate() {
            let commune = add_org(
                app,
                &province,
                OrganisationKind::Commune,
                format!("{code}C{c}"),
                format!("Hội Khuyến học xã Đông, Tây {case}-{p}-{c}"),
            )
            .await;
            nodes.push(commune.clone());
            for b in 0..*branches {
                let branch = add_org(
                    app,
                    &commune,
                    OrganisationKind::LocalBranch,
                    format!("{code}C{c}B{b}"),
                    format!("Chi hội thôn \"Đoài\" {b}"),
                )
                .await;
                nodes.push(branch);
            }
        }
        provinces.push(province);
    }
    let checklists = criteria_checklist::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    let now = Utc::now();
    let models: Vec<LearningModel> = LearningModel::iter().collect();
    let statuses: Vec<AssessmentStatus> = AssessmentStatus::iter().collect();
    let mut rows = Vec::new();
    for (n, &(org, model, year, status, result, archived)) in data.assessments.iter().enumerate() {
        let org = &nodes[org % nodes.len()];
        let model = pick(&models, model);
        let checklist = checklists.iter().find(|c| c.model == model).unwrap();
        let status = pick(&statuses, status);
        let (rank, code) = pick(&RESULTS, result);
        let submitted = status != AssessmentStatus::Draft;
        let approved = status == AssessmentStatus::Approved;
        rows.push(assessment::ActiveModel {
            id: NotSet,
            checklist_id: Set(checklist.id),
            checklist_code: Set(checklist.code.clone()),
            model: Set(model),
            organisation_id: Set(org.id),
            candidacy_id: Set(None),
            subject_kind: Set(SubjectKind::Family),
            subject_organisation_id: Set(None),
            subject_name: Set(format!("Gia đình ông Thử {case}-{n}")),
            subject_search: Set(format!("gia dinh ong thu {case}-{n}")),
            subject_key: Set(format!("test:{case}:{n}")),
            period_year: Set(pick(&YEARS, year)),
            status: Set(status),
            total_points: Set(Some(rank * 40)),
            result_rank: Set(rank),
            result_code: Set(code.to_owned()),
            submitted_at: Set(submitted.then_some(now)),
            approved_at: Set(approved.then_some(now)),
            approved_by: Set(None),
            approver_organisation_id: Set(approved.then_some(central.id)),
            return_comment: Set(None),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(archived.then_some(now)),
            version: Set(1),
        });
    }
    if !rows.is_empty() {
        assessment::Entity::insert_many(rows)
            .exec(&app.db)
            .await
            .unwrap();
    }
    let session_statuses: Vec<SessionStatus> = SessionStatus::iter().collect();
    let mut rows = Vec::new();
    for &(org, year, hours, status, registered, attended, archived) in &data.sessions {
        let starts = local_new_year(pick(&YEARS, year)) + Duration::hours(hours);
        let attended = i32::from(attended) % (i32::from(registered) + 1);
        rows.push(training_session::ActiveModel {
            id: NotSet,
            organiser_id: Set(nodes[org % nodes.len()].id),
            program_id: Set(None),
            title: Set("Tập huấn thử".into()),
            title_search: Set("tap huan thu".into()),
            description: Set(None),
            audience: Set(json!([])),
            mode: Set(SessionMode::InPerson),
            venue: Set(None),
            online_url: Set(None),
            starts_at: Set(starts),
            ends_at: Set(starts + Duration::hours(3)),
            capacity: Set(None),
            planned_participants: Set(None),
            status: Set(pick(&session_statuses, status)),
            cancellation_reason: Set(None),
            registered_count: Set(i32::from(registered)),
            attended_count: Set(attended),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(archived.then_some(now)),
            version: Set(1),
        });
    }
    if !rows.is_empty() {
        training_session::Entity::insert_many(rows)
            .exec(&app.db)
            .await
            .unwrap();
    }
    let program_statuses: Vec<ProgramStatus> = ProgramStatus::iter().collect();
    let mut rows = Vec::new();
    for (n, &(org, first, extra, status, archived)) in data.programs.iter().enumerate() {
        let first = pick(&YEARS, first) - 1;
        rows.push(program::ActiveModel {
            id: NotSet,
            code: Set(format!("ST{case}-PROG{n}")),
            owner_id: Set(nodes[org % nodes.len()].id),
            title: Set("Chương trình thử".into()),
            title_search: Set("chuong trinh thu".into()),
            agreement_number: Set(None),
            signed_on: Set(None),
            signed_place: Set(None),
            starts_on: Set(NaiveDate::from_ymd_opt(first, 7, 1).unwrap()),
            ends_on: Set(NaiveDate::from_ymd_opt(first + i32::from(extra), 12, 31).unwrap()),
            status: Set(pick(&program_statuses, status)),
            objectives: Set(None),
            content_areas: Set(json!([])),
            termination_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            archived_at: Set(archived.then_some(now)),
            version: Set(1),
        });
    }
    if !rows.is_empty() {
        program::Entity::insert_many(rows)
            .exec(&app.db)
            .await
            .unwrap();
    }
    // Written around the service, like a bulk load: recount the tallies the service keeps.
    khuyenhoc_core::service::statistics::tally::rebuild(&app.db)
        .await
        .unwrap();
    let provinces: [organisation::Model; 2] = provinces.try_into().unwrap();
    (provinces, nodes)
}

fn global(id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Organisation:{id}"))
}

/// Every row, for counting by plain iteration.
struct World {
    orgs: HashMap<i64, organisation::Model>,
    assessments: Vec<assessment::Model>,
    sessions: Vec<training_session::Model>,
    programs: Vec<program::Model>,
}

impl World {
    async fn load(app: &TestApp) -> Self {
        Self {
            orgs: organisation::Entity::find()
                .all(&app.db)
                .await
                .unwrap()
                .into_iter()
                .map(|o| (o.id, o))
                .collect(),
            assessments: assessment::Entity::find().all(&app.db).await.unwrap(),
            sessions: training_session::Entity::find().all(&app.db).await.unwrap(),
            programs: program::Entity::find().all(&app.db).await.unwrap(),
        }
    }

    /// Whether `org` is `root` or below it, walking `parent_id`.
    fn under(&self, org: i64, root: i64) -> bool {
        let mut current = Some(org);
        while let Some(id) = current {
            if id == root {
                return true;
            }
            current = self.orgs.get(&id).and_then(|o| o.parent_id);
        }
        false
    }

    /// `assessments`, `trainingSessions` and `activePrograms` of the subtree at `root`.
    fn figures(&self, root: i64, year: i32, model: Option<LearningModel>) -> Value {
        let of_year: Vec<&assessment::Model> = self
            .assessments
            .iter()
            .filter(|a| a.archived_at.is_none() && a.period_year == year)
            .filter(|a| model.is_none_or(|m| a.model == m))
            .filter(|a| self.under(a.organisation_id, root))
            .collect();
        let with = |s: AssessmentStatus| of_year.iter().filter(|a| a.status == s).count();
        let approved: Vec<&&assessment::Model> = of_year
            .iter()
            .filter(|a| a.status == AssessmentStatus::Approved)
            .collect();
        let mut results: BTreeMap<(i32, String), usize> = BTreeMap::new();
        for a in &approved {
            *results
                .entry((-a.result_rank, a.result_code.clone()))
                .or_default() += 1;
        }
        let models: Vec<LearningModel> = match model {
            Some(m) => vec![m],
            None => LearningModel::iter().collect(),
        };
        let (from, to) = (local_new_year(year), local_new_year(year + 1));
        let held: Vec<&training_session::Model> = self
            .sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Held && s.archived_at.is_none())
            .filter(|s| s.starts_at >= from && s.starts_at < to)
            .filter(|s| self.under(s.organiser_id, root))
            .collect();
        let (first, last) = (
            NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
        );
        let active = self
            .programs
            .iter()
            .filter(|p| p.status == ProgramStatus::Active && p.archived_at.is_none())
            .filter(|p| p.starts_on <= last && p.ends_on >= first)
            .filter(|p| self.under(p.owner_id, root))
            .count();
        json!({
            "activePrograms": active,
            "assessments": {
                "total": of_year.len(),
                "draft": with(AssessmentStatus::Draft),
                "submitted": with(AssessmentStatus::Submitted),
                "returned": with(AssessmentStatus::Returned),
                "approved": approved.len(),
                "byResult": results.iter().map(|((rank, code), n)| json!({ "rank": -rank, "code": code, "count": n })).collect::<Vec<_>>(),
                "byModel": models.iter().map(|m| json!({
                    "model": m.as_str(),
                    "total": of_year.iter().filter(|a| a.model == *m).count(),
                    "approved": approved.iter().filter(|a| a.model == *m).count(),
                    "recognised": approved.iter().filter(|a| a.model == *m && a.result_rank >= 1).count(),
                })).collect::<Vec<_>>(),
            },
            "trainingSessions": {
                "held": held.len(),
                "registered": held.iter().map(|s| s.registered_count).sum::<i32>(),
                "attended": held.iter().map(|s| s.attended_count).sum::<i32>(),
            },
        })
    }

    /// The whole `statistics` object of `root`, `byChild` sorted by id.
    fn statistics(&self, root: i64, year: i32, model: Option<LearningModel>) -> Value {
        let mut expected = self.figures(root, year, model);
        let empty = self.figures(-1, year, model);
        let mut children: Vec<Value> = self
            .orgs
            .values()
            .filter(|o| o.parent_id == Some(root))
            .filter_map(|child| {
                let mut figures = self.figures(child.id, year, model);
                if child.status == OrganisationStatus::Merged && figures == empty {
                    return None;
                }
                figures["organisation"] = json!({ "id": global(child.id) });
                Some(figures)
            })
            .collect();
        children.sort_by_key(|c| {
            c["organisation"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        });
        expected["byChild"] = Value::Array(children);
        expected["year"] = json!(year);
        expected["model"] = model.map_or(Value::Null, |m| json!(m.as_str()));
        expected
    }
}

/// Asks the statistics of `roots` in one request, once with every figure of every child and
/// once with the children's assessments by state only, and compares each with the brute force.
async fn compare(
    app: &TestApp,
    roots: &[i64],
    model: Option<LearningModel>,
) -> Result<(), TestCaseError> {
    let world = World::load(app).await;
    let ids: Vec<String> = roots.iter().map(|id| global(*id)).collect();
    for (year, by_state) in YEARS.into_iter().flat_map(|y| [(y, false), (y, true)]) {
        let query = if by_state {
            STATISTICS_BY_STATE
        } else {
            STATISTICS
        };
        let data = app
            .data_as(
                CENTRAL_ADMIN,
                query,
                json!({ "ids": ids, "year": year, "model": model.map(|m| m.as_str()) }),
            )
            .await;
        for (root, node) in roots.iter().zip(data["nodes"].as_array().unwrap()) {
            let mut got = node["statistics"].clone();
            if let Some(children) = got["byChild"].as_array_mut() {
                children.sort_by_key(|c| {
                    c["organisation"]["id"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned()
                });
            }
            let mut expected = world.statistics(*root, year, model);
            if by_state {
                for child in expected["byChild"].as_array_mut().into_iter().flatten() {
                    if let Some(assessments) = child["assessments"].as_object_mut() {
                        assessments.remove("byResult");
                        assessments.remove("byModel");
                    }
                }
            }
            if let Some(difference) = first_difference(&got, &expected, "statistics") {
                return Err(TestCaseError::fail(format!(
                    "organisation {root}, year {year}, model {model:?}, children by state \
                     {by_state}: {difference}"
                )));
            }
        }
    }
    Ok(())
}

/// Where `got` and `expected` first differ, as `path: got … expected …`.
fn first_difference(got: &Value, expected: &Value, path: &str) -> Option<String> {
    match (got, expected) {
        (Value::Object(g), Value::Object(e)) => e.keys().chain(g.keys()).find_map(|k| {
            first_difference(
                g.get(k).unwrap_or(&Value::Null),
                e.get(k).unwrap_or(&Value::Null),
                &format!("{path}.{k}"),
            )
        }),
        (Value::Array(g), Value::Array(e)) if g.len() == e.len() => g
            .iter()
            .zip(e)
            .enumerate()
            .find_map(|(i, (g, e))| first_difference(g, e, &format!("{path}[{i}]"))),
        _ if got == expected => None,
        _ => Some(format!("{path}: got {got}, expected {expected}")),
    }
}

async fn restructure(app: &TestApp, mutation: &str, input: Value) {
    let query = format!(
        "mutation($input: {}Input!) {{ {}(input: $input) {{ organisation {{ id }} userErrors {{ field code }} }} }}",
        mutation[..1].to_uppercase() + &mutation[1..],
        mutation
    );
    let data = app
        .data_as(CENTRAL_ADMIN, &query, json!({ "input": input }))
        .await;
    assert_eq!(data[mutation]["userErrors"], json!([]), "{data}");
}

async fn version(app: &TestApp, id: i64) -> i32 {
    organisation::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .version
}

async fn check_case(app: &TestApp, data: Dataset) -> Result<(), TestCaseError> {
    let ([p, q], nodes) = insert(app, &data).await;
    let world = World::load(app).await;
    let code = |c: &str| world.orgs.values().find(|o| o.code == c).unwrap().id;
    let mut roots = vec![code("VAPE"), code("HN"), code("HCM")];
    roots.extend(nodes.iter().map(|n| n.id));
    let model = LearningModel::iter().nth(usize::from(data.model));
    compare(app, &roots, None).await?;
    compare(app, &roots, model).await?;

    // Move P's last commune (with its chi hội) under Q, then merge Q's first commune into P's first.
    let communes = |province: &organisation::Model| -> Vec<i64> {
        nodes
            .iter()
            .filter(|n| n.parent_id == Some(province.id))
            .map(|n| n.id)
            .collect()
    };
    let (p_communes, q_communes) = (communes(&p), communes(&q));
    let moved = *p_communes.last().unwrap();
    restructure(app, "moveOrganisation", json!({ "id": global(moved), "newParentId": global(q.id), "version": version(app, moved).await })).await;
    compare(app, &roots, None).await?;
    let (source, target) = (q_communes[0], p_communes[0]);
    restructure(app, "mergeOrganisation", json!({ "sourceId": global(source), "targetId": global(target), "version": version(app, source).await })).await;
    compare(app, &roots, None).await?;
    compare(app, &roots, model).await
}

on_both!(statistics_equal_a_brute_force_count, |app| {
    let mut runner = TestRunner::new(Config {
        cases: 10,
        failure_persistence: None,
        ..Config::default()
    });
    let handle = tokio::runtime::Handle::current();
    let outcome = runner.run(&dataset(), |data| {
        tokio::task::block_in_place(|| handle.block_on(check_case(app, data)))
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
});

const ONE: &str = "query($id: ID!) { node(id: $id) { ... on Organisation { statistics(year: 2025) { assessments { total submitted } trainingSessions { held } activePrograms } } } }";

async fn statistics_as(app: &TestApp, email: &str, code: &str) -> Value {
    let id = app.org_id(code).await;
    app.data_as(email, ONE, json!({ "id": id })).await["node"]["statistics"].clone()
}

on_both!(statistics_follow_the_scope, |app| {
    let own = statistics_as(app, HANOI_ADMIN, "HN").await;
    assert!(own["assessments"]["total"].as_i64().unwrap() > 0, "{own}");
    assert_eq!(statistics_as(app, HANOI_VIEWER, "HN").await, own);
    assert_eq!(statistics_as(app, CENTRAL_ADMIN, "HN").await, own);
    // Another province, an ancestor read only as reference data: nothing.
    assert_eq!(statistics_as(app, HANOI_ADMIN, "HCM").await, Value::Null);
    assert_eq!(statistics_as(app, HANOI_ADMIN, "VAPE").await, Value::Null);
    // A commune editor sees its commune, not its province.
    assert!(
        statistics_as(app, COMMUNE_EDITOR, "HN-BADINH")
            .await
            .is_object()
    );
    assert_eq!(statistics_as(app, COMMUNE_EDITOR, "HN").await, Value::Null);
    // A partner body sees nothing of the association.
    for code in ["VAPE", "HN", "HCM", "HN-BADINH"] {
        assert_eq!(
            statistics_as(app, MOET_PARTNER, code).await,
            Value::Null,
            "{code}"
        );
    }
    // A year outside the table's range is a bad argument.
    let body = app
        .gql_as(CENTRAL_ADMIN, "query($id: ID!) { node(id: $id) { ... on Organisation { statistics(year: 1800) { activePrograms } } } }", json!({ "id": app.org_id("HN").await }))
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
});

/// The statements a request ran (the `x-sql-statements` response header).
async fn statements(app: &TestApp, query: &str, variables: Value) -> u64 {
    let token = app.token(CENTRAL_ADMIN).await;
    app.post_counted(&token, query, variables).await.0
}

on_both!(statistics_of_many_organisations_are_batched, |app| {
    let hanoi = app.org_id("HN").await;
    let central = app.org_id("VAPE").await;
    let one = statements(app, ONE, json!({ "id": hanoi })).await;
    // The centre, then every province's statistics, then every commune's: three batches.
    let nested = "query($id: ID!) { node(id: $id) { ... on Organisation { statistics(year: 2025) {
        byChild { organisation { statistics(year: 2025) { byChild { organisation {
          statistics(year: 2025) { activePrograms } } } } } } } } } }";
    let many = statements(app, nested, json!({ "id": central })).await;
    assert!(
        many <= 3 * one,
        "one organisation: {one} statements; every province and commune: {many}"
    );
});

on_both!(children_are_read_as_finely_as_the_query_asks, |app| {
    let hanoi = app.org_id("HN").await;
    let by_state =
        "query($id: ID!) { node(id: $id) { ... on Organisation { statistics(year: 2025) {
        byChild { organisation { name } assessments { total approved } } } } } }";
    // Asked through an alias and an inline fragment, the figures by model are still read.
    let by_model =
        "query($id: ID!) { node(id: $id) { ... on Organisation { statistics(year: 2025) {
        byChild { organisation { name } a: assessments { total approved
          ... on AssessmentStatistics { m: byModel { total approved } } } } } } } }";
    let state = app
        .data_as(CENTRAL_ADMIN, by_state, json!({ "id": hanoi }))
        .await;
    let model = app
        .data_as(CENTRAL_ADMIN, by_model, json!({ "id": hanoi }))
        .await;
    let children = |data: &Value| data["node"]["statistics"]["byChild"].as_array().cloned();
    let (state, model) = (children(&state).unwrap(), children(&model).unwrap());
    assert_eq!(state.len(), model.len());
    assert!(
        state
            .iter()
            .any(|c| c["assessments"]["total"].as_i64() > Some(0)),
        "the demo's Hà Nội communes have assessments: {state:?}"
    );
    for (s, m) in state.iter().zip(&model) {
        assert_eq!(s["organisation"], m["organisation"]);
        assert_eq!(s["assessments"]["total"], m["a"]["total"]);
        assert_eq!(s["assessments"]["approved"], m["a"]["approved"]);
        let by_model: i64 = m["a"]["m"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|row| row["total"].as_i64())
            .sum();
        assert_eq!(Some(by_model), s["assessments"]["total"].as_i64(), "{m}");
    }
});
