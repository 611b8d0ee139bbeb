//! Coordination programs (chương trình phối hợp) over HTTP, on SQLite and PostgreSQL: the life
//! cycle of a program and of each of its parts (parties, commitments, legal basis, reports with
//! indicator values) with optimistic concurrency, every validation rule with its code, the report
//! workflow DRAFT → SUBMITTED → ACKNOWLEDGED with `indicatorProgress`, listing (filters,
//! diacritic-insensitive search, orders, paging both ways and while rows arrive), and scope.
//!
//! Validation failures come back as `userErrors { field code }` in the payload, with nothing
//! written; ids that cannot name anything, cursors and page sizes are a `BAD_USER_INPUT` error
//! with `extensions.fields`; stale versions and changes to read-only programs are `CONFLICT`.
//! Expected values are what the test wrote, the documented rules, or plain SQL.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

const CREATE_PROGRAM: &str = r#"mutation($input: CreateProgramInput!) {
  createProgram(input: $input) {
    program { id code title status version agreementNumber signedOn signedPlace startsOn endsOn
      objectives contentAreas owner { code } }
    userErrors { field code }
  }
}"#;
const UPDATE_PROGRAM: &str = r#"mutation($input: UpdateProgramInput!) {
  updateProgram(input: $input) {
    program { id title signedOn startsOn endsOn contentAreas version }
    userErrors { field code }
  }
}"#;
const CHANGE_STATUS: &str = r#"mutation($input: ChangeProgramStatusInput!) {
  changeProgramStatus(input: $input) {
    program { id status terminationReason version }
    userErrors { field code }
  }
}"#;
const ARCHIVE_PROGRAM: &str = r#"mutation($input: VersionedInput!) {
  archiveProgram(input: $input) { program { id archivedAt version } userErrors { field code } }
}"#;
const SET_LEGAL_BASIS: &str = r#"mutation($input: SetProgramLegalBasisInput!) {
  setProgramLegalBasis(input: $input) {
    program { id version legalBasis { number } }
    userErrors { field code }
  }
}"#;
const ADD_PARTY: &str = r#"mutation($input: AddProgramPartyInput!) {
  addProgramParty(input: $input) {
    party { id role duties signatoryName signatoryTitle organisation { code } }
    userErrors { field code }
  }
}"#;
const REMOVE_PARTY: &str = r#"mutation($input: RemoveProgramPartyInput!) {
  removeProgramParty(input: $input) { party { id organisation { code } } userErrors { field code } }
}"#;
const CREATE_COMMITMENT: &str = r#"mutation($input: CreateCommitmentInput!) {
  createCommitment(input: $input) {
    commitment { id description indicator unit targetValue dueOn position version
      party { organisation { code } } }
    userErrors { field code }
  }
}"#;
const UPDATE_COMMITMENT: &str = r#"mutation($input: UpdateCommitmentInput!) {
  updateCommitment(input: $input) {
    commitment { id description indicator unit targetValue dueOn version }
    userErrors { field code }
  }
}"#;
const ARCHIVE_COMMITMENT: &str = r#"mutation($input: VersionedInput!) {
  archiveCommitment(input: $input) { commitment { id version } userErrors { field code } }
}"#;

/// A document followed by the `ReportFields` fragment every report mutation returns.
macro_rules! with_report_fields {
    ($doc:literal) => {
        concat!(
            $doc,
            "\nfragment ReportFields on ProgramReport {
  id title kind periodYear status version achievements shortcomings proposals submittedAt
  acknowledgedAt acknowledgedBy { email } reportingOrganisation { code }
  indicatorValues { value note commitment { id } }
}"
        )
    };
}
const CREATE_REPORT: &str = with_report_fields!(
    r#"mutation($input: CreateProgramReportInput!) {
  createProgramReport(input: $input) { report { ...ReportFields } userErrors { field code } }
}"#
);
const UPDATE_REPORT: &str = with_report_fields!(
    r#"mutation($input: UpdateProgramReportInput!) {
  updateProgramReport(input: $input) { report { ...ReportFields } userErrors { field code } }
}"#
);
const SUBMIT_REPORT: &str = with_report_fields!(
    r#"mutation($input: VersionedInput!) {
  submitProgramReport(input: $input) { report { ...ReportFields } userErrors { field code } }
}"#
);
const ACKNOWLEDGE_REPORT: &str = with_report_fields!(
    r#"mutation($input: VersionedInput!) {
  acknowledgeProgramReport(input: $input) { report { ...ReportFields } userErrors { field code } }
}"#
);
const REPORT: &str =
    with_report_fields!(r#"query($id: ID!) { node(id: $id) { ...ReportFields } }"#);
const PROGRAM: &str = r#"query($id: ID!) {
  program(id: $id) {
    id code title agreementNumber signedOn signedPlace startsOn endsOn status objectives
    contentAreas terminationReason archivedAt createdAt version owner { code }
    parties { id role duties organisation { code } commitments { id } }
    commitments { id description indicator unit targetValue dueOn position version
      party { organisation { code } } }
    legalBasis { number }
    indicatorProgress { commitment { id } targetValue latestValue ratio latestReport { id } }
    reports(first: 50) { totalCount nodes { id reportingOrganisation { code } } }
  }
}"#;
const PROGRAMS: &str = r#"query($filter: ProgramFilter, $orderBy: ProgramOrder, $first: Int,
    $after: String, $last: Int, $before: String) {
  programs(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last,
      before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id code }
  }
}"#;
const REPORTS: &str = r#"query($first: Int, $after: String) {
  programReports(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id title kind periodYear program { code } reportingOrganisation { code } }
  }
}"#;
const NODE: &str = "query($id: ID!) { node(id: $id) { id } }";

const PERIOD: (&str, &str) = ("2026-01-01", "2028-12-31");

// ---------------------------------------------------------------------------------------------
// Helpers

/// A demo account calling the API of a test app.
#[derive(Clone, Copy)]
struct Caller<'a> {
    app: &'a TestApp,
    email: &'a str,
}

fn by<'a>(app: &'a TestApp, email: &'a str) -> Caller<'a> {
    Caller { app, email }
}

impl Caller<'_> {
    /// The raw response body of `doc` with `$input`.
    async fn body(&self, doc: &str, input: Value) -> Value {
        self.app
            .gql_as(self.email, doc, json!({ "input": input }))
            .await
    }

    /// The payload of a one-field mutation (a GraphQL error fails the test).
    async fn payload(&self, doc: &str, input: Value) -> Value {
        let got = self
            .app
            .data_as(self.email, doc, json!({ "input": input }))
            .await;
        got.as_object()
            .and_then(|o| o.values().next())
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// The changed object of a mutation that must succeed.
    async fn ok(&self, doc: &str, input: Value) -> Value {
        let payload = self.payload(doc, input).await;
        assert_eq!(payload["userErrors"], json!([]), "{payload:#}");
        let object = payload
            .as_object()
            .and_then(|o| o.iter().find(|(k, _)| *k != "userErrors"))
            .map(|(_, v)| v.clone())
            .unwrap_or(Value::Null);
        assert!(object.is_object(), "{payload:#}");
        object
    }

    /// The `userErrors` of a mutation that must be refused, as sorted `"field CODE"`.
    async fn errors(&self, doc: &str, input: Value) -> Vec<String> {
        let payload = self.payload(doc, input).await;
        let errors = field_codes(&payload["userErrors"]);
        assert!(!errors.is_empty(), "expected userErrors: {payload:#}");
        assert!(
            payload
                .as_object()
                .unwrap()
                .iter()
                .all(|(k, v)| k == "userErrors" || v.is_null()),
            "nothing is returned with userErrors: {payload:#}"
        );
        errors
    }

    /// The `extensions.code` of a mutation that must fail with a GraphQL error.
    async fn refused(&self, doc: &str, input: Value) -> String {
        let body = self.body(doc, input).await;
        error_code(&body)
            .unwrap_or_else(|| panic!("expected an error: {body:#}"))
            .to_owned()
    }

    /// `extensions.fields` of a `BAD_USER_INPUT` error, as sorted `"field CODE"`.
    async fn bad_input(&self, doc: &str, input: Value) -> Vec<String> {
        let body = self.body(doc, input).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body:#}");
        field_codes(&body["errors"][0]["extensions"]["fields"])
    }

    /// The program with global id `id`, `null` when out of scope.
    async fn program(&self, id: &str) -> Value {
        let got = self
            .app
            .data_as(self.email, PROGRAM, json!({ "id": id }))
            .await;
        got["program"].clone()
    }

    /// The codes listed by `programs(filter, orderBy, first: 100)`.
    async fn listed(&self, filter: Value, order: Value) -> Vec<String> {
        let vars = json!({ "filter": filter, "orderBy": order, "first": 100 });
        let got = self.app.data_as(self.email, PROGRAMS, vars).await;
        assert_eq!(got["programs"]["pageInfo"]["hasNextPage"], false);
        codes(&got["programs"])
    }
}

/// A list of `{ field code }` as sorted `"field CODE"` strings.
fn field_codes(list: &Value) -> Vec<String> {
    let mut out: Vec<String> = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list of field errors: {list:#}"))
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["field"].as_str().unwrap(),
                e["code"].as_str().unwrap()
            )
        })
        .collect();
    out.sort();
    out
}

fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v:#}"))
        .to_owned()
}

