//! The integration operations.

use servicestack::{ApiError, RequestContext, ServiceHost};

use super::lists::{list_query, list_response};
use super::views::{log_entry, References};
use super::{customer_of_account, store_error, target_account, App};
use crate::connectors::ConnectorSchema;
use crate::domain::caller::Caller;
use crate::domain::ids::new_id;
use crate::domain::now_rfc3339;
use crate::domain::settings::Settings;
use crate::domain::validate::{id_filter, optional_reference, Errors};
use crate::dto::integration::{
    DeleteIntegration, GetIntegration, GetIntegrationLog, IntegrationInfo, IntegrationLogEntry,
    ListIntegrations, LogLevels, NewIntegration, PatchIntegration,
};
use crate::dto::list::ListResponse;
use crate::dto::NoContent;
use crate::store::{Audit, IntegrationFilter, IntegrationRecord, LogFilter, LogRecord};

pub(super) fn register(host: &mut ServiceHost<App>) {
    host.register(new_integration);
    host.register(list_integrations);
    host.register(get_integration);
    host.register(patch_integration);
    host.register(delete_integration);
    host.register(get_integration_log);
}

/// Builds the `IntegrationInfo` of `record`, loading its breadcrumb.
async fn respond(
    app: &App,
    caller: &Caller,
    record: IntegrationRecord,
) -> Result<IntegrationInfo, ApiError> {
    let references = References::load(
        caller,
        app.store.as_ref(),
        record.customer_id.as_deref().into_iter(),
        [].into_iter(),
    )
    .await?;
    Ok(references.integration(record))
}

fn log_record(integration_id: &str, message: String) -> LogRecord {
    LogRecord {
        id: new_id(),
        integration_id: integration_id.to_owned(),
        date: now_rfc3339(),
        level: LogLevels::Info,
        message,
        sync_id: None,
    }
}

fn path_id(value: Option<&str>, field_name: &str) -> Result<String, ApiError> {
    let mut errors = Errors::default();
    let id = errors.required_name(field_name, value);
    errors.into_result()?;
    Ok(id.expect("validated above"))
}

async fn new_integration(
    app: App,
    context: RequestContext<Caller>,
    request: NewIntegration,
) -> Result<IntegrationInfo, ApiError> {
    let caller = context.caller()?;

    let mut errors = Errors::default();
    let account_id = target_account(caller, request.account_id.as_deref(), &mut errors);
    let integration_type = request.integration_type;
    if integration_type.is_none() {
        errors.not_empty("Type");
    }
    let name = errors.required_name("Name", request.name.as_deref());
    let customer_id = optional_reference(request.customer_id.as_deref()).flatten();
    errors.into_result()?;
    let (Some(account_id), Some(integration_type), Some(name)) =
        (account_id, integration_type, name)
    else {
        unreachable!("validated above");
    };

    let scope = caller.scope();
    app.store
        .get_account(&scope, &account_id)
        .await
        .map_err(store_error("Account", &account_id))?;
    if let Some(customer_id) = &customer_id {
        customer_of_account(&app, caller, customer_id, &account_id, "CustomerId").await?;
    }

    let schema = ConnectorSchema::of(integration_type);
    let settings = Settings::defaults(schema);
    let (status, status_message) = settings.status(schema, false);
    let now = now_rfc3339();
    let record = IntegrationRecord {
        id: new_id(),
        account_id,
        customer_id,
        name,
        integration_type,
        settings,
        automatically_create_customers: false,
        status,
        status_message: Some(status_message),
        is_authorized: false,
        date_last_sync: None,
        audit: Audit::created(&caller.user_id, &now),
    };
    let entry = log_record(
        &record.id,
        format!(
            "Integration '{}' of type {} created by {}.",
            record.name,
            integration_type.name(),
            caller.user_name
        ),
    );
    app.store
        .insert_integration(record.clone(), entry)
        .await
        .map_err(super::internal)?;
    tracing::info!(integration.id = %record.id, account.id = %record.account_id, user.id = %caller.user_id, "integration created");
    respond(&app, caller, record).await
}

async fn list_integrations(
    app: App,
    context: RequestContext<Caller>,
    request: ListIntegrations,
) -> Result<ListResponse<IntegrationInfo>, ApiError> {
    let caller = context.caller()?;
    let filter = IntegrationFilter {
        account_ids: id_filter("AccountIds", request.account_ids.as_deref())?,
        customer_ids: id_filter("CustomerIds", request.customer_ids.as_deref())?,
        shallow: request.shallow_parent.unwrap_or(false),
        name_contains: request.name_filter.clone(),
        types: request.types.clone(),
    };
    let (query, page_request) = list_query(request.list_request(), filter, false)?;

    let mut page = app
        .store
        .list_integrations(&caller.scope(), query)
        .await
        .map_err(super::internal)?;
    let references = References::load(
        caller,
        app.store.as_ref(),
        page.items
            .iter()
            .filter_map(|item| item.customer_id.as_deref()),
        [].into_iter(),
    )
    .await?;
    let items = std::mem::take(&mut page.items)
        .into_iter()
        .map(|record| references.integration(record))
        .collect();
    Ok(list_response(page, page_request, items))
}

