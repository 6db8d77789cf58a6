//! Tests of the `Store` contract. Each check takes a `&dyn Store`, so every backend runs the
//! same suite; the SQLite store runs it here on a fresh file per test.

use evo_integrations::connectors::ConnectorSchema;
use evo_integrations::domain::caller::Scope;
use evo_integrations::domain::ids::new_id;
use evo_integrations::domain::now_rfc3339;
use evo_integrations::domain::settings::Settings;
use evo_integrations::dto::data::{Struct, Value};
use evo_integrations::dto::endpoint::EndpointTypes;
use evo_integrations::dto::integration::{IntegrationStatuses, IntegrationTypes, LogLevels};
use evo_integrations::store::{
    AccountRecord, Audit, CustomerFilter, CustomerRecord, EndpointRecord, Filter,
    IntegrationFilter, IntegrationLink, IntegrationRecord, ListQuery, LogRecord, Paging,
    SecretCipher, SqliteStore, Store, StoreError,
};

fn audit() -> Audit {
    Audit::created("tester", &now_rfc3339())
}

async fn account(store: &dyn Store, name: &str) -> String {
    let id = new_id();
    store
        .insert_account(AccountRecord {
            id: id.clone(),
            name: name.to_owned(),
            parent_account_id: None,
            ancestor_ids: Vec::new(),
            audit: audit(),
        })
        .await
        .unwrap();
    id
}

fn customer(account_id: &str, name: &str, link: Option<IntegrationLink>) -> CustomerRecord {
    CustomerRecord {
        id: new_id(),
        account_id: account_id.to_owned(),
        parent_customer_id: None,
        name: name.to_owned(),
        reference_id: None,
        is_staging: false,
        data: Struct::new(),
        integration_link: link,
        audit: audit(),
    }
}

fn integration(account_id: &str) -> IntegrationRecord {
    let schema = ConnectorSchema::of(IntegrationTypes::Zoho);
    let mut patch = Struct::new();
    patch.insert("ClientSecret".into(), Value::string("store-secret"));
    IntegrationRecord {
        id: new_id(),
        account_id: account_id.to_owned(),
        customer_id: None,
        name: "Zoho".to_owned(),
        integration_type: IntegrationTypes::Zoho,
        settings: Settings::defaults(schema).merge(schema, &patch).unwrap(),
        automatically_create_customers: false,
        status: IntegrationStatuses::NotConfigured,
        status_message: Some("Missing settings: ClientId.".to_owned()),
        is_authorized: false,
        date_last_sync: None,
        audit: audit(),
    }
}

fn log(integration_id: &str, id: &str) -> LogRecord {
    LogRecord {
        id: id.to_owned(),
        integration_id: integration_id.to_owned(),
        date: now_rfc3339(),
        level: LogLevels::Info,
        message: "entry".to_owned(),
        sync_id: None,
    }
}

fn all_customers() -> ListQuery<CustomerFilter> {
    ListQuery {
        filter: CustomerFilter::default(),
        specific_ids: None,
        sort: CustomerFilter::sort_column("Name").unwrap(),
        descending: false,
        paging: Paging::All,
    }
}

async fn check_round_trip_with_secrets(store: &dyn Store) {
    let account_id = account(store, "A").await;
    let record = integration(&account_id);
    store
        .insert_integration(record.clone(), log(&record.id, &new_id()))
        .await
        .unwrap();
    let stored = store
        .get_integration(&Scope::All, &record.id)
        .await
        .unwrap();
    assert_eq!(stored, record);
    assert_eq!(
        stored.settings.secrets["ClientSecret"],
        Value::string("store-secret")
    );
}

async fn check_failed_update_changes_nothing(store: &dyn Store) {
    let account_id = account(store, "A").await;
    let record = integration(&account_id);
    let first_log = new_id();
    store
        .insert_integration(record.clone(), log(&record.id, &first_log))
        .await
        .unwrap();
    let mut changed = record.clone();
    changed.name = "Changed".to_owned();
    // Reusing the log entry's id makes the second statement of the transaction fail.
    let error = store
        .update_integration(changed, log(&record.id, &first_log))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Conflict { .. }), "{error:?}");
    let stored = store
        .get_integration(&Scope::All, &record.id)
        .await
        .unwrap();
    assert_eq!(stored.name, "Zoho");
}

async fn check_scope_hides_other_accounts(store: &dyn Store) {
    let mine = account(store, "Mine").await;
    let theirs = account(store, "Theirs").await;
    let record = integration(&theirs);
    store
        .insert_integration(record.clone(), log(&record.id, &new_id()))
        .await
        .unwrap();
    let scope = Scope::Accounts(vec![mine.clone()]);

    let error = store.get_integration(&scope, &record.id).await.unwrap_err();
    assert!(matches!(error, StoreError::NotFound));
    let error = store
        .delete_integration(&scope, &record.id)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::NotFound));
    let error = store.get_account(&scope, &theirs).await.unwrap_err();
    assert!(matches!(error, StoreError::NotFound));
    let query = ListQuery {
        filter: IntegrationFilter {
            account_ids: Some(vec![theirs.clone()]),
            ..IntegrationFilter::default()
        },
        specific_ids: None,
        sort: IntegrationFilter::sort_column("Name").unwrap(),
        descending: false,
        paging: Paging::All,
    };
    let page = store.list_integrations(&scope, query).await.unwrap();
    assert!(page.items.is_empty());
    // Still there for a caller who may see it.
    store
        .get_integration(&Scope::All, &record.id)
        .await
        .unwrap();
}

