//! List queries: filters, sorting, paging, and the SQL they become on every backend.
//!
//! The SQL here is the dialect SQLite and PostgreSQL share; placeholders are written `?` and a
//! backend that numbers them rewrites them. Name filters compare against `name_key`, the name
//! lower-cased in Rust when it is written, so matching is identical on every backend.

use crate::domain::caller::Scope;
use crate::dto::endpoint::EndpointTypes;
use crate::dto::integration::IntegrationTypes;

/// How much of a list to return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    /// Every matching item.
    All,
    /// `limit` items from `offset`; the total is counted only when `count_total` is set.
    Page {
        offset: i64,
        limit: i64,
        count_total: bool,
    },
}

/// A sortable column, chosen from the entity's allow-list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SortColumn(&'static str);

/// A filtered, sorted, paged list request.
#[derive(Clone, Debug)]
pub struct ListQuery<F> {
    pub filter: F,
    pub specific_ids: Option<Vec<String>>,
    pub sort: SortColumn,
    pub descending: bool,
    pub paging: Paging,
}

/// One page of records.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The number of matching records, when it was counted.
    pub total_count: Option<i64>,
    /// Whether records follow this page.
    pub has_more: bool,
}

/// An entity filter: its sortable members and the conditions it adds to a query.
pub trait Filter {
    /// Sortable members: (PascalCase member name, column).
    const SORT_COLUMNS: &'static [(&'static str, &'static str)];
    /// The default sort member.
    const DEFAULT_SORT: &'static str = "Name";
    /// The column naming the entity's customer, for customer scopes.
    const CUSTOMER_COLUMN: Option<&'static str> = None;

    /// Appends this filter's conditions, each starting with ` AND `.
    fn write_conditions(&self, sql: &mut SqlBuilder);

    /// The column for a member name in any case, or `None` when it cannot be sorted by.
    fn sort_column(member: &str) -> Option<SortColumn> {
        Self::SORT_COLUMNS
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(member))
            .map(|(_, column)| SortColumn(column))
    }

    /// The sortable member names, for error messages.
    fn sort_members() -> Vec<&'static str> {
        Self::SORT_COLUMNS.iter().map(|(name, _)| *name).collect()
    }
}

/// Filters of `ListAccounts`.
#[derive(Clone, Debug, Default)]
pub struct AccountFilter {
    pub name_contains: Option<String>,
}

/// Filters of `ListCustomers`.
#[derive(Clone, Debug, Default)]
pub struct CustomerFilter {
    pub account_ids: Option<Vec<String>>,
    pub name_contains: Option<String>,
    /// Descendants of these customers (children only when `shallow`).
    pub parent_customer_ids: Option<Vec<String>>,
    pub shallow: bool,
    pub reference_ids: Option<Vec<String>>,
}

/// Filters of `ListIntegrations`.
#[derive(Clone, Debug, Default)]
pub struct IntegrationFilter {
    pub account_ids: Option<Vec<String>>,
    /// These customers and, unless `shallow`, their descendants.
    pub customer_ids: Option<Vec<String>>,
    pub shallow: bool,
    pub name_contains: Option<String>,
    pub types: Option<Vec<IntegrationTypes>>,
}

/// Filters of `ListEndpoints`.
#[derive(Clone, Debug, Default)]
pub struct EndpointFilter {
    pub account_ids: Option<Vec<String>>,
    /// These customers and, unless `shallow`, their descendants.
    pub customer_ids: Option<Vec<String>>,
    pub shallow: bool,
    pub reference_ids: Option<Vec<String>>,
    pub name_contains: Option<String>,
    pub types: Option<Vec<EndpointTypes>>,
}

const AUDIT_COLUMNS: [(&str, &str); 5] = [
    ("Id", "id"),
    ("DateCreated", "date_created"),
    ("DateLastModified", "date_last_modified"),
    ("CreatedBy", "created_by"),
    ("LastModifiedBy", "last_modified_by"),
];

impl Filter for AccountFilter {
    const SORT_COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("Name", "name_key"),
        ("ParentAccountId", "parent_account_id"),
        AUDIT_COLUMNS[0],
        AUDIT_COLUMNS[1],
        AUDIT_COLUMNS[2],
        AUDIT_COLUMNS[3],
        AUDIT_COLUMNS[4],
    ];

    fn write_conditions(&self, sql: &mut SqlBuilder) {
        sql.name_contains(self.name_contains.as_deref());
    }
}

