//! The endpoint operations; only endpoints of type `User` are managed here.

use servicestack::{ApiError, RequestContext, ServiceHost};

use super::lists::{list_query, list_response};
use super::views::References;
use super::{customer_of_account, store_error, target_account, App};
use crate::domain::caller::Caller;
use crate::domain::ids::new_id;
use crate::domain::now_rfc3339;
use crate::domain::validate::{
    id_filter, is_email_address, optional_reference, Errors, MAX_NAME_LENGTH,
};
use crate::dto::endpoint::{
    DeleteEndpoint, EndpointInfo, EndpointTypes, GetEndpoint, ListEndpoints, NewEndpoint,
    PatchEndpoint,
};
use crate::dto::list::ListResponse;
use crate::dto::NoContent;
use crate::store::{Audit, EndpointFilter, EndpointRecord};

pub(super) fn register(host: &mut ServiceHost<App>) {
    host.register(new_endpoint);
    host.register(list_endpoints);
    host.register(get_endpoint);
    host.register(patch_endpoint);
    host.register(delete_endpoint);
}

async fn respond(
    app: &App,
    caller: &Caller,
    record: EndpointRecord,
) -> Result<EndpointInfo, ApiError> {
    let references = References::load(
        caller,
        app.store.as_ref(),
        record.customer_id.as_deref().into_iter(),
        std::iter::once(record.account_id.as_str()),
    )
    .await?;
    Ok(references.endpoint(record))
}

fn endpoint_id(value: Option<&str>) -> Result<String, ApiError> {
    let mut errors = Errors::default();
    let id = errors.required_name("EndpointId", value);
    errors.into_result()?;
    Ok(id.expect("validated above"))
}

/// An optional text member: `None` when absent, `Some(None)` for `""` (clear), else trimmed.
fn optional_text(
    errors: &mut Errors,
    field_name: &str,
    value: Option<&str>,
) -> Option<Option<String>> {
    let text = optional_reference(value);
    if let Some(Some(text)) = &text {
        errors.max_length(field_name, text, MAX_NAME_LENGTH);
    }
    text
}

fn check_email(errors: &mut Errors, email: Option<&Option<String>>) {
    if let Some(Some(email)) = email {
        if !is_email_address(email) {
            errors.add(
                "EmailAddress",
                "UserEmailAddress",
                "'User Email Address' is not a valid email address.",
            );
        }
    }
}

/// The display name: the given one, or the first and last names joined.
fn display_name(given: Option<&str>, first: Option<&str>, last: Option<&str>) -> Option<String> {
    if let Some(given) = given.map(str::trim).filter(|name| !name.is_empty()) {
        return Some(given.to_owned());
    }
    let joined = [first, last]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!joined.is_empty()).then_some(joined)
}

async fn new_endpoint(
    app: App,
    context: RequestContext<Caller>,
    request: NewEndpoint,
) -> Result<EndpointInfo, ApiError> {
    let caller = context.caller()?;

    let mut errors = Errors::default();
    let account_id = target_account(caller, request.account_id.as_deref(), &mut errors);
    let endpoint_type = request.endpoint_type.unwrap_or(EndpointTypes::User);
    if endpoint_type != EndpointTypes::User {
        errors.add(
            "NotSupported",
            "Type",
            format!(
                "Only endpoints of type User can be created here, not {}.",
                endpoint_type.name()
            ),
        );
    }
    let first_name = optional_text(
        &mut errors,
        "UserFirstName",
        request.user_first_name.as_deref(),
    )
    .flatten();
    let last_name = optional_text(
        &mut errors,
        "UserLastName",
        request.user_last_name.as_deref(),
    )
    .flatten();
    let email = optional_text(
        &mut errors,
        "UserEmailAddress",
        request.user_email_address.as_deref(),
    );
    check_email(&mut errors, email.as_ref());
    let phone_number =
        optional_text(&mut errors, "PhoneNumber", request.phone_number.as_deref()).flatten();
    let reference_id =
        optional_text(&mut errors, "ReferenceId", request.reference_id.as_deref()).flatten();
    let display_name = display_name(
        request.display_name.as_deref(),
        first_name.as_deref(),
        last_name.as_deref(),
    );
    match &display_name {
        None => errors.add(
            "NotEmpty",
            "DisplayName",
            "'Display Name' must not be empty: give it, or UserFirstName or UserLastName.",
        ),
        Some(name) => {
            errors.max_length("DisplayName", name, MAX_NAME_LENGTH);
        }
    }
    let customer_id = optional_reference(request.customer_id.as_deref()).flatten();
    errors.into_result()?;
    let (Some(account_id), Some(display_name)) = (account_id, display_name) else {
        unreachable!("validated above");
    };

    app.store
        .get_account(&caller.scope(), &account_id)
        .await
        .map_err(store_error("Account", &account_id))?;
    if let Some(customer_id) = &customer_id {
        customer_of_account(&app, caller, customer_id, &account_id, "CustomerId").await?;
    }

    let record = EndpointRecord {
        id: new_id(),
        account_id,
        customer_id,
        endpoint_type,
        display_name,
        reference_id,
        user_first_name: first_name,
        user_last_name: last_name,
        user_email_address: email.flatten(),
        phone_number,
        integration_link: None,
        audit: Audit::created(&caller.user_id, &now_rfc3339()),
    };
    app.store
        .insert_endpoint(record.clone())
        .await
        .map_err(super::internal)?;
    respond(&app, caller, record).await
}

