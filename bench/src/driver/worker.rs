//! One simulated client: picks operations by weight, builds their variables, sends them and
//! records a [`Sample`] per operation. Writes feed shared pools (sessions to register into,
//! assessments to approve) and count their successes for the after-run check.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use super::client::{self, Reply};
use super::context::{Context, global_id, row_id};
use super::ops::{self, Op};
use crate::actors::Actor;
use crate::dataset::YEARS;

/// One recorded operation.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Which operation.
    pub op: Op,
    /// Its latency (the whole chain for `SubmitAssessment`).
    pub latency: Duration,
    /// SQL statements it ran (summed over a chain).
    pub statements: u64,
    /// Its error codes (empty on success).
    pub errors: Vec<String>,
}

/// Successful writes, counted as the server confirms them.
#[derive(Debug, Default)]
pub struct WriteCounters {
    /// Sessions planned (including the pool seeded before the first level).
    pub planned: AtomicU64,
    /// Participants registered.
    pub registered: AtomicU64,
    /// Assessments created.
    pub created: AtomicU64,
    /// Assessments submitted.
    pub submitted: AtomicU64,
    /// Assessments approved.
    pub approved: AtomicU64,
}

/// State shared by all workers of a run.
#[derive(Debug)]
pub struct Shared {
    client: reqwest::Client,
    endpoint: String,
    tokens: HashMap<Actor, String>,
    /// Ids from the database.
    pub ctx: Context,
    ops: Vec<Op>,
    /// Tags every row this run writes (`BENCH <run> …`), so the check counts only them.
    pub run_id: String,
    sessions: Mutex<Vec<String>>,
    /// Submitted assessments waiting for approval: id, version, whether the result passes.
    to_approve: Mutex<VecDeque<(String, i64, bool)>>,
    sequence: AtomicU64,
    /// Confirmed writes.
    pub counters: WriteCounters,
}

const SEARCHES: [&str; 6] = [
    "nguyen van",
    "tran thi",
    "le minh",
    "dong ho pham",
    "thon hoa binh",
    "dang",
];
const STATUSES: [&str; 4] = ["DRAFT", "SUBMITTED", "APPROVED", "RETURNED"];

impl Shared {
    /// Prepares the HTTP client (keep-alive, no timeout beyond the server's own).
    pub fn new(
        base: &str,
        tokens: HashMap<Actor, String>,
        ctx: Context,
        ops: Vec<Op>,
    ) -> Result<Self> {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .tcp_nodelay(true)
            .build()?;
        let run_id = format!("{:x}", chrono::Utc::now().timestamp());
        Ok(Self {
            client,
            endpoint: format!("{base}/graphql"),
            tokens,
            ctx,
            ops,
            run_id,
            sessions: Mutex::new(Vec::new()),
            to_approve: Mutex::new(VecDeque::new()),
            sequence: AtomicU64::new(0),
            counters: WriteCounters::default(),
        })
    }

    /// Plans `n` sessions so registrations have somewhere to go from the first request.
    pub async fn seed_sessions(&self, n: usize) {
        for _ in 0..n {
            self.plan_session().await;
        }
    }

    fn next(&self) -> u64 {
        self.sequence.fetch_add(1, Ordering::Relaxed)
    }

    async fn send(&self, op: Op, document: &str, variables: Value) -> Reply {
        let token = self.tokens.get(&op.actor()).map_or("", String::as_str);
        client::post(&self.client, &self.endpoint, token, document, variables).await
    }