impl Filter for CustomerFilter {
    const CUSTOMER_COLUMN: Option<&'static str> = Some("id");
    const SORT_COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("Name", "name_key"),
        ("AccountId", "account_id"),
        ("ParentCustomerId", "parent_customer_id"),
        ("ReferenceId", "reference_id"),
        ("IsStaging", "is_staging"),
        AUDIT_COLUMNS[0],
        AUDIT_COLUMNS[1],
        AUDIT_COLUMNS[2],
        AUDIT_COLUMNS[3],
        AUDIT_COLUMNS[4],
    ];

    fn write_conditions(&self, sql: &mut SqlBuilder) {
        sql.in_list("account_id", self.account_ids.as_deref());
        sql.name_contains(self.name_contains.as_deref());
        sql.in_list("reference_id", self.reference_ids.as_deref());
        if let Some(parents) = &self.parent_customer_ids {
            if self.shallow {
                sql.in_list("parent_customer_id", Some(parents));
            } else {
                sql.push(" AND id IN (");
                sql.descendants(parents);
                sql.push(")");
            }
        }
    }
}

impl Filter for IntegrationFilter {
    const CUSTOMER_COLUMN: Option<&'static str> = Some("customer_id");
    const SORT_COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("Name", "name_key"),
        ("AccountId", "account_id"),
        ("CustomerId", "customer_id"),
        ("Type", "integration_type"),
        ("Status", "status"),
        ("StatusMessage", "status_message"),
        ("IsAuthorized", "is_authorized"),
        (
            "AutomaticallyCreateCustomers",
            "automatically_create_customers",
        ),
        ("DateLastSync", "date_last_sync"),
        AUDIT_COLUMNS[0],
        AUDIT_COLUMNS[1],
        AUDIT_COLUMNS[2],
        AUDIT_COLUMNS[3],
        AUDIT_COLUMNS[4],
    ];

    fn write_conditions(&self, sql: &mut SqlBuilder) {
        sql.in_list("account_id", self.account_ids.as_deref());
        sql.name_contains(self.name_contains.as_deref());
        sql.customer_subtree(self.customer_ids.as_deref(), self.shallow);
        let types: Option<Vec<String>> = self
            .types
            .as_ref()
            .map(|types| types.iter().map(|kind| kind.name().to_owned()).collect());
        sql.in_list("integration_type", types.as_deref());
    }
}

impl Filter for EndpointFilter {
    const CUSTOMER_COLUMN: Option<&'static str> = Some("customer_id");
    const SORT_COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("DisplayName", "name_key"),
        ("Name", "name_key"),
        ("AccountId", "account_id"),
        ("CustomerId", "customer_id"),
        ("Type", "endpoint_type"),
        ("ReferenceId", "reference_id"),
        ("UserFirstName", "user_first_name"),
        ("UserLastName", "user_last_name"),
        ("UserEmailAddress", "user_email_address"),
        ("PhoneNumber", "phone_number"),
        AUDIT_COLUMNS[0],
        AUDIT_COLUMNS[1],
        AUDIT_COLUMNS[2],
        AUDIT_COLUMNS[3],
        AUDIT_COLUMNS[4],
    ];

    fn write_conditions(&self, sql: &mut SqlBuilder) {
        sql.in_list("account_id", self.account_ids.as_deref());
        sql.name_contains(self.name_contains.as_deref());
        sql.in_list("reference_id", self.reference_ids.as_deref());
        sql.customer_subtree(self.customer_ids.as_deref(), self.shallow);
        let types: Option<Vec<String>> = self
            .types
            .as_ref()
            .map(|types| types.iter().map(|kind| kind.name().to_owned()).collect());
        sql.in_list("endpoint_type", types.as_deref());
    }
}

/// Filters of `ListAuthUsers`.
#[derive(Clone, Debug, Default)]
pub struct UserFilter {
    /// A case-insensitive substring of the user name.
    pub name_contains: Option<String>,
}