async fn list_endpoints(
    app: App,
    context: RequestContext<Caller>,
    request: ListEndpoints,
) -> Result<ListResponse<EndpointInfo>, ApiError> {
    let caller = context.caller()?;
    // `Type` and `Types` both narrow the list: with both, only `Type` passes, if it is listed.
    let types = match (request.endpoint_type, request.types.clone()) {
        (Some(endpoint_type), Some(types)) if !types.is_empty() => Some(
            types
                .into_iter()
                .filter(|kind| *kind == endpoint_type)
                .collect(),
        ),
        (Some(endpoint_type), _) => Some(vec![endpoint_type]),
        (None, types) => types.filter(|types| !types.is_empty()),
    };
    let filter = EndpointFilter {
        account_ids: id_filter("AccountIds", request.account_ids.as_deref())?,
        customer_ids: id_filter("CustomerIds", request.customer_ids.as_deref())?,
        shallow: request.shallow_parent.unwrap_or(false),
        reference_ids: id_filter("ReferenceIds", request.reference_ids.as_deref())?,
        name_contains: request.name_filter.clone(),
        types,
    };
    let (query, page_request) = list_query(request.list_request(), filter, false)?;
    let mut page = app
        .store
        .list_endpoints(&caller.scope(), query)
        .await
        .map_err(super::internal)?;
    let references = References::load(
        caller,
        app.store.as_ref(),
        page.items
            .iter()
            .filter_map(|item| item.customer_id.as_deref()),
        page.items.iter().map(|item| item.account_id.as_str()),
    )
    .await?;
    let items = std::mem::take(&mut page.items)
        .into_iter()
        .map(|record| references.endpoint(record))
        .collect();
    Ok(list_response(page, page_request, items))
}

async fn get_endpoint(
    app: App,
    context: RequestContext<Caller>,
    request: GetEndpoint,
) -> Result<EndpointInfo, ApiError> {
    let caller = context.caller()?;
    let id = endpoint_id(request.endpoint_id.as_deref())?;
    let record = app
        .store
        .get_endpoint(&caller.scope(), &id)
        .await
        .map_err(store_error("Endpoint", &id))?;
    respond(&app, caller, record).await
}

async fn patch_endpoint(
    app: App,
    context: RequestContext<Caller>,
    request: PatchEndpoint,
) -> Result<EndpointInfo, ApiError> {
    let caller = context.caller()?;

    let id = endpoint_id(request.endpoint_id.as_deref())?;
    let mut errors = Errors::default();
    let display_name = errors.optional_name("DisplayName", request.display_name.as_deref());
    let first_name = optional_text(
        &mut errors,
        "UserFirstName",
        request.user_first_name.as_deref(),
    );
    let last_name = optional_text(
        &mut errors,
        "UserLastName",
        request.user_last_name.as_deref(),
    );
    let email = optional_text(
        &mut errors,
        "UserEmailAddress",
        request.user_email_address.as_deref(),
    );
    check_email(&mut errors, email.as_ref());
    let phone_number = optional_text(&mut errors, "PhoneNumber", request.phone_number.as_deref());
    let reference_id = optional_text(&mut errors, "ReferenceId", request.reference_id.as_deref());
    errors.into_result()?;

    let mut record = app
        .store
        .get_endpoint(&caller.scope(), &id)
        .await
        .map_err(store_error("Endpoint", &id))?;
    if record.endpoint_type != EndpointTypes::User {
        return Err(ApiError::field(
            "NotSupported",
            "Type",
            format!(
                "Only endpoints of type User can be changed here; '{id}' is a {}.",
                record.endpoint_type.name()
            ),
        ));
    }
    if let Some(customer_id) = optional_reference(request.customer_id.as_deref()) {
        if let Some(customer_id) = &customer_id {
            customer_of_account(&app, caller, customer_id, &record.account_id, "CustomerId")
                .await?;
        }
        record.customer_id = customer_id;
    }
    if let Some(display_name) = display_name {
        record.display_name = display_name;
    }
    let fields = [
        (&mut record.user_first_name, first_name),
        (&mut record.user_last_name, last_name),
        (&mut record.user_email_address, email),
        (&mut record.phone_number, phone_number),
        (&mut record.reference_id, reference_id),
    ];
    for (field, value) in fields {
        if let Some(value) = value {
            *field = value;
        }
    }

    record.audit.touch(&caller.user_id, &now_rfc3339());
    app.store
        .update_endpoint(record.clone())
        .await
        .map_err(store_error("Endpoint", &id))?;
    respond(&app, caller, record).await
}

async fn delete_endpoint(
    app: App,
    context: RequestContext<Caller>,
    request: DeleteEndpoint,
) -> Result<NoContent, ApiError> {
    let caller = context.caller()?;
    let id = endpoint_id(request.endpoint_id.as_deref())?;
    app.store
        .delete_endpoint(&caller.scope(), &id)
        .await
        .map_err(store_error("Endpoint", &id))?;
    Ok(NoContent)
}