    async fn plan_session(&self) -> Reply {
        let n = self.next();
        let starts =
            chrono::DateTime::from_timestamp(1_798_761_600 + (n as i64 % 8_000) * 3_600, 0)
                .unwrap_or_default();
        let ends = starts + chrono::Duration::hours(3);
        let input = json!({
            "organiserId": global_id("Organisation", self.ctx.province),
            "startsAt": starts.to_rfc3339(),
            "endsAt": ends.to_rfc3339(),
            "details": {
                "title": format!("BENCH {} tập huấn số {n}", self.run_id),
                "mode": "IN_PERSON",
                "venue": "Hội trường Hội Khuyến học",
                "audience": ["KEY_STAFF"],
            }
        });
        let reply = self
            .send(
                Op::PlanSession,
                ops::Op::PlanSession.document(),
                json!({ "input": input }),
            )
            .await;
        if let Some(id) = reply
            .data
            .pointer("/planTrainingSession/session/id")
            .and_then(Value::as_str)
            .filter(|_| reply.errors.is_empty())
        {
            self.counters.planned.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut pool) = self.sessions.lock() {
                pool.push(id.to_owned());
            }
        }
        reply
    }

    async fn register(&self, rng: &mut StdRng) -> Reply {
        let session = self
            .sessions
            .lock()
            .ok()
            .and_then(|pool| pool.choose(rng).cloned())
            .unwrap_or_default();
        let n = self.next();
        let input = json!({
            "sessionId": session,
            "personName": format!("Học viên benchmark {n}"),
            "contact": format!("bench-{}-{n}", self.run_id),
            "organisationId": global_id("Organisation", self.ctx.province),
            "position": "Cán bộ Hội",
        });
        let reply = self
            .send(
                Op::RegisterParticipant,
                Op::RegisterParticipant.document(),
                json!({ "input": input }),
            )
            .await;
        if reply.errors.is_empty()
            && reply
                .data
                .pointer("/registerParticipant/registration/id")
                .is_some()
        {
            self.counters.registered.fetch_add(1, Ordering::Relaxed);
        }
        reply
    }

    /// create → save scores → submit, as the commune editor. Latency and statements are summed.
    async fn submit_assessment(&self, rng: &mut StdRng) -> Reply {
        let n = self.next();
        let create = json!({ "input": {
            "checklistId": global_id("CriteriaChecklist", self.ctx.family_checklist),
            "organisationId": global_id("Organisation", self.ctx.commune),
            "periodYear": YEARS[YEARS.len() - 1],
            "subject": { "kind": "FAMILY", "name": format!("Bench {} gia đình số {n}", self.run_id) },
        }});
        let mut total = self
            .send(Op::SubmitAssessment, ops::CREATE_ASSESSMENT, create)
            .await;
        let Some((id, version)) = payload_id(&total, "createAssessment") else {
            return total;
        };
        self.counters.created.fetch_add(1, Ordering::Relaxed);
        let scores: Vec<Value> = self
            .ctx
            .family_criteria
            .iter()
            .map(|code| json!({ "criterionCode": code, "points": rng.random_range(6..=10) }))
            .collect();
        let save = self
            .send(
                Op::SubmitAssessment,
                ops::SAVE_SCORES,
                json!({ "input": { "id": id, "version": version, "scores": scores } }),
            )
            .await;
        let saved = payload_id(&save, "saveAssessmentScores");
        let passing = save
            .data
            .pointer("/saveAssessmentScores/assessment/result/code")
            .and_then(Value::as_str)
            .is_some_and(|code| code != "NOT_MET");
        absorb(&mut total, save);
        let Some((_, version)) = saved else {
            return total;
        };
        let submit = self
            .send(
                Op::SubmitAssessment,
                ops::SUBMIT_ASSESSMENT,
                json!({ "input": { "id": id, "version": version } }),
            )
            .await;
        let submitted = payload_id(&submit, "submitAssessment");
        absorb(&mut total, submit);
        if let Some((id, version)) = submitted {
            self.counters.submitted.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut queue) = self.to_approve.lock() {
                queue.push_back((id, version, passing));
            }
        }
        total
    }

    fn take_submitted(&self) -> Option<(String, i64, bool)> {
        self.to_approve.lock().ok().and_then(|mut q| q.pop_front())
    }

    /// Approves; a passing result needs its recognition decision, a failing one must have none.
    async fn approve(&self, id: String, version: i64, passing: bool) -> Reply {
        let mut input = json!({ "id": id, "version": version });
        if passing {
            input["decision"] = json!({
                "decisionNumber": format!("{}/QĐ-BENCH", self.next()),
                "authorityName": "Ủy ban nhân dân xã (benchmark)",
                "decidedOn": format!("{}-12-01", YEARS[YEARS.len() - 1]),
            });
        }
        let reply = self
            .send(
                Op::ApproveAssessment,
                Op::ApproveAssessment.document(),
                json!({ "input": input }),
            )
            .await;
        if payload_id(&reply, "approveAssessment").is_some() {
            self.counters.approved.fetch_add(1, Ordering::Relaxed);
        }
        reply
    }

    fn pick(&self, rng: &mut StdRng) -> Op {
        let total: u32 = self.ops.iter().map(|op| op.weight()).sum();
        let mut roll = rng.random_range(0..total.max(1));
        for op in &self.ops {
            if roll < op.weight() {
                return *op;
            }
            roll -= op.weight();
        }
        self.ops.first().copied().unwrap_or(Op::NodeLookup)
    }

    /// Sends one operation; returns what to record under which operation.
    async fn execute(&self, op: Op, rng: &mut StdRng) -> (Op, Reply) {
        let ctx = &self.ctx;
        let province = global_id("Organisation", ctx.province);
        let year = *YEARS.choose(rng).unwrap_or(&YEARS[0]);
        let variables = match op {
            Op::PlanSession => return (op, self.plan_session().await),
            Op::RegisterParticipant => return (op, self.register(rng).await),
            Op::SubmitAssessment => return (op, self.submit_assessment(rng).await),
            Op::ApproveAssessment => {
                return match self.take_submitted() {
                    Some((id, version, passing)) => (op, self.approve(id, version, passing).await),
                    // Nothing to approve yet: submit one instead.
                    None => (Op::SubmitAssessment, self.submit_assessment(rng).await),
                };
            }
            Op::OrgTree => json!({ "id": province }),
            Op::ProgramDashboard | Op::ApprovalQueue | Op::PartnerPrograms => json!({}),
            Op::SessionCalendar => {
                let month = rng.random_range(0..36);
                json!({ "province": province,
                        "from": format!("{}-{:02}-01T00:00:00Z", 2024 + month / 12, month % 12 + 1) })
            }
            Op::AssessmentList => json!({ "filter": {
                "withinOrganisation": province, "periodYear": year,
                "statuses": [STATUSES.choose(rng).copied().unwrap_or("APPROVED")] } }),
            Op::AssessmentSearch => json!({ "filter": {
                "withinOrganisation": province, "periodYear": year,
                "search": SEARCHES.choose(rng).copied().unwrap_or("nguyen") } }),
            Op::NationalStatistics => {
                json!({ "id": global_id("Organisation", ctx.central), "year": year })
            }
            Op::ProvinceStatistics => json!({ "id": province, "year": year }),
            Op::NodeLookup => {
                let (kind, max) = *[
                    ("Assessment", ctx.max_assessment),
                    ("TrainingSession", ctx.max_session),
                    ("Program", ctx.max_program),
                    ("Organisation", ctx.max_organisation),
                ]
                .choose(rng)
                .unwrap_or(&("Organisation", 1));
                json!({ "id": global_id(kind, rng.random_range(1..=max.max(1))) })
            }
        };
        (op, self.send(op, op.document(), variables).await)
    }
}

