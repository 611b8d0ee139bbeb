//! The operation mix: what each operation sends, who sends it, how often, and the most SQL
//! statements it may cost. `bench/README.md` documents the same table for operators.
//!
//! The statement limits are the point of the benchmark's assertion: each is a small constant
//! that must not grow with the data (the server batches every relation through dataloaders).
//! They were measured on the `small` and `national` sets, which run the same counts; raising one
//! needs a reason in review.

use crate::actors::Actor;

/// One kind of request (or, for `SubmitAssessment`, a chain of three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The province's tree two levels down (children and grandchildren with counts).
    OrgTree,
    /// Active programs with owner, parties, indicator progress, reports and sessions.
    ProgramDashboard,
    /// A province's session calendar from a month on, by start time.
    SessionCalendar,
    /// The province's assessments of a year in a status, newest first, with total count.
    AssessmentList,
    /// The same list narrowed by a diacritic-insensitive name search.
    AssessmentSearch,
    /// Submitted assessments the province may approve, oldest first.
    ApprovalQueue,
    /// `Organisation.statistics` of the central association (per province).
    NationalStatistics,
    /// `Organisation.statistics` of the province (per commune).
    ProvinceStatistics,
    /// `node(id)` of a random assessment, session, program or organisation.
    NodeLookup,
    /// A partner's programs with their reports and sessions.
    PartnerPrograms,
    /// `planTrainingSession` in the province.
    PlanSession,
    /// `registerParticipant` into a session planned during the run.
    RegisterParticipant,
    /// `createAssessment` + `saveAssessmentScores` + `submitAssessment` by the commune.
    SubmitAssessment,
    /// `approveAssessment` by the province of one submitted during the run.
    ApproveAssessment,
}

impl Op {
    /// Every operation, in report order.
    pub const ALL: [Op; 14] = [
        Op::OrgTree,
        Op::ProgramDashboard,
        Op::SessionCalendar,
        Op::AssessmentList,
        Op::AssessmentSearch,
        Op::ApprovalQueue,
        Op::NationalStatistics,
        Op::ProvinceStatistics,
        Op::NodeLookup,
        Op::PartnerPrograms,
        Op::PlanSession,
        Op::RegisterParticipant,
        Op::SubmitAssessment,
        Op::ApproveAssessment,
    ];

    /// The name used in reports and in `--only`.
    pub fn name(self) -> &'static str {
        match self {
            Op::OrgTree => "org_tree",
            Op::ProgramDashboard => "program_dashboard",
            Op::SessionCalendar => "session_calendar",
            Op::AssessmentList => "assessment_list",
            Op::AssessmentSearch => "assessment_search",
            Op::ApprovalQueue => "approval_queue",
            Op::NationalStatistics => "national_statistics",
            Op::ProvinceStatistics => "province_statistics",
            Op::NodeLookup => "node_lookup",
            Op::PartnerPrograms => "partner_programs",
            Op::PlanSession => "plan_session",
            Op::RegisterParticipant => "register_participant",
            Op::SubmitAssessment => "submit_assessment",
            Op::ApproveAssessment => "approve_assessment",
        }
    }

    /// Who sends it.
    pub fn actor(self) -> Actor {
        match self {
            Op::ProgramDashboard | Op::NationalStatistics | Op::NodeLookup => Actor::CentralAdmin,
            Op::SubmitAssessment => Actor::CommuneEditor,
            Op::PartnerPrograms => Actor::PartnerEditor,
            _ => Actor::ProvinceAdmin,
        }
    }

    /// Relative frequency in the mix (out of 100).
    pub fn weight(self) -> u32 {
        match self {
            Op::OrgTree => 8,
            Op::ProgramDashboard => 10,
            Op::SessionCalendar => 12,
            Op::AssessmentList => 10,
            Op::AssessmentSearch => 6,
            Op::ApprovalQueue => 8,
            Op::NationalStatistics => 3,
            Op::ProvinceStatistics => 6,
            Op::NodeLookup => 14,
            Op::PartnerPrograms => 6,
            Op::PlanSession => 2,
            Op::RegisterParticipant => 8,
            Op::SubmitAssessment => 4,
            Op::ApproveAssessment => 3,
        }
    }

    /// The most SQL statements one operation may run (the sum over the chain for
    /// `SubmitAssessment`), as reported by the server's `x-sql-statements` header. Each counts
    /// the actor's lookup (1: the user with its live memberships, `Actor::load`) and the
    /// operation's batched queries. The writes allow for the first use of a checklist, whose
    /// scoring sheet (4 statements) the server then keeps (`BASELINE.md`, finding 22). A batch of
    /// organisations by id runs a second statement for those its paths cannot prove readable
    /// (partner bodies and program owners outside the viewer's tree: the dashboard's parties,
    /// the partner's owners and parties; finding 23). A search's first page counts its
    /// matches in the statement that finds it (finding 26).
    pub fn statement_limit(self) -> u64 {
        match self {
            Op::OrgTree => 4,
            Op::ProgramDashboard => 11,
            Op::SessionCalendar => 4,
            Op::AssessmentList => 7,
            Op::AssessmentSearch => 6,
            Op::ApprovalQueue => 5,
            Op::NationalStatistics => 7,
            Op::ProvinceStatistics => 7,
            Op::NodeLookup => 8,
            Op::PartnerPrograms => 10,
            Op::PlanSession => 5,
            Op::RegisterParticipant => 10,
            Op::SubmitAssessment => 38,
            Op::ApproveAssessment => 17,
        }
    }

    /// The GraphQL document.
    pub fn document(self) -> &'static str {
        match self {
            Op::OrgTree => ORG_TREE,
            Op::ProgramDashboard => PROGRAM_DASHBOARD,
            Op::SessionCalendar => SESSION_CALENDAR,
            Op::AssessmentList | Op::AssessmentSearch => ASSESSMENT_LIST,
            Op::ApprovalQueue => APPROVAL_QUEUE,
            Op::NationalStatistics | Op::ProvinceStatistics => STATISTICS,
            Op::NodeLookup => NODE,
            Op::PartnerPrograms => PARTNER_PROGRAMS,
            Op::PlanSession => PLAN_SESSION,
            Op::RegisterParticipant => REGISTER_PARTICIPANT,
            Op::SubmitAssessment => CREATE_ASSESSMENT,
            Op::ApproveAssessment => APPROVE_ASSESSMENT,
        }
    }
}

