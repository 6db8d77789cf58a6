//! Turning `ListRequest` members into store queries, and pages into `ListResponse`s.

use servicestack::ApiError;

use crate::domain::validate::{id_filter, Errors};
use crate::dto::list::{ListRequest, ListResponse, SortOrders};
use crate::store::{Filter, ListQuery, Page, Paging};

/// Items per page when `CountPerPage` is not set.
pub const DEFAULT_COUNT_PER_PAGE: i32 = 25;
/// The most items one page may hold.
pub const MAX_COUNT_PER_PAGE: i32 = 1000;

/// The paging a list request asked for, kept to build its response.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest {
    page: i64,
    count_per_page: i64,
    all: bool,
    simplified: bool,
}

/// Validates the `ListRequest` members and builds the store query for `filter`.
///
/// `default_descending` sets the direction when the request names no `SortOrder`.
pub fn list_query<F: Filter>(
    request: ListRequest<'_>,
    filter: F,
    default_descending: bool,
) -> Result<(ListQuery<F>, PageRequest), ApiError> {
    let mut errors = Errors::default();
    let count_per_page = request.count_per_page.unwrap_or(DEFAULT_COUNT_PER_PAGE);
    if !(1..=MAX_COUNT_PER_PAGE).contains(&count_per_page) {
        errors.add(
            "InclusiveBetween",
            "CountPerPage",
            format!(
                "'Count Per Page' must be between 1 and {MAX_COUNT_PER_PAGE}. You entered {count_per_page}."
            ),
        );
    }
    let page = request.page.unwrap_or(0);
    if page < 0 {
        errors.add(
            "GreaterThanOrEqual",
            "Page",
            "'Page' must be greater than or equal to '0'.",
        );
    }
    let sort_field = request
        .sort_field
        .map(str::trim)
        .filter(|field| !field.is_empty())
        .unwrap_or(F::DEFAULT_SORT);
    let sort = F::sort_column(sort_field);
    if sort.is_none() {
        errors.add(
            "InvalidSortField",
            "SortField",
            format!(
                "'{sort_field}' cannot be sorted by; use one of {}.",
                F::sort_members().join(", ")
            ),
        );
    }
    errors.into_result()?;
    let specific_ids = id_filter("SpecificIds", request.specific_ids)?;

    let all = request.all.unwrap_or(false);
    let simplified = request.simplified_paging.unwrap_or(false);
    let paging = if all {
        Paging::All
    } else {
        Paging::Page {
            offset: i64::from(page) * i64::from(count_per_page),
            limit: i64::from(count_per_page),
            count_total: !simplified,
        }
    };
    let descending = match request.sort_order {
        Some(order) => order == SortOrders::Descend,
        None => default_descending,
    };
    let query = ListQuery {
        filter,
        specific_ids,
        sort: sort.expect("checked above"),
        descending,
        paging,
    };
    let page_request = PageRequest {
        page: i64::from(page),
        count_per_page: i64::from(count_per_page),
        all,
        simplified,
    };
    Ok((query, page_request))
}

/// Builds the response for `page`, with items converted by the caller.
pub fn list_response<T, U>(page: Page<T>, request: PageRequest, items: Vec<U>) -> ListResponse<U> {
    if request.simplified && !request.all {
        return ListResponse {
            items,
            total_count: 0,
            total_pages: 0,
            has_more_pages: page.has_more,
        };
    }
    let total_count = page.total_count.unwrap_or(items.len() as i64);
    let total_pages = if request.all {
        i64::from(total_count > 0)
    } else {
        (total_count + request.count_per_page - 1) / request.count_per_page
    };
    ListResponse {
        items,
        total_count,
        total_pages,
        has_more_pages: !request.all && request.page + 1 < total_pages,
    }
}