async fn get_integration(
    app: App,
    context: RequestContext<Caller>,
    request: GetIntegration,
) -> Result<IntegrationInfo, ApiError> {
    let caller = context.caller()?;
    let id = path_id(request.integration_id.as_deref(), "IntegrationId")?;
    let record = app
        .store
        .get_integration(&caller.scope(), &id)
        .await
        .map_err(store_error("Integration", &id))?;
    respond(&app, caller, record).await
}

async fn patch_integration(
    app: App,
    context: RequestContext<Caller>,
    request: PatchIntegration,
) -> Result<IntegrationInfo, ApiError> {
    let caller = context.caller()?;

    let id = path_id(request.integration_id.as_deref(), "IntegrationId")?;
    let mut errors = Errors::default();
    let name = errors.optional_name("Name", request.name.as_deref());
    errors.into_result()?;

    let scope = caller.scope();
    let before = app
        .store
        .get_integration(&scope, &id)
        .await
        .map_err(store_error("Integration", &id))?;
    let mut record = before.clone();
    let mut changes: Vec<String> = Vec::new();

    if let Some(name) = name.filter(|name| *name != record.name) {
        record.name = name;
        changes.push("Name".to_owned());
    }
    if let Some(customer_id) = optional_reference(request.customer_id.as_deref()) {
        if let Some(customer_id) = &customer_id {
            customer_of_account(&app, caller, customer_id, &record.account_id, "CustomerId")
                .await?;
        }
        if customer_id != record.customer_id {
            record.customer_id = customer_id;
            changes.push("CustomerId".to_owned());
        }
    }
    if let Some(automatic) = request.automatically_create_customers {
        if automatic != record.automatically_create_customers {
            record.automatically_create_customers = automatic;
            changes.push("AutomaticallyCreateCustomers".to_owned());
        }
    }
    let schema = ConnectorSchema::of(record.integration_type);
    if let Some(patch) = &request.settings {
        record.settings = record
            .settings
            .merge(schema, patch)
            .map_err(ApiError::validation)?;
        let changed = before.settings.changed_keys(&record.settings, schema);
        if !changed.is_empty() {
            changes.push(format!("Settings ({})", changed.join(", ")));
            let (status, message) = record.settings.status(schema, record.is_authorized);
            record.status = status;
            record.status_message = Some(message);
        }
    }

    if changes.is_empty() {
        return respond(&app, caller, record).await;
    }
    record.audit.touch(&caller.user_id, &now_rfc3339());
    let entry = log_record(
        &record.id,
        format!("Changed by {}: {}.", caller.user_name, changes.join(", ")),
    );
    app.store
        .update_integration(record.clone(), entry)
        .await
        .map_err(store_error("Integration", &id))?;
    respond(&app, caller, record).await
}

async fn delete_integration(
    app: App,
    context: RequestContext<Caller>,
    request: DeleteIntegration,
) -> Result<NoContent, ApiError> {
    let caller = context.caller()?;
    let id = path_id(request.integration_id.as_deref(), "IntegrationId")?;
    app.store
        .delete_integration(&caller.scope(), &id)
        .await
        .map_err(store_error("Integration", &id))?;
    // The integration's own log goes with it, so the deletion is recorded in the server log.
    tracing::info!(integration.id = %id, user.id = %caller.user_id, "integration deleted");
    Ok(NoContent)
}

async fn get_integration_log(
    app: App,
    context: RequestContext<Caller>,
    request: GetIntegrationLog,
) -> Result<ListResponse<IntegrationLogEntry>, ApiError> {
    let caller = context.caller()?;
    let id = path_id(request.integration_id.as_deref(), "IntegrationId")?;
    let filter = LogFilter {
        integration_id: id.clone(),
    };
    let (query, page_request) = list_query(request.list_request(), filter, true)?;
    let mut page = app
        .store
        .list_integration_log(&caller.scope(), query)
        .await
        .map_err(store_error("Integration", &id))?;
    let items = std::mem::take(&mut page.items)
        .into_iter()
        .map(log_entry)
        .collect();
    Ok(list_response(page, page_request, items))
}