impl Filter for UserFilter {
    const SORT_COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("UserName", "user_name_key"),
        ("DisplayName", "display_name"),
        ("EmailAddress", "email_address"),
        AUDIT_COLUMNS[0],
        AUDIT_COLUMNS[1],
        AUDIT_COLUMNS[2],
        AUDIT_COLUMNS[3],
        AUDIT_COLUMNS[4],
    ];
    const DEFAULT_SORT: &'static str = "UserName";

    fn write_conditions(&self, sql: &mut SqlBuilder) {
        let Some(needle) = self
            .name_contains
            .as_deref()
            .filter(|needle| !needle.is_empty())
        else {
            return;
        };
        sql.push(" AND instr(user_name_key, ");
        sql.bind_text(&needle.to_lowercase());
        sql.push(") > 0");
    }
}

/// Filters of `GetIntegrationLog`.
#[derive(Clone, Debug)]
pub struct LogFilter {
    pub integration_id: String,
}

impl Filter for LogFilter {
    const SORT_COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("Date", "date"),
        ("Level", "level"),
        ("Message", "message"),
        ("SyncId", "sync_id"),
        ("Id", "id"),
    ];
    const DEFAULT_SORT: &'static str = "Date";

    fn write_conditions(&self, sql: &mut SqlBuilder) {
        sql.push(" AND integration_id = ");
        sql.bind_text(&self.integration_id);
    }
}

/// A value bound to a placeholder.
#[derive(Clone, Debug, PartialEq)]
pub enum SqlValue {
    Text(String),
    Integer(i64),
}

/// SQL text with its bound values, built up piece by piece.
#[derive(Clone, Debug, Default)]
pub struct SqlBuilder {
    pub sql: String,
    pub values: Vec<SqlValue>,
}

impl SqlBuilder {
    /// Appends literal SQL.
    pub fn push(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: SqlValue) {
        self.sql.push('?');
        self.values.push(value);
    }

    /// Appends a placeholder bound to `text`.
    pub fn bind_text(&mut self, text: &str) {
        self.bind(SqlValue::Text(text.to_owned()));
    }

    /// ` AND column IN (...)`; an empty list matches nothing.
    pub fn in_list(&mut self, column: &str, values: Option<&[String]>) {
        let Some(values) = values else {
            return;
        };
        if values.is_empty() {
            self.push(" AND 1 = 0");
            return;
        }
        self.push(" AND ");
        self.push(column);
        self.push(" IN (");
        self.bind_list(values);
        self.push(")");
    }

