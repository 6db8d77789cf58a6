//! The SQLite store's cost per operation, through the `Store` trait as the server calls it
//! (rusqlite on tokio's blocking threads, WAL, `synchronous=FULL`).
//!
//! The reads run against 1000 integrations; the insert benchmark runs last because it adds
//! rows. Run with `cargo bench -p evo-integrations --bench store`.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use evo_integrations::connectors::ConnectorSchema;
use evo_integrations::domain::caller::Scope;
use evo_integrations::domain::ids::new_id;
use evo_integrations::domain::now_rfc3339;
use evo_integrations::domain::settings::Settings;
use evo_integrations::dto::data::{Struct, Value};
use evo_integrations::dto::integration::{IntegrationStatuses, IntegrationTypes, LogLevels};
use evo_integrations::store::Filter;
use evo_integrations::store::{
    AccountRecord, Audit, IntegrationFilter, IntegrationRecord, ListQuery, LogRecord, Paging,
    SecretCipher, SqliteStore, Store,
};

fn integration(account_id: &str) -> (IntegrationRecord, LogRecord) {
    let schema = ConnectorSchema::of(IntegrationTypes::HostedSuite);
    let mut patch = Struct::new();
    patch.insert("CustomerName".into(), Value::string("acme"));
    patch.insert("UserName".into(), Value::string("sync"));
    patch.insert("Password".into(), Value::string("bench-secret"));
    let settings = Settings::defaults(schema)
        .merge(schema, &patch)
        .expect("valid settings");
    let now = now_rfc3339();
    let id = new_id();
    let record = IntegrationRecord {
        id: id.clone(),
        account_id: account_id.to_owned(),
        customer_id: None,
        name: format!("Integration {id}"),
        integration_type: IntegrationTypes::HostedSuite,
        settings,
        automatically_create_customers: false,
        status: IntegrationStatuses::Ok,
        status_message: None,
        is_authorized: false,
        date_last_sync: None,
        audit: Audit::created("bench", &now),
    };
    let entry = LogRecord {
        id: new_id(),
        integration_id: id,
        date: now,
        level: LogLevels::Info,
        message: "created".into(),
        sync_id: None,
    };
    (record, entry)
}

fn store_benchmarks(criterion: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let folder = tempfile::tempdir().expect("a temporary folder");
    let store = Arc::new(
        SqliteStore::open(&folder.path().join("bench.db"), SecretCipher::new(&[9; 32]))
            .expect("the store opens"),
    );
    let account_id = new_id();
    runtime
        .block_on(store.insert_account(AccountRecord {
            id: account_id.clone(),
            name: "Bench".into(),
            parent_account_id: None,
            ancestor_ids: Vec::new(),
            audit: Audit::created("bench", &now_rfc3339()),
        }))
        .expect("an account");

    let mut ids = Vec::new();
    for _ in 0..1000 {
        let (record, entry) = integration(&account_id);
        ids.push(record.id.clone());
        runtime
            .block_on(store.insert_integration(record, entry))
            .expect("an insert");
    }

    let mut group = criterion.benchmark_group("sqlite_store");
    group.sample_size(50);
    let mut next = 0;
    group.bench_function("get_integration", |bencher| {
        bencher.iter(|| {
            next = (next + 1) % ids.len();
            runtime
                .block_on(store.get_integration(&Scope::All, &ids[next]))
                .expect("a read")
        })
    });
    group.bench_function("list_integrations_page_of_25", |bencher| {
        bencher.iter(|| {
            let query = ListQuery {
                filter: IntegrationFilter::default(),
                specific_ids: None,
                sort: IntegrationFilter::sort_column("Name").expect("a column"),
                descending: false,
                paging: Paging::Page {
                    offset: 500,
                    limit: 25,
                    count_total: true,
                },
            };
            runtime
                .block_on(store.list_integrations(&Scope::All, query))
                .expect("a page")
        })
    });
    // Last, because it grows the table the read benchmarks use.
    group.bench_function("insert_integration", |bencher| {
        bencher.iter(|| {
            let (record, entry) = integration(&account_id);
            runtime
                .block_on(store.insert_integration(record, entry))
                .expect("an insert")
        })
    });
    group.finish();
}

criterion_group!(benches, store_benchmarks);
criterion_main!(benches);