const ORG_TREE: &str = r#"query OrgTree($id: ID!) {
  organisation(id: $id) {
    name code
    children(first: 20) {
      totalCount
      nodes { id name kind children(first: 5) { totalCount nodes { name kind } } }
    }
  }
}"#;

const PROGRAM_DASHBOARD: &str = r#"query ProgramDashboard {
  programs(filter: { statuses: [ACTIVE] }, first: 10) {
    nodes {
      title
      owner { name }
      parties { role organisation { name } }
      indicatorProgress { commitment { indicator } targetValue latestValue ratio }
      reports(first: 5) { nodes { kind periodYear status reportingOrganisation { name } } }
      trainingSessions(first: 5) { nodes { title startsAt registeredCount seatsLeft } }
    }
  }
}"#;

const SESSION_CALENDAR: &str = r#"query SessionCalendar($province: ID!, $from: DateTime!) {
  trainingSessions(
    filter: { withinOrganisation: $province, startsFrom: $from }
    orderBy: { field: STARTS_AT, direction: ASC }
    first: 20
  ) {
    nodes { title mode startsAt venue organiser { name } registeredCount attendedCount }
    pageInfo { hasNextPage endCursor }
  }
}"#;

const ASSESSMENT_LIST: &str = r#"query AssessmentList($filter: AssessmentFilter!) {
  assessments(filter: $filter, orderBy: { field: UPDATED_AT, direction: DESC }, first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id subjectName subjectKind status totalPoints
      result { code label }
      organisation { name }
      checklist { code title }
    }
  }
}"#;

const APPROVAL_QUEUE: &str = r#"query ApprovalQueue {
  approvalQueue(first: 20) {
    totalCount
    nodes { id subjectName submittedAt organisation { name } checklist { title } }
  }
}"#;

const STATISTICS: &str = r#"query Statistics($id: ID!, $year: Int!) {
  organisation(id: $id) {
    statistics(year: $year) {
      year activePrograms
      assessments {
        total draft submitted approved returned
        byModel { model total approved recognised }
        byResult { code rank count }
      }
      trainingSessions { held registered attended }
      byChild {
        organisation { name }
        activePrograms
        assessments { total approved }
        trainingSessions { held registered }
      }
    }
  }
}"#;

const NODE: &str = r#"query Node($id: ID!) {
  node(id: $id) {
    id
    ... on Assessment {
      subjectName status totalPoints result { code }
      organisation { name }
      scores { points met criterion { code } }
      transitions { toStatus occurredAt }
    }
    ... on TrainingSession { title startsAt registeredCount organiser { name } program { title } }
    ... on Program { title status owner { name } parties { role organisation { name } } }
    ... on Organisation { name kind parent { name } ancestors { name } }
  }
}"#;

const PARTNER_PROGRAMS: &str = r#"query PartnerPrograms {
  programs(first: 10) {
    totalCount
    nodes {
      title status owner { name }
      parties { role organisation { name } }
      reports(first: 3) { nodes { kind periodYear status } }
      trainingSessions(first: 3) { nodes { title startsAt } }
    }
  }
}"#;

const PLAN_SESSION: &str = r#"mutation PlanSession($input: PlanTrainingSessionInput!) {
  planTrainingSession(input: $input) { session { id version } userErrors { field code message } }
}"#;

const REGISTER_PARTICIPANT: &str = r#"mutation Register($input: RegisterParticipantInput!) {
  registerParticipant(input: $input) { registration { id } userErrors { field code message } }
}"#;

/// First step of `SubmitAssessment`.
pub const CREATE_ASSESSMENT: &str = r#"mutation CreateAssessment($input: CreateAssessmentInput!) {
  createAssessment(input: $input) { assessment { id version } userErrors { field code message } }
}"#;

/// Second step of `SubmitAssessment`.
pub const SAVE_SCORES: &str = r#"mutation SaveScores($input: SaveAssessmentScoresInput!) {
  saveAssessmentScores(input: $input) {
    assessment { id version status totalPoints result { code } }
    userErrors { field code message }
  }
}"#;

/// Third step of `SubmitAssessment`.
pub const SUBMIT_ASSESSMENT: &str = r#"mutation Submit($input: AssessmentStepInput!) {
  submitAssessment(input: $input) { assessment { id version status } userErrors { field code message } }
}"#;

const APPROVE_ASSESSMENT: &str = r#"mutation Approve($input: ApproveAssessmentInput!) {
  approveAssessment(input: $input) { assessment { id version status } userErrors { field code message } }
}"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_one_hundred() {
        assert_eq!(Op::ALL.iter().map(|op| op.weight()).sum::<u32>(), 100);
    }
}