    fn bind_list(&mut self, values: &[String]) {
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                self.push(", ");
            }
            self.bind_text(value);
        }
    }

    /// ` AND` the entity's account is in `scope`.
    ///
    /// `customer_column` names the entity's customer (`id` for customers themselves); entities
    /// without one are invisible to a customer scope, except the account itself.
    pub fn scope(&mut self, scope: &Scope, account_column: &str, customer_column: Option<&str>) {
        match scope {
            Scope::All => {}
            Scope::Accounts(accounts) => self.in_list(account_column, Some(accounts)),
            Scope::Customer {
                account_id,
                customer_id,
            } => {
                self.push(" AND ");
                self.push(account_column);
                self.push(" = ");
                self.bind_text(account_id);
                if let Some(customer_column) = customer_column {
                    self.push(" AND ");
                    self.push(customer_column);
                    self.push(" IN (");
                    self.subtree(std::slice::from_ref(customer_id));
                    self.push(")");
                }
            }
        }
    }

    /// ` AND` the login user is visible in `scope`: for an account scope, a user who is not a
    /// SystemAdministrator and whose every account is in the scope.
    pub fn user_scope(&mut self, scope: &Scope) {
        let accounts = match scope {
            Scope::All => return,
            Scope::Accounts(accounts) => accounts,
            Scope::Customer { .. } => {
                self.push(" AND 1 = 0");
                return;
            }
        };
        if accounts.is_empty() {
            self.push(" AND 1 = 0");
            return;
        }
        self.push(
            " AND is_system_administrator = 0 \
             AND EXISTS (SELECT 1 FROM user_accounts WHERE user_accounts.user_id = users.id) \
             AND NOT EXISTS (SELECT 1 FROM user_accounts WHERE user_accounts.user_id = users.id \
             AND user_accounts.account_id NOT IN (",
        );
        self.bind_list(accounts);
        self.push("))");
    }

    /// ` AND name_key` contains the lower-cased `needle`.
    pub fn name_contains(&mut self, needle: Option<&str>) {
        let Some(needle) = needle.filter(|needle| !needle.is_empty()) else {
            return;
        };
        // instr() exists on SQLite; the PostgreSQL store defines it as strpos().
        self.push(" AND instr(name_key, ");
        self.bind_text(&needle.to_lowercase());
        self.push(") > 0");
    }

    /// ` AND customer_id` is one of `customer_ids` or, unless `shallow`, below one of them.
    pub fn customer_subtree(&mut self, customer_ids: Option<&[String]>, shallow: bool) {
        let Some(customer_ids) = customer_ids else {
            return;
        };
        if customer_ids.is_empty() || shallow {
            self.in_list("customer_id", Some(customer_ids));
            return;
        }
        self.push(" AND customer_id IN (");
        self.subtree(customer_ids);
        self.push(")");
    }

    /// A query of the ids of `roots` and all their descendants.
    fn subtree(&mut self, roots: &[String]) {
        self.push("WITH RECURSIVE subtree(id) AS (SELECT id FROM customers WHERE id IN (");
        self.bind_list(roots);
        self.push(
            ") UNION SELECT child.id FROM customers child \
             JOIN subtree ON child.parent_customer_id = subtree.id) SELECT id FROM subtree",
        );
    }

    /// A query of the ids of all descendants of `parents`, not the parents themselves.
    fn descendants(&mut self, parents: &[String]) {
        if parents.is_empty() {
            self.push("SELECT id FROM customers WHERE 1 = 0");
            return;
        }
        self.push(
            "WITH RECURSIVE subtree(id) AS (SELECT id FROM customers WHERE parent_customer_id IN (",
        );
        self.bind_list(parents);
        self.push(
            ") UNION SELECT child.id FROM customers child \
             JOIN subtree ON child.parent_customer_id = subtree.id) SELECT id FROM subtree",
        );
    }

    /// Appends `WHERE ...` for `query`'s filter and ids, within `scope` when given.
    pub fn where_clause<F: Filter>(&mut self, scope: Option<&Scope>, query: &ListQuery<F>) {
        self.push(" WHERE 1 = 1");
        if let Some(scope) = scope {
            self.scope(scope, "account_id", F::CUSTOMER_COLUMN);
        }
        query.filter.write_conditions(self);
        self.in_list("id", query.specific_ids.as_deref());
    }

    /// Appends `ORDER BY` for `query`; every sort ends with `id` so pages never overlap.
    pub fn order_by<F>(&mut self, query: &ListQuery<F>) {
        let direction = if query.descending { "DESC" } else { "ASC" };
        let SortColumn(column) = query.sort;
        self.push(" ORDER BY ");
        self.push(column);
        self.push(" ");
        self.push(direction);
        if column != "id" {
            self.push(", id ");
            self.push(direction);
        }
    }

    /// Appends `LIMIT`/`OFFSET` for one page, fetching one extra row to learn whether more follow.
    pub fn limit(&mut self, paging: Paging) {
        if let Paging::Page { offset, limit, .. } = paging {
            self.push(" LIMIT ");
            self.bind(SqlValue::Integer(limit + 1));
            self.push(" OFFSET ");
            self.bind(SqlValue::Integer(offset));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_columns_ignore_case() {
        assert_eq!(
            IntegrationFilter::sort_column("datecreated"),
            Some(SortColumn("date_created"))
        );
        assert_eq!(IntegrationFilter::sort_column("Password"), None);
    }

    #[test]
    fn empty_list_matches_nothing() {
        let mut sql = SqlBuilder::default();
        sql.in_list("account_id", Some(&[]));
        assert_eq!(sql.sql, " AND 1 = 0");
        assert!(sql.values.is_empty());
    }

    #[test]
    fn scope_restricts_accounts() {
        let mut sql = SqlBuilder::default();
        sql.scope(
            &Scope::Accounts(vec!["a".into(), "b".into()]),
            "account_id",
            None,
        );
        assert_eq!(sql.sql, " AND account_id IN (?, ?)");
        assert_eq!(sql.values.len(), 2);
    }

    #[test]
    fn name_filter_lowercases_needle() {
        let mut sql = SqlBuilder::default();
        sql.name_contains(Some("ÄBC"));
        assert_eq!(sql.values, vec![SqlValue::Text("äbc".into())]);
    }
}
