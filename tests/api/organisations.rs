//! Reading the organisation tree: lists, filters, search, paging, relations, node lookups,
//! and the scope every one of them applies.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both;

fn codes(data: &Value) -> Vec<String> {
    data["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .filter_map(|n| n["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

const LIST: &str = r#"query($filter: OrganisationFilter, $first: Int, $after: String, $order: OrganisationOrder) {
  organisations(filter: $filter, first: $first, after: $after, orderBy: $order) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    nodes { id code name kind depth }
  }
}"#;

on_both!(central_sees_the_34_provinces, |app| {
    let data = app
        .data_as(
            CENTRAL_ADMIN,
            LIST,
            json!({ "filter": { "kinds": ["PROVINCIAL"] }, "first": 100 }),
        )
        .await;
    let list = &data["organisations"];
    assert_eq!(list["totalCount"], 34);
    assert_eq!(list["nodes"].as_array().map(Vec::len), Some(34));
    let names: Vec<&str> = list["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["name"].as_str())
        .collect();
    assert!(names.iter().any(|n| n.contains("Hà Nội")), "{names:?}");
    assert!(names.iter().any(|n| n.contains("Hồ Chí Minh")), "{names:?}");
});

on_both!(search_ignores_diacritics_and_case, |app| {
    for term in ["ha noi", "HÀ NỘI", "Ha Noi"] {
        let data = app
            .data_as(
                CENTRAL_ADMIN,
                LIST,
                json!({ "filter": { "search": term, "kinds": ["PROVINCIAL"] } }),
            )
            .await;
        let names: Vec<&str> = data["organisations"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|n| n["name"].as_str())
            .collect();
        assert_eq!(names.len(), 1, "{term}: {names:?}");
        assert!(names[0].contains("Hà Nội"));
    }
});

on_both!(pages_cover_every_row_exactly_once, |app| {
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app
            .data_as(
                CENTRAL_ADMIN,
                LIST,
                json!({ "filter": { "kinds": ["PROVINCIAL"] }, "first": 7, "after": after, "order": { "field": "NAME", "direction": "DESC" } }),
            )
            .await;
        let list = &data["organisations"];
        seen.extend(codes(list));
        if list["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = list["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(seen.len(), 34);
    assert_eq!(unique.len(), 34);
});

on_both!(a_cursor_from_another_order_is_rejected, |app| {
    let data = app
        .data_as(CENTRAL_ADMIN, LIST, json!({ "first": 2 }))
        .await;
    let cursor = data["organisations"]["pageInfo"]["endCursor"].clone();
    let body = app
        .gql_as(
            CENTRAL_ADMIN,
            LIST,
            json!({ "first": 2, "after": cursor, "order": { "field": "CODE" } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    let garbage = app
        .gql_as(
            CENTRAL_ADMIN,
            LIST,
            json!({ "first": 2, "after": "not-a-cursor" }),
        )
        .await;
    assert_eq!(error_code(&garbage), Some("BAD_USER_INPUT"));
});

on_both!(page_size_is_capped, |app| {
    let body = app
        .gql_as(CENTRAL_ADMIN, LIST, json!({ "first": 1000 }))
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    let negative = app
        .gql_as(CENTRAL_ADMIN, LIST, json!({ "first": -1 }))
        .await;
    assert_eq!(error_code(&negative), Some("BAD_USER_INPUT"));
});

const TREE: &str = r#"query($id: ID!) {
  organisation(id: $id) {
    code
    parent { code }
    ancestors { code }
    children(first: 50) { totalCount nodes { code parent { code } children(first: 5) { totalCount nodes { code } } } }
  }
}"#;

on_both!(tree_relations_resolve, |app| {
    let hanoi = app.org_id("HN").await;
    let data = app
        .data_as(CENTRAL_ADMIN, TREE, json!({ "id": hanoi }))
        .await;
    let org = &data["organisation"];
    assert_eq!(org["code"], "HN");
    assert_eq!(org["parent"]["code"], "VAPE");
    assert_eq!(org["ancestors"], json!([{ "code": "VAPE" }]));
    let children = org["children"]["nodes"].as_array().unwrap();
    assert!(children.len() >= 5, "Hà Nội has communes: {children:?}");
    assert_eq!(
        org["children"]["totalCount"].as_i64(),
        Some(children.len() as i64)
    );
    assert!(children.iter().all(|c| c["parent"]["code"] == "HN"));
});

const CHILDREN_BOTH_WAYS: &str = r#"query($id: ID!) {
  organisation(id: $id) { children(first: 100) { totalCount nodes { code } } }
  organisations(filter: { parent: $id }, first: 100) { totalCount nodes { code } }
}"#;

// The `children` relation drops its scope condition when the viewer reads the parent's whole
// subtree, and keeps it otherwise; both must agree with the scoped list root.
on_both!(
    children_agree_with_the_scoped_list_inside_and_above_the_subtree,
    |app| {
        let hanoi = app.org_id("HN").await;
        let vape = app.org_id("VAPE").await;
        let inside = app
            .data_as(HANOI_ADMIN, CHILDREN_BOTH_WAYS, json!({ "id": hanoi }))
            .await;
        let everyone = app
            .data_as(CENTRAL_ADMIN, CHILDREN_BOTH_WAYS, json!({ "id": hanoi }))
            .await;
        let own_children = codes(&inside["organisation"]["children"]);
        assert!(
            own_children.len() >= 5,
            "Hà Nội has communes: {own_children:?}"
        );
        assert_eq!(own_children, codes(&inside["organisations"]));
        assert_eq!(own_children, codes(&everyone["organisation"]["children"]));
        assert_eq!(
            inside["organisation"]["children"]["totalCount"],
            inside["organisations"]["totalCount"]
        );

        let above = app
            .data_as(HANOI_ADMIN, CHILDREN_BOTH_WAYS, json!({ "id": vape }))
            .await;
        let provinces = codes(&above["organisation"]["children"]);
        assert_eq!(provinces, codes(&above["organisations"]));
        assert!(provinces.contains(&"HN".to_owned()), "{provinces:?}");
        assert!(!provinces.contains(&"HCM".to_owned()), "{provinces:?}");
        let all_provinces = app
            .data_as(CENTRAL_ADMIN, CHILDREN_BOTH_WAYS, json!({ "id": vape }))
            .await;
        assert!(
            codes(&all_provinces["organisation"]["children"]).len() > provinces.len(),
            "the centre sees provinces Hà Nội does not"
        );
    }
);

on_both!(node_lookup_round_trips, |app| {
    let hanoi = app.org_id("HN").await;
    let data = app
        .data_as(
            CENTRAL_ADMIN,
            "query($id: ID!) { node(id: $id) { __typename id ... on Organisation { code } } nodes(ids: [$id, \"bm9wZQ\"]) { id } }",
            json!({ "id": hanoi }),
        )
        .await;
    assert_eq!(data["node"]["__typename"], "Organisation");
    assert_eq!(data["node"]["id"], hanoi);
    assert_eq!(data["node"]["code"], "HN");
    assert_eq!(data["nodes"], json!([{ "id": hanoi }, null]));
});

on_both!(a_province_never_sees_a_sibling_province_subtree, |app| {
    let hcm = app.org_id("HCM").await;
    // Through node, the typed root, and lists.
    let data = app
        .data_as(
            HANOI_ADMIN,
            "query($id: ID!) { node(id: $id) { id } organisation(id: $id) { id } }",
            json!({ "id": hcm }),
        )
        .await;
    assert_eq!(data, json!({ "node": null, "organisation": null }));
    let list = app
        .data_as(
            HANOI_ADMIN,
            LIST,
            json!({ "first": 100, "filter": { "kinds": ["PROVINCIAL", "COMMUNE"] } }),
        )
        .await;
    let seen = codes(&list["organisations"]);
    assert!(seen.contains(&"HN".to_owned()));
    assert!(!seen.contains(&"HCM".to_owned()), "{seen:?}");
    assert!(
        seen.iter().all(|c| c == "HN" || c.starts_with("HN")),
        "only Hà Nội's subtree: {seen:?}"
    );
    // Filtering on a sibling's subtree is the same as asking for something that does not exist.
    let body = app
        .gql_as(
            HANOI_ADMIN,
            LIST,
            json!({ "filter": { "withinOrganisation": hcm } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
});

on_both!(anonymous_requests_read_nothing, |app| {
    let (status, body) = app.post(None, LIST, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
    assert_eq!(body["data"], Value::Null);
});