/// The `(id, version)` a mutation payload returned, when it succeeded.
fn payload_id(reply: &Reply, field: &str) -> Option<(String, i64)> {
    if !reply.errors.is_empty() {
        return None;
    }
    let node = reply
        .data
        .get(field)?
        .as_object()?
        .values()
        .find(|v| v.is_object())?;
    let id = node.get("id")?.as_str()?;
    row_id(id)?;
    Some((id.to_owned(), node.get("version")?.as_i64()?))
}

/// Adds a chained request's latency, statements and errors to the chain's total.
fn absorb(total: &mut Reply, step: Reply) {
    total.latency += step.latency;
    total.statements += step.statements;
    total.errors.extend(step.errors);
}

/// The worker loop; records operations started after `measured_from`.
pub async fn work(
    shared: std::sync::Arc<Shared>,
    seed: u64,
    measured_from: Instant,
    ends: Instant,
) -> Vec<Sample> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut samples = Vec::new();
    loop {
        let started = Instant::now();
        if started >= ends {
            break;
        }
        let op = shared.pick(&mut rng);
        let (op, reply) = shared.execute(op, &mut rng).await;
        if started >= measured_from {
            samples.push(Sample {
                op,
                latency: reply.latency,
                statements: reply.statements,
                errors: reply.errors,
            });
        }
    }
    samples
}
