"""Request and response DTOs for the operations these tests call, written the way
ServiceStack's generated Python DTOs are: dataclasses that name their route and response."""

from dataclasses import dataclass, field
from enum import Enum
from typing import Dict, List, Optional

from dataclasses_json import LetterCase, Undefined, dataclass_json
from servicestack import IDelete, IGet, IPatch, IPost, IReturn, IReturnVoid


class IntegrationTypes(str, Enum):
    HOSTED_SUITE = 'HostedSuite'
    OFFICE_RND = 'OfficeRnd'
    ZOHO = 'Zoho'


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class Value:
    bool_value: Optional[bool] = None
    string_value: Optional[str] = None
    number_value: Optional[float] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class CustomerBreadcrumb:
    id: Optional[str] = None
    name: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class DataField:
    id: Optional[str] = None
    name: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class DataType:
    type_name: Optional[str] = None
    fields: Optional[List[DataField]] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class IntegrationInfo:
    account_id: Optional[str] = None
    customer_id: Optional[str] = None
    customer_name: Optional[str] = None
    date_last_sync: Optional[str] = None
    customer_breadcrumb: Optional[List[CustomerBreadcrumb]] = None
    name: Optional[str] = None
    automatically_create_customers: bool = False
    type: Optional[IntegrationTypes] = None
    status: Optional[str] = None
    status_message: Optional[str] = None
    settings_data_type: Optional[DataType] = None
    settings: Optional[Dict[str, Value]] = None
    features: Optional[List[str]] = None
    is_authorized: bool = False
    id: Optional[str] = None
    date_created: Optional[str] = None
    date_last_modified: Optional[str] = None
    created_by: Optional[str] = None
    last_modified_by: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class IntegrationInfoList:
    items: List[IntegrationInfo] = field(default_factory=list)
    total_count: int = 0
    total_pages: int = 0
    has_more_pages: bool = False


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class CustomerInfo:
    id: Optional[str] = None
    name: Optional[str] = None
    parent_customer_id: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class NewCustomer(IReturn[CustomerInfo], IPost):
    account_id: Optional[str] = None
    name: Optional[str] = None
    parent_customer_id: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class NewIntegration(IReturn[IntegrationInfo], IPost):
    account_id: Optional[str] = None
    type: Optional[IntegrationTypes] = None
    name: Optional[str] = None
    customer_id: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class GetIntegration(IReturn[IntegrationInfo], IGet):
    integration_id: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class ListIntegrations(IReturn[IntegrationInfoList], IGet):
    customer_ids: Optional[List[str]] = None
    shallow_parent: Optional[bool] = None
    page: Optional[int] = None
    count_per_page: Optional[int] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class PatchIntegration(IReturn[IntegrationInfo], IPatch):
    integration_id: Optional[str] = None
    name: Optional[str] = None
    settings: Optional[Dict[str, Value]] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class DeleteIntegration(IReturnVoid, IDelete):
    integration_id: Optional[str] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class AuthenticateResponse:
    user_id: Optional[str] = None
    session_id: Optional[str] = None
    user_name: Optional[str] = None
    roles: Optional[List[str]] = None


@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)
@dataclass
class Authenticate(IReturn[AuthenticateResponse], IPost):
    provider: Optional[str] = None
    user_name: Optional[str] = None
    password: Optional[str] = None
    remember_me: Optional[bool] = None
