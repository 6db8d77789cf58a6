//! The customer operations.

use servicestack::{ApiError, RequestContext, ServiceHost};

use super::lists::{list_query, list_response};
use super::views::References;
use super::{customer_of_account, store_error, target_account, App};
use crate::domain::caller::Caller;
use crate::domain::ids::new_id;
use crate::domain::now_rfc3339;
use crate::domain::validate::{id_filter, optional_reference, Errors, MAX_NAME_LENGTH};
use crate::dto::customer::{
    CustomerInfo, DeleteCustomer, GetCustomer, ListCustomers, NewCustomer, PatchCustomer,
};
use crate::dto::list::ListResponse;
use crate::dto::NoContent;
use crate::store::{Audit, CustomerFilter, CustomerRecord, StoreError};

pub(super) fn register(host: &mut ServiceHost<App>) {
    host.register(new_customer);
    host.register(list_customers);
    host.register(get_customer);
    host.register(patch_customer);
    host.register(delete_customer);
}

async fn respond(
    app: &App,
    caller: &Caller,
    record: CustomerRecord,
) -> Result<CustomerInfo, ApiError> {
    let references = References::load(
        caller,
        app.store.as_ref(),
        std::iter::once(record.id.as_str()),
        std::iter::once(record.account_id.as_str()),
    )
    .await?;
    Ok(references.customer(record))
}

fn reference_id(errors: &mut Errors, value: Option<&str>) -> Option<Option<String>> {
    let reference = optional_reference(value);
    if let Some(Some(text)) = &reference {
        errors.max_length("ReferenceId", text, MAX_NAME_LENGTH);
    }
    reference
}

/// Maps the store's checks of a customer's place in its tree to 400s on `ParentCustomerId`.
fn placement_error(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict {
            constraint: "customers_parent_loop",
            message,
        } => ApiError::field("InvalidParent", "ParentCustomerId", message),
        StoreError::Conflict {
            constraint: "customers_too_deep",
            message,
        } => ApiError::field("MaximumDepth", "ParentCustomerId", message),
        other => super::internal(other),
    }
}

fn customer_id(value: Option<&str>) -> Result<String, ApiError> {
    let mut errors = Errors::default();
    let id = errors.required_name("CustomerId", value);
    errors.into_result()?;
    Ok(id.expect("validated above"))
}

async fn new_customer(
    app: App,
    context: RequestContext<Caller>,
    request: NewCustomer,
) -> Result<CustomerInfo, ApiError> {
    let caller = context.caller()?;

    let mut errors = Errors::default();
    let account_id = target_account(caller, request.account_id.as_deref(), &mut errors);
    let name = errors.required_name("Name", request.name.as_deref());
    let reference_id = reference_id(&mut errors, request.reference_id.as_deref()).flatten();
    let parent_id = optional_reference(request.parent_customer_id.as_deref()).flatten();
    errors.into_result()?;
    let (Some(account_id), Some(name)) = (account_id, name) else {
        unreachable!("validated above");
    };

    app.store
        .get_account(&caller.scope(), &account_id)
        .await
        .map_err(store_error("Account", &account_id))?;
    if let Some(parent_id) = &parent_id {
        customer_of_account(&app, caller, parent_id, &account_id, "ParentCustomerId").await?;
    }

    let record = CustomerRecord {
        id: new_id(),
        account_id,
        parent_customer_id: parent_id,
        name,
        reference_id,
        is_staging: false,
        data: request.data.unwrap_or_default(),
        integration_link: None,
        audit: Audit::created(&caller.user_id, &now_rfc3339()),
    };
    app.store
        .insert_customer(record.clone())
        .await
        .map_err(placement_error)?;
    respond(&app, caller, record).await
}

async fn list_customers(
    app: App,
    context: RequestContext<Caller>,
    request: ListCustomers,
) -> Result<ListResponse<CustomerInfo>, ApiError> {
    let caller = context.caller()?;
    let filter = CustomerFilter {
        account_ids: id_filter("AccountIds", request.account_ids.as_deref())?,
        name_contains: request.name_filter.clone(),
        parent_customer_ids: id_filter(
            "ParentCustomerIds",
            request.parent_customer_ids.as_deref(),
        )?,
        shallow: request.shallow_parent.unwrap_or(false),
        reference_ids: id_filter("ReferenceIds", request.reference_ids.as_deref())?,
    };
    let (query, page_request) = list_query(request.list_request(), filter, false)?;
    let mut page = app
        .store
        .list_customers(&caller.scope(), query)
        .await
        .map_err(super::internal)?;
    let references = References::load(
        caller,
        app.store.as_ref(),
        page.items.iter().map(|item| item.id.as_str()),
        page.items.iter().map(|item| item.account_id.as_str()),
    )
    .await?;
    let items = std::mem::take(&mut page.items)
        .into_iter()
        .map(|record| references.customer(record))
        .collect();
    Ok(list_response(page, page_request, items))
}

async fn get_customer(
    app: App,
    context: RequestContext<Caller>,
    request: GetCustomer,
) -> Result<CustomerInfo, ApiError> {
    let caller = context.caller()?;
    let id = customer_id(request.customer_id.as_deref())?;
    let record = app
        .store
        .get_customer(&caller.scope(), &id)
        .await
        .map_err(store_error("Customer", &id))?;
    respond(&app, caller, record).await
}

async fn patch_customer(
    app: App,
    context: RequestContext<Caller>,
    request: PatchCustomer,
) -> Result<CustomerInfo, ApiError> {
    let caller = context.caller()?;

    let id = customer_id(request.customer_id.as_deref())?;
    let mut errors = Errors::default();
    let name = errors.optional_name("Name", request.name.as_deref());
    let reference_id = reference_id(&mut errors, request.reference_id.as_deref());
    errors.into_result()?;

    let scope = caller.scope();
    let mut record = app
        .store
        .get_customer(&scope, &id)
        .await
        .map_err(store_error("Customer", &id))?;
    if let Some(name) = name {
        record.name = name;
    }
    if let Some(reference_id) = reference_id {
        record.reference_id = reference_id;
    }
    if let Some(data) = request.data {
        record.data = data;
    }
    if let Some(parent_id) = optional_reference(request.parent_customer_id.as_deref()) {
        if let Some(parent_id) = &parent_id {
            customer_of_account(
                &app,
                caller,
                parent_id,
                &record.account_id,
                "ParentCustomerId",
            )
            .await?;
        }
        record.parent_customer_id = parent_id;
    }

    record.audit.touch(&caller.user_id, &now_rfc3339());
    app.store
        .update_customer(record.clone())
        .await
        .map_err(|error| match error {
            StoreError::NotFound => store_error("Customer", &id)(error),
            other => placement_error(other),
        })?;
    respond(&app, caller, record).await
}

async fn delete_customer(
    app: App,
    context: RequestContext<Caller>,
    request: DeleteCustomer,
) -> Result<NoContent, ApiError> {
    let caller = context.caller()?;
    let id = customer_id(request.customer_id.as_deref())?;
    app.store
        .delete_customer(&caller.scope(), &id)
        .await
        .map_err(store_error("Customer", &id))?;
    Ok(NoContent)
}
