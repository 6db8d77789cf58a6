//! The account operations.

use servicestack::{ApiError, RequestContext, ServiceHost};

use super::lists::{list_query, list_response};
use super::views::account;
use super::{store_error, App};
use crate::domain::caller::Caller;
use crate::domain::ids::new_id;
use crate::domain::now_rfc3339;
use crate::domain::validate::{optional_reference, Errors};
use crate::dto::account::{AccountInfo, GetAccount, ListAccounts, NewAccount};
use crate::dto::list::ListResponse;
use crate::store::{AccountFilter, AccountRecord, Audit};

pub(super) fn register(host: &mut ServiceHost<App>) {
    host.register(new_account);
    host.register(list_accounts);
    host.register(get_account);
}

async fn new_account(
    app: App,
    context: RequestContext<Caller>,
    request: NewAccount,
) -> Result<AccountInfo, ApiError> {
    let caller = context.caller()?;

    let mut errors = Errors::default();
    let name = errors.required_name("Name", request.name.as_deref());
    let parent_id = optional_reference(request.parent_account_id.as_deref()).flatten();
    errors.into_result()?;
    let name = name.expect("validated above");

    let scope = caller.scope();
    let mut ancestor_ids = Vec::new();
    if let Some(parent_id) = &parent_id {
        let parent = app
            .store
            .get_account(&scope, parent_id)
            .await
            .map_err(store_error("Account", parent_id))?;
        ancestor_ids = parent.ancestor_ids;
        ancestor_ids.push(parent.id);
    }

    let record = AccountRecord {
        id: new_id(),
        name,
        parent_account_id: parent_id,
        ancestor_ids,
        audit: Audit::created(&caller.user_id, &now_rfc3339()),
    };
    app.store
        .insert_account(record.clone())
        .await
        .map_err(super::internal)?;
    Ok(account(record))
}

async fn list_accounts(
    app: App,
    context: RequestContext<Caller>,
    request: ListAccounts,
) -> Result<ListResponse<AccountInfo>, ApiError> {
    let caller = context.caller()?;
    let filter = AccountFilter {
        name_contains: request.name_filter.clone(),
    };
    let (query, page_request) = list_query(request.list_request(), filter, false)?;
    let mut page = app
        .store
        .list_accounts(&caller.scope(), query)
        .await
        .map_err(super::internal)?;
    let items = std::mem::take(&mut page.items)
        .into_iter()
        .map(account)
        .collect();
    Ok(list_response(page, page_request, items))
}

async fn get_account(
    app: App,
    context: RequestContext<Caller>,
    request: GetAccount,
) -> Result<AccountInfo, ApiError> {
    let caller = context.caller()?;
    let mut errors = Errors::default();
    let id = errors.required_name("AccountId", request.account_id.as_deref());
    errors.into_result()?;
    let id = id.expect("validated above");
    let record = app
        .store
        .get_account(&caller.scope(), &id)
        .await
        .map_err(store_error("Account", &id))?;
    Ok(account(record))
}