async fn check_delete_integration_unlinks_records(store: &dyn Store) {
    let account_id = account(store, "A").await;
    let record = integration(&account_id);
    store
        .insert_integration(record.clone(), log(&record.id, &new_id()))
        .await
        .unwrap();
    let link = IntegrationLink {
        integration_id: record.id.clone(),
        crm_id: "crm-42".to_owned(),
        date_last_sync: Some(now_rfc3339()),
    };
    let synced = customer(&account_id, "Synced", Some(link.clone()));
    store.insert_customer(synced.clone()).await.unwrap();
    let endpoint = EndpointRecord {
        id: new_id(),
        account_id: account_id.clone(),
        customer_id: Some(synced.id.clone()),
        endpoint_type: EndpointTypes::User,
        display_name: "Jane".to_owned(),
        reference_id: Some("crm-7".to_owned()),
        user_first_name: None,
        user_last_name: None,
        user_email_address: None,
        phone_number: None,
        integration_link: Some(link),
        audit: audit(),
    };
    store.insert_endpoint(endpoint.clone()).await.unwrap();

    store
        .delete_integration(&Scope::All, &record.id)
        .await
        .unwrap();

    let kept = store.get_customer(&Scope::All, &synced.id).await.unwrap();
    assert_eq!(kept.integration_link, None);
    assert_eq!(kept.name, "Synced");
    let kept = store.get_endpoint(&Scope::All, &endpoint.id).await.unwrap();
    assert_eq!(kept.integration_link, None);
    let error = store
        .get_integration(&Scope::All, &record.id)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::NotFound));
}

async fn check_customer_in_use_is_conflict(store: &dyn Store) {
    let account_id = account(store, "A").await;
    let parent = customer(&account_id, "Parent", None);
    store.insert_customer(parent.clone()).await.unwrap();
    let mut child = customer(&account_id, "Child", None);
    child.parent_customer_id = Some(parent.id.clone());
    store.insert_customer(child.clone()).await.unwrap();

    let error = store
        .delete_customer(&Scope::All, &parent.id)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Conflict {
                constraint: "customers_in_use",
                ..
            }
        ),
        "{error:?}"
    );
    store.delete_customer(&Scope::All, &child.id).await.unwrap();
    store
        .delete_customer(&Scope::All, &parent.id)
        .await
        .unwrap();
    let page = store
        .list_customers(&Scope::All, all_customers())
        .await
        .unwrap();
    assert!(page.items.is_empty());
}

async fn check_breadcrumbs_run_top_down(store: &dyn Store) {
    let account_id = account(store, "A").await;
    let top = customer(&account_id, "Top", None);
    store.insert_customer(top.clone()).await.unwrap();
    let mut middle = customer(&account_id, "Middle", None);
    middle.parent_customer_id = Some(top.id.clone());
    store.insert_customer(middle.clone()).await.unwrap();
    let mut leaf = customer(&account_id, "Leaf", None);
    leaf.parent_customer_id = Some(middle.id.clone());
    store.insert_customer(leaf.clone()).await.unwrap();

    let crumbs = store
        .breadcrumbs(vec![leaf.id.clone(), top.id.clone()])
        .await
        .unwrap();
    let names: Vec<&str> = crumbs[&leaf.id]
        .iter()
        .map(|crumb| crumb.name.as_str())
        .collect();
    assert_eq!(names, ["Top", "Middle", "Leaf"]);
    assert_eq!(crumbs[&top.id].len(), 1);
}

async fn check_duplicate_reference_is_conflict(store: &dyn Store) {
    let account_id = account(store, "A").await;
    let endpoint = |reference: &str| EndpointRecord {
        id: new_id(),
        account_id: account_id.clone(),
        customer_id: None,
        endpoint_type: EndpointTypes::User,
        display_name: "User".to_owned(),
        reference_id: Some(reference.to_owned()),
        user_first_name: None,
        user_last_name: None,
        user_email_address: None,
        phone_number: None,
        integration_link: None,
        audit: audit(),
    };
    store.insert_endpoint(endpoint("ref-1")).await.unwrap();
    let error = store.insert_endpoint(endpoint("ref-1")).await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Conflict {
                constraint: "endpoints_account_id_reference_id_key",
                ..
            }
        ),
        "{error:?}"
    );
}

fn sqlite() -> (tempfile::TempDir, SqliteStore) {
    let folder = tempfile::tempdir().unwrap();
    let store =
        SqliteStore::open(&folder.path().join("store.db"), SecretCipher::new(&[3; 32])).unwrap();
    (folder, store)
}

macro_rules! sqlite_tests {
    ($($name:ident => $check:ident,)*) => {
        $(
            #[tokio::test]
            async fn $name() {
                let (_folder, store) = sqlite();
                $check(&store).await;
            }
        )*
    };
}

sqlite_tests! {
    sqlite_round_trip_with_secrets => check_round_trip_with_secrets,
    sqlite_failed_update_changes_nothing => check_failed_update_changes_nothing,
    sqlite_scope_hides_other_accounts => check_scope_hides_other_accounts,
    sqlite_delete_integration_unlinks_records => check_delete_integration_unlinks_records,
    sqlite_customer_in_use_is_conflict => check_customer_in_use_is_conflict,
    sqlite_breadcrumbs_run_top_down => check_breadcrumbs_run_top_down,
    sqlite_duplicate_reference_is_conflict => check_duplicate_reference_is_conflict,
}