fn version(v: &Value) -> i64 {
    v["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("no version in {v:#}"))
}

fn codes(connection: &Value) -> Vec<String> {
    connection["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap().to_owned())
        .collect()
}

/// `input` with the fields of `patch` replaced.
fn patched(input: &Value, patch: Value) -> Value {
    let mut out = input.clone();
    if let (Some(o), Some(p)) = (out.as_object_mut(), patch.as_object()) {
        o.extend(p.clone());
    }
    out
}

/// An SQL condition: `path` of the organisation lies in the subtree of the one with `code`.
fn in_subtree(column: &str, code: &str) -> String {
    format!("{column} LIKE (SELECT path FROM organisation WHERE code = '{code}') || '%'")
}

/// The global id of the program with `code`.
async fn program_id(app: &TestApp, code: &str) -> String {
    let vars = json!({ "filter": { "search": code, "includeArchived": true }, "first": 50 });
    let got = app.data_as(CENTRAL_ADMIN, PROGRAMS, vars).await;
    got["programs"]["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|n| n["code"] == code))
        .map(id)
        .unwrap_or_else(|| panic!("no program {code}: {got}"))
}

/// The global id of the legal document numbered `number`.
async fn document_id(app: &TestApp, number: &str) -> String {
    let query = "{ legalDocuments(first: 100) { nodes { id number } } }";
    let got = app.data_as(CENTRAL_ADMIN, query, json!({})).await;
    got["legalDocuments"]["nodes"]
        .as_array()
        .and_then(|docs| docs.iter().find(|d| d["number"] == number))
        .map(id)
        .unwrap_or_else(|| panic!("no legal document {number}"))
}

/// A draft program owned by `owner`, signed on its first day.
async fn draft(
    who: Caller<'_>,
    owner: &str,
    code: &str,
    title: &str,
    period: (&str, &str),
) -> Value {
    let owner = who.app.org_id(owner).await;
    who.ok(
        CREATE_PROGRAM,
        json!({ "ownerId": owner, "code": code, "title": title, "signedOn": period.0,
                "signedPlace": "Hà Nội", "startsOn": period.0, "endsOn": period.1 }),
    )
    .await
}

/// A program in the making: its id, the version last seen, and its two parties.
struct Fixture {
    id: String,
    version: i64,
    owner_party: String,
    partner_party: String,
}

/// A draft of `owner` with `partner` as PARTNER (ready to activate).
async fn with_partner(
    who: Caller<'_>,
    owner: &str,
    partner: &str,
    code: &str,
    period: (&str, &str),
) -> Fixture {
    let title = format!("Chương trình phối hợp thử nghiệm {code}");
    let program = draft(who, owner, code, &title, period).await;
    let partner = who.app.org_id(partner).await;
    let party = who
        .ok(
            ADD_PARTY,
            json!({ "programId": id(&program), "version": version(&program),
                    "organisationId": partner, "role": "PARTNER" }),
        )
        .await;
    let read = who.program(&id(&program)).await;
    let owner_party = read["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["role"] == "ASSOCIATION")
        .map(id)
        .unwrap();
    Fixture {
        id: id(&program),
        version: version(&read),
        owner_party,
        partner_party: id(&party),
    }
}

/// An active program of `owner` with `partner`.
async fn active(
    who: Caller<'_>,
    owner: &str,
    partner: &str,
    code: &str,
    period: (&str, &str),
) -> Fixture {
    let mut f = with_partner(who, owner, partner, code, period).await;
    f.version = set_status(who, &f.id, f.version, "ACTIVE").await;
    f
}

/// Moves a program to `status` (with a reason) and returns its new version.
async fn set_status(who: Caller<'_>, program: &str, version: i64, status: &str) -> i64 {
    let changed = who
        .ok(
            CHANGE_STATUS,
            json!({ "id": program, "version": version, "status": status, "reason": "Thử nghiệm" }),
        )
        .await;
    assert_eq!(changed["status"], status);
    self::version(&changed)
}

/// A commitment of `party` with a target in percent.
async fn commitment(who: Caller<'_>, party: &str, indicator: &str, target: f64) -> Value {
    who.ok(
        CREATE_COMMITMENT,
        json!({ "partyId": party, "description": format!("Cam kết: {indicator}"),
                "indicator": indicator, "unit": "%", "targetValue": target }),
    )
    .await
}

/// Every code of `programs(filter, orderBy)`, following `after` cursors `size` at a time.
async fn page_forward(who: Caller<'_>, filter: &Value, order: &Value, size: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let vars = json!({ "filter": filter, "orderBy": order, "first": size, "after": after });
        let got = who.app.data_as(who.email, PROGRAMS, vars).await;
        let page = &got["programs"];
        assert_eq!(
            page["pageInfo"]["hasPreviousPage"],
            after.is_some(),
            "{page}"
        );
        out.extend(codes(page));
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

/// Every code of `programs(filter, orderBy)`, following `before` cursors from the end, in
/// list order.
async fn page_backward(who: Caller<'_>, filter: &Value, order: &Value, size: i64) -> Vec<String> {
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let vars = json!({ "filter": filter, "orderBy": order, "last": size, "before": before });
        let got = who.app.data_as(who.email, PROGRAMS, vars).await;
        let page = &got["programs"];
        assert_eq!(page["pageInfo"]["hasNextPage"], before.is_some(), "{page}");
        pages.push(codes(page));
        if page["pageInfo"]["hasPreviousPage"] != true {
            pages.reverse();
            return pages.concat();
        }
        before = page["pageInfo"]["startCursor"].as_str().map(str::to_owned);
    }
}

/// Every report of `programReports` as `program/kind/year/title` (the reporting organisation
/// may be unreadable: a partner reads its programs' reports, not the branches that wrote them).
async fn report_keys(who: Caller<'_>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let vars = json!({ "first": 50, "after": after });
        let got = who.app.data_as(who.email, REPORTS, vars).await;
        let page = &got["programReports"];
        for n in page["nodes"].as_array().unwrap() {
            let year = n["periodYear"]
                .as_i64()
                .map_or("-".to_owned(), |y| y.to_string());
            let (program, kind, title) = (&n["program"]["code"], &n["kind"], &n["title"]);
            out.insert(format!(
                "{}/{}/{year}/{}",
                program.as_str().unwrap(),
                kind.as_str().unwrap(),
                title.as_str().unwrap()
            ));
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

/// The same keys as [`report_keys`] in plain SQL, for the reports matching `condition` (over
/// `r` report, `p` program, `o` reporting organisation, `w` owner).
async fn report_keys_sql(app: &TestApp, condition: &str) -> BTreeSet<String> {
    app.strings(&format!(
        "SELECT p.code || '/' || r.kind || '/' || COALESCE(CAST(r.period_year AS TEXT), '-') \
         || '/' || r.title AS s FROM program_report r JOIN program p ON p.id = r.program_id \
         JOIN organisation o ON o.id = r.reporting_organisation_id \
         JOIN organisation w ON w.id = p.owner_id \
         WHERE r.archived_at IS NULL AND ({condition})"
    ))
    .await
    .into_iter()
    .collect()
}

// ---------------------------------------------------------------------------------------------
// Programs

on_both!(
    a_program_round_trips_through_create_read_update_conflict_status_and_archive,
    |app| {
        let hn = by(app, HANOI_ADMIN);
        let hanoi = app.org_id("HN").await;
        let programs_before = app.count("program").await;
        let audit_before = app
            .count_where("audit_event", "entity_type = 'Program'")
            .await;
        let program = hn
            .ok(
                CREATE_PROGRAM,
                json!({
                    "ownerId": hanoi, "code": "ctph-hn-thu-1",
                    "title": "  Chương trình phối hợp thử nghiệm với Công an Thủ đô  ",
                    "agreementNumber": "05/CTPH-KHHN", "signedPlace": "Hà Nội",
                    "startsOn": "2026-01-01", "endsOn": "2028-12-31",
                    "objectives": "Xây dựng đơn vị học tập",
                    "contentAreas": [" Tuyên truyền ", "Tập huấn cán bộ"],
                }),
            )
            .await;
        assert_eq!(
            program["code"], "CTPH-HN-THU-1",
            "codes are stored upper-case"
        );
        assert_eq!(
            program["title"],
            "Chương trình phối hợp thử nghiệm với Công an Thủ đô"
        );
        assert_eq!(
            (&program["status"], &program["version"]),
            (&json!("DRAFT"), &json!(1))
        );
        assert_eq!(
            program["contentAreas"],
            json!(["Tuyên truyền", "Tập huấn cán bộ"])
        );
        assert_eq!(program["owner"]["code"], "HN");
        let pid = id(&program);
        assert_eq!(app.count("program").await, programs_before + 1);

        // Read back: the owner is the association-side party; nothing else yet.
        let read = hn.program(&pid).await;
        assert_eq!(read["agreementNumber"], "05/CTPH-KHHN");
        assert_eq!(read["signedOn"], Value::Null);
        assert_eq!(
            (&read["startsOn"], &read["endsOn"]),
            (&json!("2026-01-01"), &json!("2028-12-31"))
        );
        assert_eq!(read["objectives"], "Xây dựng đơn vị học tập");
        assert_eq!(
            read["parties"],
            json!([{ "id": read["parties"][0]["id"], "role": "ASSOCIATION", "duties": null,
                     "organisation": { "code": "HN" }, "commitments": [] }])
        );
        assert_eq!(read["commitments"], json!([]));
        assert_eq!(read["legalBasis"], json!([]));
        assert_eq!(read["reports"]["totalCount"], 0);
        // Another province does not see it, nor do Hà Nội's communes see Hà Nội's drafts.
        assert_eq!(by(app, HCM_ADMIN).program(&pid).await, Value::Null);
        assert_eq!(by(app, COMMUNE_EDITOR).program(&pid).await, Value::Null);

        // Update: omitted fields keep their value.
        let updated = hn
            .ok(
                UPDATE_PROGRAM,
                json!({ "id": pid, "version": 1, "title": "Chương trình phối hợp (sửa đổi)",
                        "endsOn": "2029-12-31", "contentAreas": ["Một nội dung"] }),
            )
            .await;
        assert_eq!(updated["version"], 2);
        assert_eq!(
            (&updated["startsOn"], &updated["endsOn"]),
            (&json!("2026-01-01"), &json!("2029-12-31"))
        );
        assert_eq!(updated["contentAreas"], json!(["Một nội dung"]));

        // A stale version is a CONFLICT and changes nothing.
        let stale = json!({ "id": pid, "version": 1, "title": "Ghi đè" });
        assert_eq!(hn.refused(UPDATE_PROGRAM, stale).await, "CONFLICT");
        let read = hn.program(&pid).await;
        assert_eq!(
            (&read["title"], &read["version"]),
            (&json!("Chương trình phối hợp (sửa đổi)"), &json!(2))
        );

        // Activating needs a signing date and a partner: both are reported at once.
        let activate = json!({ "id": pid, "version": 2, "status": "ACTIVE" });
        assert_eq!(
            hn.errors(CHANGE_STATUS, activate).await,
            ["parties REQUIRED", "signedOn REQUIRED"]
        );
        assert_eq!(hn.program(&pid).await["status"], "DRAFT");
        let signed = hn
            .ok(
                UPDATE_PROGRAM,
                json!({ "id": pid, "version": 2, "signedOn": "2025-12-20" }),
            )
            .await;
        assert_eq!(signed["signedOn"], "2025-12-20");
        let cahn = app.org_id("CAHN").await;
        hn.ok(
            ADD_PARTY,
            json!({ "programId": pid, "version": 3, "organisationId": cahn, "role": "PARTNER" }),
        )
        .await;
        let v = set_status(hn, &pid, 4, "ACTIVE").await;
        assert_eq!(v, 5);
        let v = set_status(hn, &pid, v, "COMPLETED").await;

        // A completed program is read-only.
        let late = json!({ "id": pid, "version": v, "title": "Sau khi kết thúc" });
        assert_eq!(hn.refused(UPDATE_PROGRAM, late).await, "CONFLICT");

        // Archive: a stale version conflicts; then it is kept, hidden by default, still readable.
        assert_eq!(
            hn.refused(ARCHIVE_PROGRAM, json!({ "id": pid, "version": v - 1 }))
                .await,
            "CONFLICT"
        );
        let archived = hn
            .ok(ARCHIVE_PROGRAM, json!({ "id": pid, "version": v }))
            .await;
        assert!(archived["archivedAt"].is_string());
        assert_eq!(archived["version"], v + 1);
        let shown = hn
            .listed(json!({ "withinOrganisation": hanoi }), Value::Null)
            .await;
        assert!(!shown.contains(&"CTPH-HN-THU-1".to_owned()), "{shown:?}");
        let with_archived = json!({ "withinOrganisation": hanoi, "includeArchived": true });
        let all = hn.listed(with_archived, Value::Null).await;
        assert!(all.contains(&"CTPH-HN-THU-1".to_owned()), "{all:?}");
        assert!(hn.program(&pid).await["archivedAt"].is_string());
        assert_eq!(
            hn.refused(ARCHIVE_PROGRAM, json!({ "id": pid, "version": v + 1 }))
                .await,
            "CONFLICT"
        );
        let terminate =
            json!({ "id": pid, "version": v + 1, "status": "TERMINATED", "reason": "x" });
        assert_eq!(hn.refused(CHANGE_STATUS, terminate).await, "CONFLICT");

        // Every successful change is audited (create, 2 updates, 2 status changes, archive).
        let audited = app
            .count_where("audit_event", "entity_type = 'Program'")
            .await;
        assert_eq!(audited, audit_before + 6);
        assert_eq!(app.count("program").await, programs_before + 1);
    }
);

on_both!(
    program_validation_reports_every_field_and_writes_nothing,
    |app| {
        let hn = by(app, HANOI_ADMIN);
        let hanoi = app.org_id("HN").await;
        let counts = || async {
            (
                app.count("program").await,
                app.count("program_party").await,
                app.count("audit_event").await,
            )
        };
        let before = counts().await;
        let base = json!({ "ownerId": hanoi, "code": "CTPH-OK-1", "title": "Chương trình hợp lệ",
                           "startsOn": "2026-01-01", "endsOn": "2027-12-31" });

        let bad = patched(
            &base,
            json!({ "code": "mã sai!", "title": "   ", "startsOn": "2026-06-01",
                    "endsOn": "2026-01-01", "signedOn": "2027-01-01",
                    "signedPlace": "Hà\u{0007}Nội", "contentAreas": vec!["Nội dung"; 51] }),
        );
        assert_eq!(
            hn.errors(CREATE_PROGRAM, bad).await,
            [
                "code INVALID_FORMAT",
                "contentAreas TOO_LONG",
                "endsOn DATE_ORDER",
                "signedOn DATE_ORDER",
                "signedPlace INVALID_CHARACTERS",
                "title REQUIRED",
            ]
        );
        let long = patched(
            &base,
            json!({ "title": "T".repeat(301), "agreementNumber": "9".repeat(101),
                    "code": "C".repeat(65), "contentAreas": ["", "x".repeat(301)] }),
        );
        assert_eq!(
            hn.errors(CREATE_PROGRAM, long).await,
            [
                "agreementNumber TOO_LONG",
                "code INVALID_FORMAT",
                "contentAreas.1 TOO_LONG",
                "title TOO_LONG"
            ]
        );
        // Codes are unique regardless of case.
        let duplicate = patched(&base, json!({ "code": "ctph-hn-cahn-2024" }));
        assert_eq!(
            hn.errors(CREATE_PROGRAM, duplicate).await,
            ["code DUPLICATE"]
        );
        // Programs belong to the association side, even when a partner's editor creates one.
        let moet_owned = patched(&base, json!({ "ownerId": app.org_id("MOET").await }));
        let moet = by(app, MOET_PARTNER);
        assert_eq!(
            moet.errors(CREATE_PROGRAM, moet_owned).await,
            ["ownerId INVALID_OWNER"]
        );
        // Ids that cannot name an organisation, and an organisation that does not exist.
        let wrong_type = patched(
            &base,
            json!({ "ownerId": program_id(app, "CTPH-HN-CAHN-2024").await }),
        );
        assert_eq!(
            hn.bad_input(CREATE_PROGRAM, wrong_type).await,
            ["ownerId INVALID_ID"]
        );
        let garbage = patched(&base, json!({ "ownerId": "không phải id" }));
        assert_eq!(
            hn.bad_input(CREATE_PROGRAM, garbage).await,
            ["ownerId INVALID_ID"]
        );
        let missing = patched(&base, json!({ "ownerId": app.absent_id("Organisation") }));
        assert_eq!(hn.refused(CREATE_PROGRAM, missing).await, "NOT_FOUND");
        assert_eq!(counts().await, before, "no refused create wrote anything");

        // Updates validate the merged result.
        let pid = id(&hn.ok(CREATE_PROGRAM, base.clone()).await);
        let after_create = counts().await;
        let bad = json!({ "id": pid, "version": 1, "title": " ", "startsOn": "2028-01-01" });
        assert_eq!(
            hn.errors(UPDATE_PROGRAM, bad).await,
            ["endsOn DATE_ORDER", "title REQUIRED"]
        );
        let bad = json!({ "id": pid, "version": 1, "signedOn": "2028-01-01" });
        assert_eq!(
            hn.errors(UPDATE_PROGRAM, bad).await,
            ["signedOn DATE_ORDER"]
        );
        let bad = json!({ "id": pid, "version": 1, "contentAreas": ["ok", "a\u{0000}b"] });
        assert_eq!(
            hn.errors(UPDATE_PROGRAM, bad).await,
            ["contentAreas.1 INVALID_CHARACTERS"]
        );
        let read = hn.program(&pid).await;
        assert_eq!(
            (&read["title"], &read["version"]),
            (&json!("Chương trình hợp lệ"), &json!(1))
        );
        assert_eq!(
            counts().await,
            after_create,
            "no refused update wrote anything"
        );
    }
);

on_both!(
    status_changes_follow_draft_active_completed_or_terminated,
    |app| {
        let hn = by(app, HANOI_ADMIN);
        const ALL: [&str; 4] = ["DRAFT", "ACTIVE", "COMPLETED", "TERMINATED"];
        // The documented lifecycle: DRAFT → ACTIVE → COMPLETED, and DRAFT/ACTIVE → TERMINATED.
        let allowed = |from: &str, to: &str| {
            matches!(
                (from, to),
                ("DRAFT", "ACTIVE") | ("ACTIVE", "COMPLETED") | ("DRAFT" | "ACTIVE", "TERMINATED")
            )
        };
        // Every refused step, from a program in each status: INVALID_TRANSITION, nothing changed.
        for from in ALL {
            let mut f = with_partner(hn, "HN", "CAHN", &format!("ST-{from}"), PERIOD).await;
            let path: &[&str] = match from {
                "ACTIVE" => &["ACTIVE"],
                "COMPLETED" => &["ACTIVE", "COMPLETED"],
                "TERMINATED" => &["TERMINATED"],
                _ => &[],
            };
            for step in path {
                f.version = set_status(hn, &f.id, f.version, step).await;
            }
            for to in ALL.iter().filter(|to| !allowed(from, to)) {
                let input =
                    json!({ "id": f.id, "version": f.version, "status": to, "reason": "Thử" });
                let errors = hn.errors(CHANGE_STATUS, input).await;
                assert_eq!(errors, ["status INVALID_TRANSITION"], "{from} → {to}");
            }
            let read = hn.program(&f.id).await;
            assert_eq!((&read["status"], version(&read)), (&json!(from), f.version));
        }

        // Every allowed step, each on its own program; terminating needs a reason.
        let steps = [
            ("DRAFT", "ACTIVE"),
            ("DRAFT", "TERMINATED"),
            ("ACTIVE", "COMPLETED"),
            ("ACTIVE", "TERMINATED"),
        ];
        for (from, to) in steps {
            let mut f = with_partner(hn, "HN", "CAHN", &format!("OK-{from}-{to}"), PERIOD).await;
            if from == "ACTIVE" {
                f.version = set_status(hn, &f.id, f.version, "ACTIVE").await;
            }
            if to == "TERMINATED" {
                for reason in [Value::Null, json!("   ")] {
                    let input =
                        json!({ "id": f.id, "version": f.version, "status": to, "reason": reason });
                    assert_eq!(hn.errors(CHANGE_STATUS, input).await, ["reason REQUIRED"]);
                }
            }
            // An allowed step with a stale version is a conflict and changes nothing.
            let stale =
                json!({ "id": f.id, "version": f.version - 1, "status": to, "reason": "x" });
            assert_eq!(
                hn.refused(CHANGE_STATUS, stale).await,
                "CONFLICT",
                "{from} → {to}"
            );
            assert_eq!(hn.program(&f.id).await["status"], from);
            let input = json!({ "id": f.id, "version": f.version, "status": to,
                                "reason": " Đối tác giải thể " });
            let changed = hn.ok(CHANGE_STATUS, input).await;
            assert_eq!(
                (&changed["status"], version(&changed)),
                (&json!(to), f.version + 1)
            );
            let reason = if to == "TERMINATED" {
                json!("Đối tác giải thể")
            } else {
                Value::Null
            };
            assert_eq!(changed["terminationReason"], reason, "{from} → {to}");
        }
    }
);

// ---------------------------------------------------------------------------------------------
// Parties, commitments, legal basis

on_both!(
    parties_are_added_validated_and_removed_with_their_commitments,
    |app| {
        let centre = by(app, CENTRAL_ADMIN);
        let moet_user = by(app, MOET_PARTNER);
        let title = "Chương trình phối hợp về các bên";
        let program = draft(
            centre,
            "VAPE",
            "CTPH-PARTY-1",
            title,
            ("2026-01-01", "2030-12-31"),
        )
        .await;
        let pid = id(&program);
        let moet = app.org_id("MOET").await;
        // Before it is a party, the ministry does not see the program.
        assert_eq!(moet_user.program(&pid).await, Value::Null);

        let moet_party = centre
            .ok(
                ADD_PARTY,
                json!({ "programId": pid, "version": 1, "organisationId": moet, "role": "PARTNER",
                        "signatoryName": " Hoàng Minh Đức ", "signatoryTitle": "Thứ trưởng",
                        "duties": "Ban hành tiêu chí" }),
            )
            .await;
        assert_eq!(
            moet_party,
            json!({ "id": moet_party["id"], "role": "PARTNER", "duties": "Ban hành tiêu chí",
                    "signatoryName": "Hoàng Minh Đức", "signatoryTitle": "Thứ trưởng",
                    "organisation": { "code": "MOET" } })
        );
        // Adding a party is a change of the program: its version moved.
        assert_eq!(centre.program(&pid).await["version"], 2);
        assert_eq!(moet_user.program(&pid).await["code"], "CTPH-PARTY-1");

        let parties_before = app.count("program_party").await;
        let tld = app.org_id("TLD").await;
        let stale =
            json!({ "programId": pid, "version": 1, "organisationId": tld, "role": "PARTNER" });
        assert_eq!(centre.refused(ADD_PARTY, stale).await, "CONFLICT");
        for (org, role, expected) in [
            (
                app.org_id("HN").await,
                "PARTNER",
                "organisationId NOT_A_PARTNER",
            ),
            (tld.clone(), "ASSOCIATION", "organisationId NOT_ASSOCIATION"),
            (moet.clone(), "COORDINATOR", "organisationId DUPLICATE"),
            (
                app.absent_id("Organisation"),
                "PARTNER",
                "organisationId NOT_FOUND",
            ),
        ] {
            let input =
                json!({ "programId": pid, "version": 2, "organisationId": org, "role": role });
            assert_eq!(centre.errors(ADD_PARTY, input).await, [expected], "{role}");
        }
        let long = json!({ "programId": pid, "version": 2, "organisationId": tld, "role": "PARTNER",
                           "signatoryName": "x".repeat(301) });
        assert_eq!(
            centre.errors(ADD_PARTY, long).await,
            ["signatoryName TOO_LONG"]
        );
        assert_eq!(app.count("program_party").await, parties_before);
        assert_eq!(centre.program(&pid).await["version"], 2);

        // A unit of the ministry coordinates; a branch joins on the association side.
        let unit = app.org_id("MOET-GDTX").await;
        let coordinator = json!({ "programId": pid, "version": 2, "organisationId": unit,
                                  "role": "COORDINATOR" });
        centre.ok(ADD_PARTY, coordinator).await;
        let hanoi = app.org_id("HN").await;
        let branch = json!({ "programId": pid, "version": 3, "organisationId": hanoi,
                             "role": "ASSOCIATION" });
        centre.ok(ADD_PARTY, branch).await;
        let c = commitment(centre, &id(&moet_party), "Số văn bản hướng dẫn", 4.0).await;
        let read = centre.program(&pid).await;
        let roles: Vec<String> = read["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                format!(
                    "{} {}",
                    p["organisation"]["code"].as_str().unwrap(),
                    p["role"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            roles,
            [
                "VAPE ASSOCIATION",
                "MOET PARTNER",
                "MOET-GDTX COORDINATOR",
                "HN ASSOCIATION"
            ]
        );
        assert_eq!(
            read["parties"][1]["commitments"],
            json!([{ "id": c["id"] }])
        );
        let v = version(&read);

        // Removing with a stale version changes nothing.
        let this_program = "program_id = (SELECT id FROM program WHERE code = 'CTPH-PARTY-1')";
        let stale = json!({ "partyId": moet_party["id"], "version": v - 1 });
        assert_eq!(centre.refused(REMOVE_PARTY, stale).await, "CONFLICT");
        assert_eq!(
            centre.program(&pid).await["parties"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
        let archived_commitments = format!("{this_program} AND archived_at IS NOT NULL");
        assert_eq!(
            app.count_where("commitment", &archived_commitments).await,
            0
        );

        // Removing: kept as removed, and its commitments archived.
        let removed = centre
            .ok(
                REMOVE_PARTY,
                json!({ "partyId": moet_party["id"], "version": v }),
            )
            .await;
        assert_eq!(removed["organisation"]["code"], "MOET");
        let read = centre.program(&pid).await;
        assert_eq!(read["version"], v + 1);
        assert!(
            read["parties"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["organisation"]["code"] != "MOET")
        );
        assert_eq!(read["commitments"], json!([]));
        let removed_parties = format!("{this_program} AND removed_at IS NOT NULL");
        assert_eq!(app.count_where("program_party", &removed_parties).await, 1);
        assert_eq!(
            app.count_where("commitment", &archived_commitments).await,
            1
        );
        // The unit is still a party: the ministry's tree still reaches the program through it.
        assert_eq!(moet_user.program(&pid).await["code"], "CTPH-PARTY-1");
        // A removed party cannot be removed again; the owner cannot be removed at all.
        let again = json!({ "partyId": moet_party["id"], "version": v + 1 });
        assert_eq!(centre.refused(REMOVE_PARTY, again).await, "NOT_FOUND");
        let owner = json!({ "partyId": read["parties"][0]["id"], "version": v + 1 });
        assert_eq!(centre.refused(REMOVE_PARTY, owner).await, "CONFLICT");
        // The organisation may join again after removal.
        let rejoin = json!({ "programId": pid, "version": v + 1, "organisationId": moet,
                             "role": "PARTNER" });
        let rejoined = centre.ok(ADD_PARTY, rejoin).await;
        // Once terminated, the parties are frozen.
        let v = set_status(centre, &pid, v + 2, "TERMINATED").await;
        let late =
            json!({ "programId": pid, "version": v, "organisationId": tld, "role": "PARTNER" });
        assert_eq!(centre.refused(ADD_PARTY, late).await, "CONFLICT");
        let late = json!({ "partyId": rejoined["id"], "version": v });
        assert_eq!(centre.refused(REMOVE_PARTY, late).await, "CONFLICT");
    }
);

on_both!(
    commitments_round_trip_and_are_validated_against_their_program,
    |app| {
        let hn = by(app, HANOI_ADMIN);
        let f = with_partner(hn, "HN", "CAHN", "CTPH-CAM-KET", PERIOD).await;
        let first = hn
            .ok(
                CREATE_COMMITMENT,
                json!({ "partyId": f.partner_party, "description": " Xây dựng đơn vị học tập ",
                        "indicator": "Số đơn vị đạt Đơn vị học tập", "unit": "đơn vị",
                        "targetValue": 120.0, "dueOn": "2027-06-30" }),
            )
            .await;
        assert_eq!(
            first,
            json!({ "id": first["id"], "description": "Xây dựng đơn vị học tập",
                    "indicator": "Số đơn vị đạt Đơn vị học tập", "unit": "đơn vị",
                    "targetValue": 120.0, "dueOn": "2027-06-30", "position": first["position"],
                    "version": 1,
                    "party": { "organisation": { "code": "CAHN" } } })
        );
        let second = commitment(hn, &f.owner_party, "Tỷ lệ cán bộ là Công dân học tập", 90.0).await;
        assert!(second["position"].as_i64() > first["position"].as_i64());
        let ids = |program: &Value| -> Vec<String> {
            program["commitments"]
                .as_array()
                .unwrap()
                .iter()
                .map(id)
                .collect()
        };
        assert_eq!(ids(&hn.program(&f.id).await), [id(&first), id(&second)]);

        // Validation: every field at once; nothing written.
        let before = app.count("commitment").await;
        let bad = json!({ "partyId": f.partner_party, "description": "  ", "indicator": "",
                          "unit": "u".repeat(51), "targetValue": -1.0, "dueOn": "2029-01-01" });
        assert_eq!(
            hn.errors(CREATE_COMMITMENT, bad).await,
            [
                "description REQUIRED",
                "dueOn OUT_OF_RANGE",
                "indicator REQUIRED",
                "targetValue OUT_OF_RANGE",
                "unit TOO_LONG"
            ]
        );
        let early = json!({ "partyId": f.partner_party, "description": "d", "indicator": "i",
                            "dueOn": "2025-12-31" });
        assert_eq!(
            hn.errors(CREATE_COMMITMENT, early).await,
            ["dueOn OUT_OF_RANGE"]
        );
        // A party that does not exist commits nothing; a program id is no party id.
        let missing = json!({ "partyId": app.absent_id("ProgramParty"), "description": "d",
                              "indicator": "i" });
        assert_eq!(hn.refused(CREATE_COMMITMENT, missing).await, "NOT_FOUND");
        let wrong = json!({ "partyId": f.id, "description": "d", "indicator": "i" });
        assert_eq!(
            hn.bad_input(CREATE_COMMITMENT, wrong).await,
            ["partyId INVALID_ID"]
        );
        assert_eq!(app.count("commitment").await, before);

        // Update (a blank unit clears it, omitted fields are kept); stale or bad changes are
        // refused.
        let updated = hn
            .ok(
                UPDATE_COMMITMENT,
                json!({ "id": first["id"], "version": 1, "targetValue": 150.0, "unit": "",
                        "dueOn": "2028-12-31" }),
            )
            .await;
        assert_eq!(
            [
                &updated["targetValue"],
                &updated["unit"],
                &updated["dueOn"],
                &updated["version"]
            ],
            [&json!(150.0), &Value::Null, &json!("2028-12-31"), &json!(2)]
        );
        assert_eq!(updated["indicator"], "Số đơn vị đạt Đơn vị học tập");
        let stale = json!({ "id": first["id"], "version": 1, "targetValue": 1.0 });
        assert_eq!(hn.refused(UPDATE_COMMITMENT, stale).await, "CONFLICT");
        let bad = json!({ "id": first["id"], "version": 2, "indicator": " ", "targetValue": -5.0,
                          "dueOn": "2020-01-01" });
        assert_eq!(
            hn.errors(UPDATE_COMMITMENT, bad).await,
            [
                "dueOn OUT_OF_RANGE",
                "indicator REQUIRED",
                "targetValue OUT_OF_RANGE"
            ]
        );
        let viewer = json!({ "id": first["id"], "version": 2, "targetValue": 1.0 });
        assert_eq!(
            by(app, HANOI_VIEWER)
                .refused(UPDATE_COMMITMENT, viewer)
                .await,
            "FORBIDDEN"
        );
        let stored = &hn.program(&f.id).await["commitments"][0];
        assert_eq!(
            (&stored["targetValue"], &stored["version"]),
            (&json!(150.0), &json!(2))
        );

        // Archive: a stale version conflicts; then it is gone from the program and cannot change.
        let stale = json!({ "id": first["id"], "version": 1 });
        assert_eq!(hn.refused(ARCHIVE_COMMITMENT, stale).await, "CONFLICT");
        let archived = hn
            .ok(
                ARCHIVE_COMMITMENT,
                json!({ "id": first["id"], "version": 2 }),
            )
            .await;
        assert_eq!(archived["version"], 3);
        let read = hn.program(&f.id).await;
        assert_eq!(ids(&read), [id(&second)]);
        let gone = json!({ "id": first["id"], "version": 3, "targetValue": 1.0 });
        assert_eq!(hn.refused(UPDATE_COMMITMENT, gone).await, "NOT_FOUND");

        // An organisation that is no longer a party commits nothing more.
        hn.ok(
            REMOVE_PARTY,
            json!({ "partyId": f.partner_party, "version": read["version"] }),
        )
        .await;
        let before = app.count("commitment").await;
        let removed = json!({ "partyId": f.partner_party, "description": "d", "indicator": "i" });
        assert_eq!(hn.refused(CREATE_COMMITMENT, removed).await, "NOT_FOUND");
        assert_eq!(app.count("commitment").await, before);
    }
);

on_both!(legal_basis_is_replaced_as_a_whole_and_validated, |app| {
    let centre = by(app, CENTRAL_ADMIN);
    let title = "Chương trình phối hợp có căn cứ pháp lý";
    let program = draft(
        centre,
        "VAPE",
        "CTPH-CAN-CU",
        title,
        ("2026-01-01", "2030-12-31"),
    )
    .await;
    let pid = id(&program);
    let links = "program_legal_basis \
                 WHERE program_id = (SELECT id FROM program WHERE code = 'CTPH-CAN-CU')";
    let numbers = |p: &Value| -> Vec<String> {
        let basis = p["legalBasis"].as_array().unwrap();
        basis
            .iter()
            .map(|d| d["number"].as_str().unwrap().to_owned())
            .collect()
    };
    let (kl49, qd387, qd677, qd1373, ct11) = (
        document_id(app, "49-KL/TW").await,
        document_id(app, "387/QĐ-TTg").await,
        document_id(app, "677/QĐ-TTg").await,
        document_id(app, "1373/QĐ-TTg").await,
        document_id(app, "11-CT/TW").await,
    );
    // Listed by date of issue (then id), as SQL orders them.
    let expected = app
        .strings(
            "SELECT number AS s FROM legal_document \
             WHERE number IN ('1373/QĐ-TTg', '387/QĐ-TTg', '49-KL/TW') ORDER BY issued_on, id",
        )
        .await;
    let set = centre
        .ok(
            SET_LEGAL_BASIS,
            json!({ "id": pid, "version": 1, "legalDocumentIds": [qd1373, qd387, kl49] }),
        )
        .await;
    assert_eq!(set["version"], 2);
    assert_eq!(numbers(&set), expected);
    assert_eq!(numbers(&centre.program(&pid).await), expected);

    // Replacing: duplicates collapse; the old links go.
    let replaced = centre
        .ok(
            SET_LEGAL_BASIS,
            json!({ "id": pid, "version": 2, "legalDocumentIds": [qd677, qd387, qd677] }),
        )
        .await;
    assert_eq!(numbers(&replaced), ["387/QĐ-TTg", "677/QĐ-TTg"]);
    assert_eq!(app.count(links).await, 2);

    // A stale version, an unknown document or an id of another type leave the links as they were.
    let stale = json!({ "id": pid, "version": 2, "legalDocumentIds": [ct11] });
    assert_eq!(centre.refused(SET_LEGAL_BASIS, stale).await, "CONFLICT");
    let unknown = json!({ "id": pid, "version": 3,
                          "legalDocumentIds": [ct11, app.absent_id("LegalDocument")] });
    assert_eq!(
        centre.errors(SET_LEGAL_BASIS, unknown).await,
        ["legalDocumentIds NOT_FOUND"]
    );
    let wrong = json!({ "id": pid, "version": 3, "legalDocumentIds": [pid] });
    assert_eq!(
        centre.bad_input(SET_LEGAL_BASIS, wrong).await,
        ["legalDocumentIds INVALID_ID"]
    );
    let read = centre.program(&pid).await;
    assert_eq!(
        (numbers(&read), version(&read)),
        (vec!["387/QĐ-TTg".to_owned(), "677/QĐ-TTg".to_owned()], 3)
    );
    assert_eq!(app.count(links).await, 2);
    // A commune does not even see the centre's draft.
    let outsider = json!({ "id": pid, "version": 3, "legalDocumentIds": [] });
    assert_eq!(
        by(app, COMMUNE_EDITOR)
            .refused(SET_LEGAL_BASIS, outsider)
            .await,
        "NOT_FOUND"
    );

    // An empty list clears it.
    let cleared = centre
        .ok(
            SET_LEGAL_BASIS,
            json!({ "id": pid, "version": 3, "legalDocumentIds": [] }),
        )
        .await;
    assert_eq!(cleared["legalBasis"], json!([]));
    assert_eq!(app.count(links).await, 0);

    // An archived program is read-only: its legal basis stays as it was.
    centre
        .ok(ARCHIVE_PROGRAM, json!({ "id": pid, "version": 4 }))
        .await;
    let frozen = json!({ "id": pid, "version": 5, "legalDocumentIds": [ct11] });
    assert_eq!(centre.refused(SET_LEGAL_BASIS, frozen).await, "CONFLICT");
    assert_eq!(app.count(links).await, 0);
});

// ---------------------------------------------------------------------------------------------
// Reports

on_both!(
    reports_go_draft_submitted_acknowledged_and_feed_indicator_progress,
    |app| {
        let (hn, commune, centre) = (
            by(app, HANOI_ADMIN),
            by(app, COMMUNE_EDITOR),
            by(app, CENTRAL_ADMIN),
        );
        let f = active(
            hn,
            "HN",
            "CAHN",
            "CTPH-BAO-CAO",
            ("2025-01-01", "2027-12-31"),
        )
        .await;
        let c1 = commitment(hn, &f.owner_party, "Tỷ lệ gia đình học tập", 80.0).await;
        let c2 = commitment(hn, &f.partner_party, "Số đơn vị học tập", 50.0).await;
        let badinh = app.org_id("HN-BADINH").await;
        let hanoi = app.org_id("HN").await;
        let values_before = app.count("report_indicator_value").await;
        let workflow = "entity_type = 'ProgramReport' AND action IN ('submit', 'acknowledge')";
        let workflow_before = app.count_where("audit_event", workflow).await;
        let progress_of = |program: &Value, c: &Value| -> Value {
            let all = program["indicatorProgress"].as_array().unwrap();
            all.iter()
                .find(|p| p["commitment"]["id"] == c["id"])
                .cloned()
                .unwrap()
        };

        // A commune of the owner writes a draft with values.
        let draft = commune
            .ok(
                CREATE_REPORT,
                json!({ "programId": f.id, "reportingOrganisationId": badinh, "kind": "ANNUAL",
                        "periodYear": 2025, "title": " Báo cáo năm 2025 của phường Ba Đình ",
                        "achievements": "Kết quả", "shortcomings": "  ",
                        "indicatorValues": [
                            { "commitmentId": c1["id"], "value": 40.0, "note": " ước tính " },
                            { "commitmentId": c2["id"], "value": 10.0 },
                        ] }),
            )
            .await;
        assert_eq!(
            [
                &draft["status"],
                &draft["version"],
                &draft["title"],
                &draft["shortcomings"],
                &draft["submittedAt"]
            ],
            [
                &json!("DRAFT"),
                &json!(1),
                &json!("Báo cáo năm 2025 của phường Ba Đình"),
                &Value::Null,
                &Value::Null
            ]
        );
        assert_eq!(draft["reportingOrganisation"]["code"], "HN-BADINH");
        assert_eq!(
            draft["indicatorValues"],
            json!([{ "value": 40.0, "note": "ước tính", "commitment": { "id": c1["id"] } },
               { "value": 10.0, "note": null, "commitment": { "id": c2["id"] } }])
        );
        assert_eq!(app.count("report_indicator_value").await, values_before + 2);
        // A draft does not count towards progress.
        let progress = hn.program(&f.id).await["indicatorProgress"].clone();
        assert_eq!(progress.as_array().unwrap().len(), 2);
        assert!(
            progress
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["latestValue"].is_null() && p["ratio"].is_null()),
            "{progress}"
        );

        // Editing a draft replaces its values; a stale edit changes nothing.
        let rid = id(&draft);
        let edited = commune
            .ok(
                UPDATE_REPORT,
                json!({ "id": rid, "version": 1, "proposals": "Đề xuất",
                        "indicatorValues": [{ "commitmentId": c1["id"], "value": 45.5 }] }),
            )
            .await;
        assert_eq!(
            [
                &edited["version"],
                &edited["proposals"],
                &edited["achievements"]
            ],
            [&json!(2), &json!("Đề xuất"), &json!("Kết quả")]
        );
        assert_eq!(
            edited["indicatorValues"],
            json!([{ "value": 45.5, "note": null, "commitment": { "id": c1["id"] } }])
        );
        let stale = json!({ "id": rid, "version": 1, "indicatorValues": [] });
        assert_eq!(commune.refused(UPDATE_REPORT, stale).await, "CONFLICT");
        assert_eq!(app.count("report_indicator_value").await, values_before + 1);

        // Only a submitted report can be acknowledged; a stale submit conflicts.
        let early = json!({ "id": rid, "version": 2 });
        assert_eq!(
            hn.errors(ACKNOWLEDGE_REPORT, early).await,
            ["status INVALID_TRANSITION"]
        );
        assert_eq!(
            commune
                .refused(SUBMIT_REPORT, json!({ "id": rid, "version": 1 }))
                .await,
            "CONFLICT"
        );
        let submitted = commune
            .ok(SUBMIT_REPORT, json!({ "id": rid, "version": 2 }))
            .await;
        assert_eq!(
            (&submitted["status"], &submitted["version"]),
            (&json!("SUBMITTED"), &json!(3))
        );
        assert!(submitted["submittedAt"].is_string());
        // A submitted report is no longer edited, nor submitted again.
        let edit = json!({ "id": rid, "version": 3, "title": "Sửa sau khi gửi" });
        assert_eq!(commune.refused(UPDATE_REPORT, edit).await, "CONFLICT");
        let again = json!({ "id": rid, "version": 3 });
        assert_eq!(
            commune.errors(SUBMIT_REPORT, again).await,
            ["status INVALID_TRANSITION"]
        );

        // Progress: the target against the value of the latest submitted report.
        let read = hn.program(&f.id).await;
        let p1 = progress_of(&read, &c1);
        assert_eq!(
            [
                &p1["targetValue"],
                &p1["latestValue"],
                &p1["latestReport"]["id"]
            ],
            [&json!(80.0), &json!(45.5), &json!(rid)]
        );
        assert!((p1["ratio"].as_f64().unwrap() - 45.5 / 80.0).abs() < 1e-9);
        let p2 = progress_of(&read, &c2);
        assert_eq!(
            [&p2["targetValue"], &p2["latestValue"], &p2["ratio"]],
            [&json!(50.0), &Value::Null, &Value::Null]
        );

        // The province reports later on both indicators: its values become the latest.
        let own = hn
            .ok(
                CREATE_REPORT,
                json!({ "programId": f.id, "reportingOrganisationId": hanoi, "kind": "ANNUAL",
                        "periodYear": 2025, "title": "Báo cáo năm 2025 của thành phố",
                        "indicatorValues": [{ "commitmentId": c1["id"], "value": 60.0 },
                                            { "commitmentId": c2["id"], "value": 12.0 }] }),
            )
            .await;
        let own = hn
            .ok(SUBMIT_REPORT, json!({ "id": own["id"], "version": 1 }))
            .await;
        let read = hn.program(&f.id).await;
        let (p1, p2) = (progress_of(&read, &c1), progress_of(&read, &c2));
        assert_eq!(
            (&p1["latestValue"], &p1["latestReport"]["id"]),
            (&json!(60.0), &own["id"])
        );
        assert!((p1["ratio"].as_f64().unwrap() - 60.0 / 80.0).abs() < 1e-9);
        assert_eq!(p2["latestValue"], 12.0);
        assert!((p2["ratio"].as_f64().unwrap() - 12.0 / 50.0).abs() < 1e-9);
        // Progress comes from the reports the viewer may read: the commune sees only its own.
        let seen_by_commune = commune.program(&f.id).await;
        assert_eq!(progress_of(&seen_by_commune, &c1)["latestValue"], 45.5);
        assert_eq!(
            progress_of(&seen_by_commune, &c2)["latestValue"],
            Value::Null
        );
        assert_eq!(seen_by_commune["reports"]["totalCount"], 1);

        // Nobody acknowledges their own organisation's report: not the commune, not the province.
        let commune_ack = json!({ "id": rid, "version": 3 });
        assert_eq!(
            commune.refused(ACKNOWLEDGE_REPORT, commune_ack).await,
            "FORBIDDEN"
        );
        let own_ack = json!({ "id": own["id"], "version": 2 });
        assert_eq!(hn.refused(ACKNOWLEDGE_REPORT, own_ack).await, "FORBIDDEN");
        // The owner acknowledges the commune's report; the centre acknowledges the province's.
        assert_eq!(
            hn.refused(ACKNOWLEDGE_REPORT, json!({ "id": rid, "version": 2 }))
                .await,
            "CONFLICT"
        );
        let acknowledged = hn
            .ok(ACKNOWLEDGE_REPORT, json!({ "id": rid, "version": 3 }))
            .await;
        assert_eq!(
            (&acknowledged["status"], &acknowledged["version"]),
            (&json!("ACKNOWLEDGED"), &json!(4))
        );
        assert!(acknowledged["acknowledgedAt"].is_string());
        assert_eq!(acknowledged["acknowledgedBy"]["email"], HANOI_ADMIN);
        let by_centre = centre
            .ok(ACKNOWLEDGE_REPORT, json!({ "id": own["id"], "version": 2 }))
            .await;
        assert_eq!(by_centre["status"], "ACKNOWLEDGED");
        let twice = json!({ "id": own["id"], "version": 3 });
        assert_eq!(
            centre.errors(ACKNOWLEDGE_REPORT, twice).await,
            ["status INVALID_TRANSITION"]
        );
        // Acknowledging keeps the latest values.
        let read = hn.program(&f.id).await;
        assert_eq!(progress_of(&read, &c1)["latestValue"], 60.0);
        assert_eq!(read["reports"]["totalCount"], 2);
        // Two submissions and two acknowledgements were audited.
        assert_eq!(
            app.count_where("audit_event", workflow).await,
            workflow_before + 4
        );
    }
);

on_both!(
    invalid_reports_are_refused_with_their_codes_and_leave_nothing_behind,
    |app| {
        let (hn, centre) = (by(app, HANOI_ADMIN), by(app, CENTRAL_ADMIN));
        let period = ("2024-01-01", "2027-12-31");
        let f = active(hn, "HN", "CAHN", "CTPH-BC-LOI", period).await;
        let c1 = commitment(hn, &f.owner_party, "Chỉ tiêu một", 10.0).await;
        let other = active(hn, "HN", "CAHN", "CTPH-BC-KHAC", period).await;
        let foreign = commitment(hn, &other.owner_party, "Chỉ tiêu khác", 10.0).await;
        let drafted = with_partner(hn, "HN", "CAHN", "CTPH-BC-NHAP", period).await;
        let ended = active(hn, "HN", "CAHN", "CTPH-BC-DUNG", period).await;
        set_status(hn, &ended.id, ended.version, "TERMINATED").await;
        let shelved = active(hn, "HN", "CAHN", "CTPH-BC-LUU", period).await;
        hn.ok(
            ARCHIVE_PROGRAM,
            json!({ "id": shelved.id, "version": shelved.version }),
        )
        .await;
        let (hanoi, hcm, vape) = (
            app.org_id("HN").await,
            app.org_id("HCM").await,
            app.org_id("VAPE").await,
        );
        let counts = || async {
            (
                app.count("program_report").await,
                app.count("report_indicator_value").await,
                app.count("audit_event").await,
            )
        };
        let before = counts().await;
        let report = |program: &str, org: &str, patch: Value| {
            let input = json!({ "programId": program, "reportingOrganisationId": org,
                                "kind": "ANNUAL", "periodYear": 2025, "title": "Báo cáo" });
            patched(&input, patch)
        };

        // Neither a party nor a branch of the owner: another province.
        let outsider = report(&f.id, &hcm, json!({}));
        assert_eq!(
            centre.errors(CREATE_REPORT, outsider).await,
            ["reportingOrganisationId NOT_A_PARTY"]
        );
        // Field rules, all at once.
        let bad = report(
            &f.id,
            &hanoi,
            json!({ "periodYear": null, "title": " ", "proposals": "a\u{0001}",
                    "indicatorValues": [{ "commitmentId": foreign["id"], "value": 1.0 },
                                        { "commitmentId": c1["id"], "value": 2.0 },
                                        { "commitmentId": c1["id"], "value": 3.0 }] }),
        );
        assert_eq!(
            hn.errors(CREATE_REPORT, bad).await,
            [
                "indicatorValues.0.commitmentId NOT_FOUND",
                "indicatorValues.2.commitmentId DUPLICATE",
                "periodYear REQUIRED",
                "proposals INVALID_CHARACTERS",
                "title REQUIRED",
            ]
        );
        for (kind, year) in [("ANNUAL", 2023), ("ANNUAL", 2028), ("MID_TERM", 2030)] {
            let out = report(&f.id, &hanoi, json!({ "kind": kind, "periodYear": year }));
            assert_eq!(
                hn.errors(CREATE_REPORT, out).await,
                ["periodYear OUT_OF_RANGE"],
                "{kind} {year}"
            );
        }
        // Reports are written on active or completed programs that are not archived.
        for program in [&drafted.id, &ended.id, &shelved.id] {
            let input = report(program, &hanoi, json!({}));
            assert_eq!(
                hn.errors(CREATE_REPORT, input).await,
                ["programId INVALID_STATE"]
            );
        }
        // For an organisation one does not edit for: readable (FORBIDDEN) or not (NOT_FOUND).
        assert_eq!(
            hn.refused(CREATE_REPORT, report(&f.id, &vape, json!({})))
                .await,
            "FORBIDDEN"
        );
        assert_eq!(
            hn.refused(CREATE_REPORT, report(&f.id, &hcm, json!({})))
                .await,
            "NOT_FOUND"
        );
        let viewer = by(app, HANOI_VIEWER);
        assert_eq!(
            viewer
                .refused(CREATE_REPORT, report(&f.id, &hanoi, json!({})))
                .await,
            "FORBIDDEN"
        );
        let wrong = report(
            &f.id,
            &hanoi,
            json!({ "indicatorValues": [{ "commitmentId": f.id, "value": 1.0 }] }),
        );
        assert_eq!(
            hn.bad_input(CREATE_REPORT, wrong).await,
            ["indicatorValues.0.commitmentId INVALID_ID"]
        );
        assert_eq!(counts().await, before, "no refused report wrote anything");

        // One report per organisation, kind and period.
        let with_value = json!({ "indicatorValues": [{ "commitmentId": c1["id"], "value": 7.0 }] });
        let first = hn
            .ok(CREATE_REPORT, report(&f.id, &hanoi, with_value))
            .await;
        let after_one = counts().await;
        let twice = report(&f.id, &hanoi, json!({}));
        assert_eq!(hn.errors(CREATE_REPORT, twice).await, ["kind DUPLICATE"]);
        // The same organisation may still write a report of another kind.
        let mid_term = json!({ "kind": "MID_TERM", "periodYear": null });
        hn.ok(CREATE_REPORT, report(&f.id, &hanoi, mid_term.clone()))
            .await;
        let twice = report(&f.id, &hanoi, mid_term);
        assert_eq!(hn.errors(CREATE_REPORT, twice).await, ["kind DUPLICATE"]);
        let after_two = counts().await;
        assert_eq!((after_two.0, after_two.1), (after_one.0 + 1, after_one.1));

        // Refused edits leave the draft and its values as they were.
        let bad = json!({ "id": first["id"], "version": 1, "title": "",
                          "indicatorValues": [{ "commitmentId": foreign["id"], "value": 1.0 }] });
        assert_eq!(
            hn.errors(UPDATE_REPORT, bad).await,
            ["indicatorValues.0.commitmentId NOT_FOUND", "title REQUIRED"]
        );
        let edit = json!({ "id": first["id"], "version": 1, "title": "Sửa" });
        assert_eq!(viewer.refused(UPDATE_REPORT, edit).await, "FORBIDDEN");
        let submit = json!({ "id": first["id"], "version": 1 });
        assert_eq!(viewer.refused(SUBMIT_REPORT, submit).await, "FORBIDDEN");
        assert_eq!(counts().await, after_two);
        let stored = app
            .data_as(HANOI_ADMIN, REPORT, json!({ "id": first["id"] }))
            .await;
        assert_eq!(
            (&stored["node"]["title"], &stored["node"]["version"]),
            (&json!("Báo cáo"), &json!(1))
        );
        assert_eq!(
            stored["node"]["indicatorValues"],
            json!([{ "value": 7.0, "note": null, "commitment": { "id": c1["id"] } }])
        );

        // A program that ran before 1990 takes no report for a year the database cannot hold: the
        // year is refused as input, not with an internal error.
        let old = active(
            centre,
            "VAPE",
            "MOET",
            "CTPH-1985",
            ("1985-01-01", "1992-12-31"),
        )
        .await;
        let before_old = counts().await;
        let too_old = report(&old.id, &hanoi, json!({ "periodYear": 1986 }));
        assert_eq!(
            centre.errors(CREATE_REPORT, too_old).await,
            ["periodYear OUT_OF_RANGE"]
        );
        assert_eq!(counts().await, before_old);
    }
);

// ---------------------------------------------------------------------------------------------
// Listing

on_both!(program_filters_search_and_orders_match_plain_sql, |app| {
    let centre = by(app, CENTRAL_ADMIN);
    let sql = |condition: &str, order: &str| {
        format!(
            "SELECT code AS s FROM program WHERE archived_at IS NULL AND ({condition}) \
             ORDER BY {order}"
        )
    };
    // Titles in capitals and without marks, and one without the phrase.
    for (code, title) in [
        ("TK-HOA", "KẾ HOẠCH CHƯƠNG TRÌNH PHỐI HỢP viết hoa"),
        ("TK-KHONG-DAU", "Chuong trinh phoi hop khong dau"),
        ("TK-KHAC", "Kế hoạch phối hợp tập huấn"),
    ] {
        draft(centre, "VAPE", code, title, ("2026-01-01", "2026-12-31")).await;
    }
    let by_start = "starts_on, id";

    // Search ignores case and diacritics, in the title and in the code.
    let phrase = "title LIKE '%Chương trình phối hợp%' OR title LIKE '%CHƯƠNG TRÌNH PHỐI HỢP%' \
                  OR title LIKE '%Chuong trinh phoi hop%'";
    let expected = app.strings(&sql(phrase, by_start)).await;
    assert!(expected.len() >= 11, "{expected:?}");
    assert!(!expected.contains(&"TK-KHAC".to_owned()));
    for term in [
        "chuong trinh phoi hop",
        "CHƯƠNG TRÌNH PHỐI HỢP",
        "Chương trình Phối hợp",
        "  chuong  trinh phoi hop ",
    ] {
        assert_eq!(
            centre.listed(json!({ "search": term }), Value::Null).await,
            expected,
            "{term}"
        );
    }
    assert_eq!(
        centre
            .listed(json!({ "search": "bgddt" }), Value::Null)
            .await,
        ["CTPH-BGDDT-2021"]
    );
    let police = centre
        .listed(json!({ "search": "công an thủ đô" }), Value::Null)
        .await;
    assert_eq!(police, ["CTPH-HN-CAHN-2024"]);
    assert!(
        centre
            .listed(json!({ "search": "100%_" }), Value::Null)
            .await
            .is_empty()
    );

    // Statuses.
    let expected = app
        .strings(&sql("status IN ('ACTIVE', 'COMPLETED')", by_start))
        .await;
    assert!(!expected.is_empty());
    let statuses = json!({ "statuses": ["ACTIVE", "COMPLETED"] });
    assert_eq!(centre.listed(statuses, Value::Null).await, expected);
    // Running in 2026: ends on or after its first day, starts on or before its last.
    let expected = app
        .strings(&sql(
            "ends_on >= '2026-01-01' AND starts_on <= '2026-12-31'",
            by_start,
        ))
        .await;
    let in_2026 = json!({ "activeFrom": "2026-01-01", "activeTo": "2026-12-31" });
    assert_eq!(centre.listed(in_2026, Value::Null).await, expected);
    let expected = app
        .strings(&sql("starts_on <= '2022-01-01'", by_start))
        .await;
    assert_eq!(
        centre
            .listed(json!({ "activeTo": "2022-01-01" }), Value::Null)
            .await,
        expected
    );
    // A partner's programs: those it is a live party to.
    let expected = app
        .strings(&sql(
            "id IN (SELECT program_id FROM program_party pp \
             JOIN organisation o ON o.id = pp.organisation_id \
             WHERE o.code = 'MOET' AND pp.removed_at IS NULL)",
            by_start,
        ))
        .await;
    assert!(!expected.is_empty());
    let partner = json!({ "partner": app.org_id("MOET").await });
    assert_eq!(centre.listed(partner, Value::Null).await, expected);
    // Programs owned within a branch's subtree.
    let owned = format!(
        "owner_id IN (SELECT id FROM organisation WHERE {})",
        in_subtree("path", "HCM")
    );
    let expected = app.strings(&sql(&owned, by_start)).await;
    assert_eq!(expected, ["CTPH-HCM-THANHDOAN-2025"]);
    let within = json!({ "withinOrganisation": app.org_id("HCM").await });
    assert_eq!(centre.listed(within, Value::Null).await, expected);
    // Filters combine.
    let expected = app
        .strings(&sql(
            "status = 'ACTIVE' AND ends_on >= '2027-01-01' AND title LIKE '%Việt Nam%'",
            by_start,
        ))
        .await;
    let combined =
        json!({ "statuses": ["ACTIVE"], "activeFrom": "2027-01-01", "search": "viet nam" });
    assert_eq!(centre.listed(combined, Value::Null).await, expected);

    // Orders, both directions, ties broken by id in the same direction.
    for (field, direction, order) in [
        ("STARTS_ON", "ASC", "starts_on, id"),
        ("ENDS_ON", "DESC", "ends_on DESC, id DESC"),
        ("TITLE", "ASC", "title_search, id"),
        ("CODE", "DESC", "code DESC, id DESC"),
        ("CREATED_AT", "ASC", "created_at, id"),
    ] {
        let expected = app.strings(&sql("1 = 1", order)).await;
        let order = json!({ "field": field, "direction": direction });
        assert_eq!(
            centre.listed(json!({}), order).await,
            expected,
            "{field} {direction}"
        );
    }
    // totalCount counts the whole filtered list.
    let vars = json!({ "filter": { "statuses": ["DRAFT"] }, "first": 1 });
    let got = app.data_as(CENTRAL_ADMIN, PROGRAMS, vars).await;
    let drafts = app
        .count_where("program", "status = 'DRAFT' AND archived_at IS NULL")
        .await;
    assert_eq!(got["programs"]["totalCount"].as_i64(), Some(drafts));
});

on_both!(
    paging_forward_and_backward_returns_every_row_exactly_once,
    |app| {
        let centre = by(app, CENTRAL_ADMIN);
        // Ties on every sort key but the code: three programs with the same title and period.
        for code in ["TIE-A", "TIE-B", "TIE-C"] {
            let title = "Chương trình phối hợp trùng tên";
            draft(centre, "VAPE", code, title, ("2025-06-01", "2026-06-01")).await;
        }
        for (field, direction, order) in [
            ("STARTS_ON", "ASC", "starts_on, id"),
            ("STARTS_ON", "DESC", "starts_on DESC, id DESC"),
            ("TITLE", "ASC", "title_search, id"),
            ("ENDS_ON", "DESC", "ends_on DESC, id DESC"),
            ("CODE", "ASC", "code, id"),
            ("CREATED_AT", "DESC", "created_at DESC, id DESC"),
        ] {
            let expected = app
                .strings(&format!(
                    "SELECT code AS s FROM program WHERE archived_at IS NULL ORDER BY {order}"
                ))
                .await;
            let order = json!({ "field": field, "direction": direction });
            // Every page size is exercised on one order; the others page four at a time.
            let sizes: &[i64] = if order["field"] == "STARTS_ON" && order["direction"] == "ASC" {
                &[1, 2, 5]
            } else {
                &[4]
            };
            for &size in sizes {
                let forward = page_forward(centre, &json!({}), &order, size).await;
                assert_eq!(forward, expected, "{field} {direction} first {size}");
                let backward = page_backward(centre, &json!({}), &order, size).await;
                assert_eq!(backward, expected, "{field} {direction} last {size}");
            }
        }
        // Paging through a filtered list, as a partner.
        let expected = app
            .strings(
                "SELECT DISTINCT p.code AS s, p.starts_on, p.id FROM program p \
             JOIN program_party pp ON pp.program_id = p.id AND pp.removed_at IS NULL \
             JOIN organisation o ON o.id = pp.organisation_id \
             WHERE (o.code = 'MOET' OR o.code LIKE 'MOET-%') AND p.archived_at IS NULL \
             AND p.status <> 'DRAFT' ORDER BY p.starts_on, p.id",
            )
            .await;
        let signed = json!({ "statuses": ["ACTIVE", "COMPLETED", "TERMINATED"] });
        let seen = page_forward(by(app, MOET_PARTNER), &signed, &Value::Null, 1).await;
        assert_eq!(seen, expected);
        // A cursor of one order is refused by another; negative sizes are refused.
        let got = app
            .data_as(CENTRAL_ADMIN, PROGRAMS, json!({ "first": 1 }))
            .await;
        let cursor = got["programs"]["pageInfo"]["endCursor"].clone();
        let vars = json!({ "first": 1, "after": cursor, "orderBy": { "field": "TITLE" } });
        let body = app.gql_as(CENTRAL_ADMIN, PROGRAMS, vars).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
        assert_eq!(
            field_codes(&body["errors"][0]["extensions"]["fields"]),
            ["after INVALID_CURSOR"]
        );
        let body = app
            .gql_as(CENTRAL_ADMIN, PROGRAMS, json!({ "first": -1 }))
            .await;
        assert_eq!(
            field_codes(&body["errors"][0]["extensions"]["fields"]),
            ["first OUT_OF_RANGE"]
        );
    }
);

on_both!(
    paging_while_programs_are_inserted_never_repeats_or_skips_a_row,
    |app| {
        let centre = by(app, CENTRAL_ADMIN);
        let in_order =
            "SELECT code AS s FROM program WHERE archived_at IS NULL ORDER BY starts_on, id";
        let at_start = app.strings(in_order).await;
        let mut seen: Vec<String> = Vec::new();
        let mut inserted: Vec<String> = Vec::new();
        let mut after: Option<String> = None;
        let mut round = 0;
        loop {
            let got = app
                .data_as(
                    CENTRAL_ADMIN,
                    PROGRAMS,
                    json!({ "first": 3, "after": after }),
                )
                .await;
            let page = &got["programs"];
            seen.extend(codes(page));
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
            // Between pages: one program before everything, one after everything, and one on the
            // start date of the last row seen (it sorts after that row: a larger id).
            let last = seen.last().unwrap();
            let last_start = app
                .strings(&format!(
                    "SELECT CAST(starts_on AS TEXT) AS s FROM program WHERE code = '{last}'"
                ))
                .await
                .remove(0);
            for (suffix, starts, ends) in [
                ("SOM", "2000-01-01", "2000-12-31"),
                ("MUON", "2090-01-01", "2090-12-31"),
                ("CUNG", last_start.as_str(), "2099-12-31"),
            ] {
                let code = format!("CHEN-{round}-{suffix}");
                draft(
                    centre,
                    "VAPE",
                    &code,
                    "Chương trình chèn giữa hai trang",
                    (starts, ends),
                )
                .await;
                inserted.push(code);
            }
            round += 1;
        }
        assert!(round >= 3, "several pages were read");
        let unique: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "no row repeats: {seen:?}");
        for code in &at_start {
            assert!(seen.contains(code), "{code} was skipped: {seen:?}");
        }
        assert!(
            seen.iter()
                .all(|c| at_start.contains(c) || inserted.contains(c))
        );
        // Rows inserted ahead of the cursor are reached; rows inserted behind it are not.
        assert!(seen.iter().any(|c| c.ends_with("-MUON")));
        assert!(seen.iter().any(|c| c.ends_with("-CUNG")));
        assert!(!seen.iter().any(|c| c.ends_with("-SOM")));
        // What was seen is in list order.
        let now = app.strings(in_order).await;
        let positions: Vec<usize> = seen
            .iter()
            .map(|c| now.iter().position(|o| o == c).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    }
);

// ---------------------------------------------------------------------------------------------
// Scope

on_both!(
    provinces_partners_viewers_and_communes_see_and_change_only_what_the_rules_allow,
    |app| {
        let (hn, hcm_admin, centre) = (
            by(app, HANOI_ADMIN),
            by(app, HCM_ADMIN),
            by(app, CENTRAL_ADMIN),
        );
        let moet_user = by(app, MOET_PARTNER);
        let commune = by(app, COMMUNE_EDITOR);
        let national = program_id(app, "CTPH-BGDDT-2021").await;
        let hcm = app.org_id("HCM").await;
        // Hồ Chí Minh City writes a mid-term report on the national program.
        let hcm_report = hcm_admin
            .ok(
                CREATE_REPORT,
                json!({ "programId": national, "reportingOrganisationId": hcm,
                        "kind": "MID_TERM", "title": "Sơ kết của Thành phố Hồ Chí Minh" }),
            )
            .await;

        // Hà Nội (admin and viewer alike) reads exactly the reports of its subtree and of the
        // programs it owns, and none of Hồ Chí Minh City's.
        let expected = report_keys_sql(
            app,
            &format!(
                "{} OR {}",
                in_subtree("o.path", "HN"),
                in_subtree("w.path", "HN")
            ),
        )
        .await;
        assert!(!expected.is_empty());
        let hanoi_sees = report_keys(hn).await;
        assert_eq!(hanoi_sees, expected);
        assert_eq!(report_keys(by(app, HANOI_VIEWER)).await, expected);
        let by_hcm = report_keys_sql(app, &in_subtree("o.path", "HCM")).await;
        assert!(by_hcm.len() >= 3, "the demo's and the new one: {by_hcm:?}");
        assert!(hanoi_sees.is_disjoint(&by_hcm), "{hanoi_sees:?}");
        let hidden = app
            .data_as(HANOI_ADMIN, NODE, json!({ "id": hcm_report["id"] }))
            .await;
        assert_eq!(hidden["node"], Value::Null);
        // On the shared national program each province sees only its own reports.
        for (who, code) in [(hn, "HN"), (hcm_admin, "HCM")] {
            let seen = who.program(&national).await;
            let reporters: BTreeSet<&str> = seen["reports"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["reportingOrganisation"]["code"].as_str().unwrap())
                .collect();
            assert_eq!(reporters, BTreeSet::from([code]));
        }

        // The ministry reads the programs it (or a unit of it) is party to, with all their reports.
        let expected = report_keys_sql(
            app,
            "r.program_id IN (SELECT pp.program_id FROM program_party pp \
         JOIN organisation m ON m.id = pp.organisation_id \
         WHERE pp.removed_at IS NULL AND (m.code = 'MOET' OR m.code LIKE 'MOET-%'))",
        )
        .await;
        let moet_sees = report_keys(moet_user).await;
        assert_eq!(moet_sees, expected);
        let new_one = "CTPH-BGDDT-2021/MID_TERM/-/Sơ kết của Thành phố Hồ Chí Minh";
        assert!(moet_sees.contains(new_one));
        // The ministry reports on its program; neither it nor Hà Nội acknowledges; the owner does.
        let moet = app.org_id("MOET").await;
        let own = moet_user
            .ok(
                CREATE_REPORT,
                json!({ "programId": national, "reportingOrganisationId": moet,
                        "kind": "ANNUAL", "periodYear": 2026, "title": "Báo cáo năm 2026 của Bộ" }),
            )
            .await;
        moet_user
            .ok(SUBMIT_REPORT, json!({ "id": own["id"], "version": 1 }))
            .await;
        let ack = json!({ "id": own["id"], "version": 2 });
        assert_eq!(
            moet_user.refused(ACKNOWLEDGE_REPORT, ack.clone()).await,
            "FORBIDDEN"
        );
        assert_eq!(
            hn.refused(ACKNOWLEDGE_REPORT, ack.clone()).await,
            "NOT_FOUND",
            "Hà Nội does not see it"
        );
        assert_eq!(
            centre.ok(ACKNOWLEDGE_REPORT, ack).await["status"],
            "ACKNOWLEDGED"
        );

        // Writes out of reach: viewers, auditors, the partner, and a commune on programs above it.
        let versions = || async {
            app.strings(
                "SELECT code || ':' || CAST(version AS TEXT) AS s FROM program \
             WHERE code IN ('CTPH-BGDDT-2021', 'CTPH-HND-2027', 'CTPH-HN-CAHN-2024') ORDER BY code",
            )
            .await
        };
        let versions_before = versions().await;
        let version_of = |code: &str| -> i64 {
            let row = versions_before
                .iter()
                .find(|v| v.starts_with(code))
                .unwrap();
            row.rsplit(':').next().unwrap().parse().unwrap()
        };
        let programs_before = app.count("program").await;
        let audit_before = app.count("audit_event").await;
        let hanoi = app.org_id("HN").await;
        let hn_program = program_id(app, "CTPH-HN-CAHN-2024").await;
        let national_draft = program_id(app, "CTPH-HND-2027").await;
        let hcm_program = program_id(app, "CTPH-HCM-THANHDOAN-2025").await;
        let new_program = |owner: &str| {
            json!({ "ownerId": owner, "code": "CTPH-CAM", "title": "Không được tạo",
                    "startsOn": "2026-01-01", "endsOn": "2027-01-01" })
        };
        let rename = |program: &str, version: i64| {
            json!({ "id": program, "version": version,
                    "title": "Đổi tên" })
        };
        let (v_national, v_hn) = (
            version_of("CTPH-BGDDT-2021"),
            version_of("CTPH-HN-CAHN-2024"),
        );
        let cases = [
            (
                HANOI_VIEWER,
                CREATE_PROGRAM,
                new_program(&hanoi),
                "FORBIDDEN",
            ),
            (
                HANOI_VIEWER,
                UPDATE_PROGRAM,
                rename(&hn_program, v_hn),
                "FORBIDDEN",
            ),
            (
                AUDITOR,
                CREATE_PROGRAM,
                new_program(&app.org_id("VAPE").await),
                "FORBIDDEN",
            ),
            (
                AUDITOR,
                UPDATE_PROGRAM,
                rename(&national, v_national),
                "FORBIDDEN",
            ),
            (
                MOET_PARTNER,
                UPDATE_PROGRAM,
                rename(&national, v_national),
                "FORBIDDEN",
            ),
            (
                HANOI_ADMIN,
                UPDATE_PROGRAM,
                rename(&national, v_national),
                "FORBIDDEN",
            ),
            (
                HANOI_ADMIN,
                UPDATE_PROGRAM,
                rename(&hcm_program, 1),
                "NOT_FOUND",
            ),
            // A commune reads active programs of its ancestors but cannot change them.
            (
                COMMUNE_EDITOR,
                UPDATE_PROGRAM,
                rename(&national, v_national),
                "FORBIDDEN",
            ),
            (
                COMMUNE_EDITOR,
                ARCHIVE_PROGRAM,
                json!({ "id": national, "version": v_national }),
                "FORBIDDEN",
            ),
            (
                COMMUNE_EDITOR,
                UPDATE_PROGRAM,
                rename(&hn_program, v_hn),
                "FORBIDDEN",
            ),
            (
                COMMUNE_EDITOR,
                CREATE_PROGRAM,
                new_program(&hanoi),
                "FORBIDDEN",
            ),
            // A national draft is not shown to a commune at all, nor another province's program.
            (
                COMMUNE_EDITOR,
                CHANGE_STATUS,
                json!({ "id": national_draft, "version": version_of("CTPH-HND-2027"),
                        "status": "ACTIVE" }),
                "NOT_FOUND",
            ),
            (
                COMMUNE_EDITOR,
                UPDATE_PROGRAM,
                rename(&hcm_program, 1),
                "NOT_FOUND",
            ),
        ];
        for (who, doc, input, expected) in cases {
            assert_eq!(
                by(app, who).refused(doc, input.clone()).await,
                expected,
                "{who}: {input}"
            );
        }
        assert_eq!(commune.program(&national).await["code"], "CTPH-BGDDT-2021");
        assert_eq!(commune.program(&national_draft).await, Value::Null);
        assert_eq!(versions().await, versions_before);
        assert_eq!(app.count("program").await, programs_before);
        assert_eq!(
            app.count("audit_event").await,
            audit_before,
            "refused writes change nothing"
        );
        // A commune editor does write programs of its own commune.
        let badinh = app.org_id("HN-BADINH").await;
        let own = commune
            .ok(
                CREATE_PROGRAM,
                json!({ "ownerId": badinh, "code": "CTPH-BADINH-1",
                        "title": "Chương trình của phường",
                        "startsOn": "2026-01-01", "endsOn": "2027-01-01" }),
            )
            .await;
        assert_eq!(own["owner"]["code"], "HN-BADINH");
    }
);
