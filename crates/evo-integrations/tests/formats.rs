//! End-to-end tests of the XML, CSV, JSONL, HTML and JSONP formats over a real socket.
//!
//! Ids, dates and user ids differ per run, so the expected bodies carry `%NAME%` placeholders
//! that each test fills from the JSON form of the same entity.

mod common;

use common::{TestServer, ADMIN_API_KEY};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

const INTEGRATION_XML: &str = concat!(
    r#"<?xml version="1.0" encoding="utf-8"?>"#,
    r#"<IntegrationInfo xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schem"#,
    r#"as.datacontract.org/2004/07/Voice.Api.Integrations">"#,
    r#"<CreatedBy xmlns="http://schemas.datacontract.org/2004/07/Voice.Api">%USER%</CreatedBy>"#,
    r#"<DateCreated xmlns="http://schemas.datacontract.org/2004/07/Voice.Api">"#,
    r#"%CREATED%</DateCreated>"#,
    r#"<DateLastModified xmlns="http://schemas.datacontract.org/2004/07/Voice.Api">"#,
    r#"%MODIFIED%</DateLastModified>"#,
    r#"<Id xmlns="http://schemas.datacontract.org/2004/07/Voice.Api">%ID%</Id>"#,
    r#"<LastModifiedBy xmlns="http://schemas.datacontract.org/2004/07/Voice.Api">"#,
    r#"%MODIFIER%</LastModifiedBy><AccountId>%ACCOUNT%</AccountId>"#,
    r#"<AutomaticallyCreateCustomers>false</AutomaticallyCreateCustomers>"#,
    r#"<CustomerBreadcrumb xmlns:d2p1="http://schemas.datacontract.org/2004/07/Voice.Api.Custom"#,
    r#"ers"><d2p1:CustomerBreadcrumb><d2p1:Id>%TOP%</d2p1:Id><d2p1:Name>Acme</d2p1:Name>"#,
    r#"</d2p1:CustomerBreadcrumb><d2p1:CustomerBreadcrumb><d2p1:Id>%CHILD%</d2p1:Id><d2p1:Name>"#,
    r#"Acme Dallas</d2p1:Name></d2p1:CustomerBreadcrumb></CustomerBreadcrumb><CustomerId>"#,
    r#"%CHILD%</CustomerId><CustomerName>Acme Dallas</CustomerName>"#,
    r#"<DateLastSync i:nil="true" /><Features><IntegrationFeatures>"#,
    r#"CrmSync</IntegrationFeatures><IntegrationFeatures>OAuth2</IntegrationFeatures>"#,
    r#"</Features><IsAuthorized>false</IsAuthorized><Name>Zoho EU</Name>"#,
    r#"<Settings xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays">"#,
    r#"<d2p1:KeyValueOfstringValue><d2p1:Key>AccountsServer</d2p1:Key>"#,
    r#"<d2p1:Value xmlns:d4p1="http://schemas.datacontract.org/2004/07/Voice.Api.Flows.Data">"#,
    r#"<d4p1:BoolValue i:nil="true" /><d4p1:ListValue i:nil="true" />"#,
    r#"<d4p1:NumberValue i:nil="true" /><d4p1:StringValue>"#,
    r#"https://accounts.zoho.com</d4p1:StringValue><d4p1:StructValue i:nil="true" />"#,
    r#"</d2p1:Value></d2p1:KeyValueOfstringValue></Settings>"#,
    r#"<SettingsDataType xmlns:d2p1="http://schemas.datacontract.org/2004/07/Voice.Api.Flows.Da"#,
    r#"ta"><d2p1:Fields><d2p1:DataField><d2p1:AnyValueType>false</d2p1:AnyValueType>"#,
    r#"<d2p1:ConditionalVisibilityField i:nil="true" />"#,
    r#"<d2p1:ConditionalVisibilityValue i:nil="true" />"#,
    r#"<d2p1:CustomFieldValuesUrl i:nil="true" /><d2p1:DefaultValue i:nil="true" />"#,
    r#"<d2p1:Description>The client ID of your Zoho API client</d2p1:Description>"#,
    r#"<d2p1:DisableBinding>false</d2p1:DisableBinding><d2p1:Id>ClientId</d2p1:Id>"#,
    r#"<d2p1:IsAsync>false</d2p1:IsAsync><d2p1:IsOutput>false</d2p1:IsOutput>"#,
    r#"<d2p1:ListType i:nil="true" /><d2p1:Name>ClientId</d2p1:Name><d2p1:NoEvalTemplate>"#,
    r#"false</d2p1:NoEvalTemplate><d2p1:PossibleValues i:nil="true" />"#,
    r#"<d2p1:StructType i:nil="true" /><d2p1:TransitionNameFormat i:nil="true" /><d2p1:Type>"#,
    r#"String</d2p1:Type><d2p1:UIHint>None</d2p1:UIHint><d2p1:UITab i:nil="true" />"#,
    r#"<d2p1:Uniqueness>NotUnique</d2p1:Uniqueness><d2p1:UserMode>Hidden</d2p1:UserMode>"#,
    r#"<d2p1:VoiceOnly>false</d2p1:VoiceOnly></d2p1:DataField><d2p1:DataField>"#,
    r#"<d2p1:AnyValueType>false</d2p1:AnyValueType>"#,
    r#"<d2p1:ConditionalVisibilityField i:nil="true" />"#,
    r#"<d2p1:ConditionalVisibilityValue i:nil="true" />"#,
    r#"<d2p1:CustomFieldValuesUrl i:nil="true" /><d2p1:DefaultValue i:nil="true" />"#,
    r#"<d2p1:Description>The client secret of your Zoho API client</d2p1:Description>"#,
    r#"<d2p1:DisableBinding>false</d2p1:DisableBinding><d2p1:Id>ClientSecret</d2p1:Id>"#,
    r#"<d2p1:IsAsync>false</d2p1:IsAsync><d2p1:IsOutput>false</d2p1:IsOutput>"#,
    r#"<d2p1:ListType i:nil="true" /><d2p1:Name>ClientSecret</d2p1:Name><d2p1:NoEvalTemplate>"#,
    r#"false</d2p1:NoEvalTemplate><d2p1:PossibleValues i:nil="true" />"#,
    r#"<d2p1:StructType i:nil="true" /><d2p1:TransitionNameFormat i:nil="true" /><d2p1:Type>"#,
    r#"String</d2p1:Type><d2p1:UIHint>Password</d2p1:UIHint><d2p1:UITab i:nil="true" />"#,
    r#"<d2p1:Uniqueness>NotUnique</d2p1:Uniqueness><d2p1:UserMode>Hidden</d2p1:UserMode>"#,
    r#"<d2p1:VoiceOnly>false</d2p1:VoiceOnly></d2p1:DataField><d2p1:DataField>"#,
    r#"<d2p1:AnyValueType>false</d2p1:AnyValueType>"#,
    r#"<d2p1:ConditionalVisibilityField i:nil="true" />"#,
    r#"<d2p1:ConditionalVisibilityValue i:nil="true" />"#,
    r#"<d2p1:CustomFieldValuesUrl i:nil="true" /><d2p1:DefaultValue>"#,
    r#"<d2p1:BoolValue i:nil="true" /><d2p1:ListValue i:nil="true" />"#,
    r#"<d2p1:NumberValue i:nil="true" /><d2p1:StringValue>"#,
    r#"https://accounts.zoho.com</d2p1:StringValue><d2p1:StructValue i:nil="true" />"#,
    r#"</d2p1:DefaultValue><d2p1:Description>"#,
    r#"The Zoho accounts server of your data centre</d2p1:Description><d2p1:DisableBinding>"#,
    r#"false</d2p1:DisableBinding><d2p1:Id>AccountsServer</d2p1:Id><d2p1:IsAsync>"#,
    r#"false</d2p1:IsAsync><d2p1:IsOutput>false</d2p1:IsOutput><d2p1:ListType i:nil="true" />"#,
    r#"<d2p1:Name>AccountsServer</d2p1:Name><d2p1:NoEvalTemplate>false</d2p1:NoEvalTemplate>"#,
    r#"<d2p1:PossibleValues xmlns:d5p1="http://schemas.microsoft.com/2003/10/Serialization/Arra"#,
    r#"ys"><d5p1:string>https://accounts.zoho.com</d5p1:string><d5p1:string>"#,
    r#"https://accounts.zoho.eu</d5p1:string><d5p1:string>"#,
    r#"https://accounts.zoho.in</d5p1:string><d5p1:string>"#,
    r#"https://accounts.zoho.com.au</d5p1:string><d5p1:string>"#,
    r#"https://accounts.zoho.com.cn</d5p1:string><d5p1:string>"#,
    r#"https://accounts.zoho.jp</d5p1:string><d5p1:string>"#,
    r#"https://accounts.zohocloud.ca</d5p1:string><d5p1:string>"#,
    r#"https://accounts.zoho.sa</d5p1:string></d2p1:PossibleValues>"#,
    r#"<d2p1:StructType i:nil="true" /><d2p1:TransitionNameFormat i:nil="true" /><d2p1:Type>"#,
    r#"String</d2p1:Type><d2p1:UIHint>None</d2p1:UIHint><d2p1:UITab i:nil="true" />"#,
    r#"<d2p1:Uniqueness>NotUnique</d2p1:Uniqueness><d2p1:UserMode>Hidden</d2p1:UserMode>"#,
    r#"<d2p1:VoiceOnly>false</d2p1:VoiceOnly></d2p1:DataField><d2p1:DataField>"#,
    r#"<d2p1:AnyValueType>false</d2p1:AnyValueType>"#,
    r#"<d2p1:ConditionalVisibilityField i:nil="true" />"#,
    r#"<d2p1:ConditionalVisibilityValue i:nil="true" />"#,
    r#"<d2p1:CustomFieldValuesUrl i:nil="true" /><d2p1:DefaultValue i:nil="true" />"#,
    r#"<d2p1:Description>"#,
    r#"The Zoho API domain, filled in from the token response</d2p1:Description>"#,
    r#"<d2p1:DisableBinding>false</d2p1:DisableBinding><d2p1:Id>ApiDomain</d2p1:Id>"#,
    r#"<d2p1:IsAsync>false</d2p1:IsAsync><d2p1:IsOutput>true</d2p1:IsOutput>"#,
    r#"<d2p1:ListType i:nil="true" /><d2p1:Name>ApiDomain</d2p1:Name><d2p1:NoEvalTemplate>"#,
    r#"false</d2p1:NoEvalTemplate><d2p1:PossibleValues i:nil="true" />"#,
    r#"<d2p1:StructType i:nil="true" /><d2p1:TransitionNameFormat i:nil="true" /><d2p1:Type>"#,
    r#"String</d2p1:Type><d2p1:UIHint>None</d2p1:UIHint><d2p1:UITab i:nil="true" />"#,
    r#"<d2p1:Uniqueness>NotUnique</d2p1:Uniqueness><d2p1:UserMode>Hidden</d2p1:UserMode>"#,
    r#"<d2p1:VoiceOnly>false</d2p1:VoiceOnly></d2p1:DataField></d2p1:Fields><d2p1:TypeName>"#,
    r#"ZohoSettings</d2p1:TypeName></SettingsDataType><Status>NotConfigured</Status>"#,
    r#"<StatusMessage>"#,
    r#"Missing settings: ClientId, ClientSecret. Then authorize the integration with Zoho.</Sta"#,
    r#"tusMessage><Type>Zoho</Type></IntegrationInfo>"#,
);
const INTEGRATION_CSV_HEADER: &str = concat!(
    r#"AccountId,CustomerId,CustomerName,DateLastSync,CustomerBreadcrumb,Name,AutomaticallyCrea"#,
    r#"teCustomers,Type,Status,StatusMessage,SettingsDataType,Settings,Features,IsAuthorized,Id"#,
    r#",DateCreated,DateLastModified,CreatedBy,LastModifiedBy"#,
);
const INTEGRATION_CSV_ROW: &str = concat!(
    r#"%ACCOUNT%,%CHILD%,Acme Dallas,,"[{id:%TOP%,name:Acme},{id:%CHILD%,name:Acme Dallas}]",Zo"#,
    r#"ho EU,False,Zoho,NotConfigured,"Missing settings: ClientId, ClientSecret. Then authorize"#,
    r#" the integration with Zoho.","{typeName:ZohoSettings,fields:[{id:ClientId,name:ClientId,"#,
    r#"type:String,uiHint:None,isAsync:False,disableBinding:False,description:The client ID of "#,
    r#"your Zoho API client,isOutput:False,uniqueness:NotUnique,voiceOnly:False,noEvalTemplate:"#,
    r#"False,userMode:Hidden,anyValueType:False},{id:ClientSecret,name:ClientSecret,type:String"#,
    r#",uiHint:Password,isAsync:False,disableBinding:False,description:The client secret of you"#,
    r#"r Zoho API client,isOutput:False,uniqueness:NotUnique,voiceOnly:False,noEvalTemplate:Fal"#,
    r#"se,userMode:Hidden,anyValueType:False},{id:AccountsServer,name:AccountsServer,type:Strin"#,
    r#"g,uiHint:None,isAsync:False,disableBinding:False,description:The Zoho accounts server of"#,
    r#" your data centre,possibleValues:[""https://accounts.zoho.com"",""https://accounts.zoho."#,
    r#"eu"",""https://accounts.zoho.in"",""https://accounts.zoho.com.au"",""https://accounts.zo"#,
    r#"ho.com.cn"",""https://accounts.zoho.jp"",""https://accounts.zohocloud.ca"",""https://acc"#,
    r#"ounts.zoho.sa""],isOutput:False,defaultValue:{stringValue:""https://accounts.zoho.com""}"#,
    r#",uniqueness:NotUnique,voiceOnly:False,noEvalTemplate:False,userMode:Hidden,anyValueType:"#,
    r#"False},{id:ApiDomain,name:ApiDomain,type:String,uiHint:None,isAsync:False,disableBinding"#,
    r#":False,description:""The Zoho API domain, filled in from the token response"",isOutput:T"#,
    r#"rue,uniqueness:NotUnique,voiceOnly:False,noEvalTemplate:False,userMode:Hidden,anyValueTy"#,
    r#"pe:False}]}","{AccountsServer:{stringValue:""https://accounts.zoho.com""}}","[CrmSync,OA"#,
    r#"uth2]",False,%ID%,%CREATED%,%MODIFIED%,%USER%,%MODIFIER%"#,
);

/// An integration with a two-level customer breadcrumb and a default setting.
struct Fixture {
    server: TestServer,
    /// The integration, as JSON.
    info: Value,
    /// The id of the top customer of the breadcrumb.
    top: String,
}

impl Fixture {
    async fn start() -> Fixture {
        let server = TestServer::start().await;
        let account = server.default_account().await;
        let top = server.new_customer(&account, "Acme", None).await;
        let child = server
            .new_customer(&account, "Acme Dallas", Some(&top))
            .await;
        let info = server
            .new_integration(json!({ "type": "Zoho", "name": "Zoho EU", "customerId": child }))
            .await;
        Fixture { server, info, top }
    }

    fn id(&self) -> &str {
        text(&self.info, "id")
    }

    /// `template` with its placeholders replaced by this integration's values.
    fn fill(&self, template: &str) -> String {
        fill(template, &self.info, &self.top)
    }

    async fn get(&self, path: &str, accept: Option<&str>) -> common::Reply {
        get(&self.server, path, accept).await
    }
}

fn text<'a>(value: &'a Value, member: &str) -> &'a str {
    value[member]
        .as_str()
        .unwrap_or_else(|| panic!("{member} is not a string in {value}"))
}

fn fill(template: &str, info: &Value, top: &str) -> String {
    template
        .replace("%ACCOUNT%", text(info, "accountId"))
        .replace("%CHILD%", text(info, "customerId"))
        .replace("%TOP%", top)
        .replace("%ID%", text(info, "id"))
        .replace("%CREATED%", text(info, "dateCreated"))
        .replace("%MODIFIED%", text(info, "dateLastModified"))
        .replace("%USER%", text(info, "createdBy"))
        .replace("%MODIFIER%", text(info, "lastModifiedBy"))
}

/// Sends a GET as the administrator with an optional `Accept` header.
async fn get(server: &TestServer, path: &str, accept: Option<&str>) -> common::Reply {
    server
        .raw(|client, base| {
            let request = client
                .get(format!("{base}{path}"))
                .bearer_auth(ADMIN_API_KEY);
            match accept {
                Some(accept) => request.header("Accept", accept),
                None => request,
            }
        })
        .await
}

/// Sends a POST as the administrator with a body of the given content type.
async fn post(server: &TestServer, path: &str, content_type: &str, body: &str) -> common::Reply {
    let body = body.to_owned();
    server
        .raw(|client, base| {
            client
                .post(format!("{base}{path}"))
                .bearer_auth(ADMIN_API_KEY)
                .header("Content-Type", content_type)
                .body(body)
        })
        .await
}

/// Asserts that `xml` uses the application's namespaces, which the host has only when the
/// application passes them to `ServiceHost::set_xml_contracts`.
fn assert_contracts_registered(xml: &str) {
    assert!(
        xml.contains("http://schemas.datacontract.org/2004/07/Voice.Api.Integrations"),
        "the response uses no Voice.Api namespace: register the XML contracts in api::host \
         with ServiceHost::set_xml_contracts. Body: {xml}"
    );
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Escapes text as the HTML pages do.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn html_page(title: &str, status: Option<&str>, value: &Value) -> String {
    let json = serde_json::to_string_pretty(value).unwrap();
    let status = status
        .map(|status| format!("<p>{status}</p>\n"))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n{status}\
         <pre>{}</pre>\n</body>\n</html>\n",
        escape_html(&json)
    )
}

const NOT_FOUND_JSON: &str = r#"{"responseStatus":{"errorCode":"NotFound","message":"Integration 'missing' was not found.","errors":[]}}"#;

const NOT_FOUND_XML: &str = concat!(
    r#"<?xml version="1.0" encoding="utf-8"?>"#,
    r#"<ErrorResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" "#,
    r#"xmlns="http://schemas.servicestack.net/types"><ResponseStatus>"#,
    r#"<ErrorCode>NotFound</ErrorCode><Message>Integration 'missing' was not found.</Message>"#,
    r#"<StackTrace i:nil="true" /><Errors />"#,
    r#"<Meta xmlns:d3p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays" "#,
    r#"i:nil="true" /></ResponseStatus></ErrorResponse>"#,
);

#[tokio::test]
async fn integration_xml_matches_datacontract_layout() {
    let fixture = Fixture::start().await;
    let path = format!("/integrations/{}", fixture.id());

    let reply = fixture
        .get(&path, Some("application/xml"))
        .await
        .expect(200);

    assert_eq!(reply.content_type(), "application/xml; charset=utf-8");
    assert_eq!(header(&reply.headers, "vary"), Some("Accept"));
    assert_contracts_registered(&reply.text);
    assert_eq!(reply.text, fixture.fill(INTEGRATION_XML));
}

#[tokio::test]
async fn integration_xml_same_every_way() {
    let fixture = Fixture::start().await;
    let id = fixture.id();
    let expected = fixture.fill(INTEGRATION_XML);
    let ways = [
        (format!("/integrations/{id}"), Some("text/xml")),
        (format!("/integrations/{id}?format=xml"), None),
        (format!("/integrations/{id}.xml"), Some("application/json")),
        (
            format!("/xml/reply/GetIntegration?integrationId={id}"),
            None,
        ),
    ];
    for (path, accept) in ways {
        let reply = fixture.get(&path, accept).await.expect(200);
        assert_eq!(
            reply.content_type(),
            "application/xml; charset=utf-8",
            "{path}"
        );
        assert_contracts_registered(&reply.text);
        assert_eq!(reply.text, expected, "{path}");
    }
}

#[tokio::test]
async fn integration_csv_is_header_and_row() {
    let fixture = Fixture::start().await;
    let id = fixture.id();
    let expected = format!(
        "{INTEGRATION_CSV_HEADER}\r\n{}\r\n",
        fixture.fill(INTEGRATION_CSV_ROW)
    );
    let ways = [
        (format!("/integrations/{id}"), Some("text/csv")),
        (format!("/integrations/{id}?format=csv"), None),
        (format!("/integrations/{id}.csv"), None),
        (
            format!("/csv/reply/GetIntegration?integrationId={id}"),
            None,
        ),
    ];
    for (path, accept) in ways {
        let reply = fixture.get(&path, accept).await.expect(200);
        assert_eq!(reply.content_type(), "text/csv; charset=utf-8", "{path}");
        assert_eq!(
            header(&reply.headers, "content-disposition"),
            Some("attachment;filename=\"GetIntegration.csv\""),
            "{path}"
        );
        assert_eq!(reply.text, expected, "{path}");
    }
}

#[tokio::test]
async fn integration_jsonl_is_one_line() {
    let fixture = Fixture::start().await;
    let path = format!("/integrations/{}", fixture.id());
    let json = fixture.get(&path, None).await.expect(200);

    for (path, accept) in [
        (path.clone(), Some("text/jsonl")),
        (format!("{path}?format=jsonl"), None),
        (format!("{path}.jsonl"), None),
    ] {
        let reply = fixture.get(&path, accept).await.expect(200);
        assert_eq!(reply.content_type(), "text/jsonl; charset=utf-8", "{path}");
        assert_eq!(reply.text, format!("{}\n", json.text), "{path}");
    }
}

#[tokio::test]
async fn integration_html_shows_escaped_json() {
    let fixture = Fixture::start().await;
    let path = format!("/integrations/{}", fixture.id());
    let expected = html_page("GetIntegration", None, &fixture.info);

    for (path, accept) in [
        (path.clone(), Some("text/html")),
        (format!("{path}?format=html"), None),
        (format!("{path}.html"), None),
    ] {
        let reply = fixture.get(&path, accept).await.expect(200);
        assert_eq!(reply.content_type(), "text/html; charset=utf-8", "{path}");
        assert_eq!(reply.text, expected, "{path}");
    }
}

#[tokio::test]
async fn html_escapes_markup_in_values() {
    let server = TestServer::start().await;
    let info = server
        .new_integration(json!({ "type": "HostedSuite", "name": "<script>alert('x')</script>" }))
        .await;
    let path = format!("/integrations/{}?format=html", text(&info, "id"));

    let reply = get(&server, &path, None).await.expect(200);

    assert!(!reply.text.contains("<script>"), "{}", reply.text);
    assert!(
        reply
            .text
            .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn browser_accept_gets_html_but_wildcard_json() {
    let fixture = Fixture::start().await;
    let path = format!("/integrations/{}", fixture.id());
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    let html = fixture.get(&path, Some(browser)).await.expect(200);
    let json = fixture.get(&path, Some("*/*")).await.expect(200);

    assert_eq!(html.content_type(), "text/html; charset=utf-8");
    assert_eq!(json.content_type(), "application/json; charset=utf-8");
}

/// Creates two HostedSuite integrations and returns their ids in list order (by name).
async fn two_integrations(server: &TestServer) -> Vec<String> {
    let mut ids = Vec::new();
    for name in ["Alpha, Inc", "Beta \"B\""] {
        let info = server
            .new_integration(json!({ "type": "HostedSuite", "name": name }))
            .await;
        ids.push(text(&info, "id").to_owned());
    }
    ids
}

#[tokio::test]
async fn list_csv_writes_row_per_item() {
    let server = TestServer::start().await;
    let ids = two_integrations(&server).await;

    let list = get(&server, "/integrations?format=csv", None)
        .await
        .expect(200);

    assert_eq!(
        header(&list.headers, "content-disposition"),
        Some("attachment;filename=\"ListIntegrations.csv\"")
    );
    // Each item's row is the row that the item gets on its own.
    let mut expected = String::new();
    for (index, id) in ids.iter().enumerate() {
        let single = get(&server, &format!("/integrations/{id}.csv"), None)
            .await
            .expect(200);
        let (header_line, row) = single.text.split_once("\r\n").unwrap();
        if index == 0 {
            expected.push_str(header_line);
            expected.push_str("\r\n");
        }
        expected.push_str(row);
    }
    assert_eq!(list.text, expected);
    assert!(list.text.contains(",\"Alpha, Inc\","), "{}", list.text);
    assert!(list.text.contains(",\"Beta \"\"B\"\"\","), "{}", list.text);
    assert!(!list.text.contains("TotalCount"), "{}", list.text);
    assert_eq!(list.text.matches("\r\n").count(), 3, "{}", list.text);
}

#[tokio::test]
async fn list_jsonl_writes_line_per_item() {
    let server = TestServer::start().await;
    let ids = two_integrations(&server).await;

    let list = get(&server, "/integrations", Some("text/jsonl"))
        .await
        .expect(200);

    let mut expected = String::new();
    for id in &ids {
        let single = get(&server, &format!("/integrations/{id}"), None)
            .await
            .expect(200);
        expected.push_str(&single.text);
        expected.push('\n');
    }
    assert_eq!(list.content_type(), "text/jsonl; charset=utf-8");
    assert_eq!(list.text, expected);
}

#[tokio::test]
async fn not_found_in_xml_is_xml() {
    let server = TestServer::start().await;
    for (path, accept) in [
        ("/integrations/missing.xml", None),
        ("/integrations/missing", Some("application/xml")),
        ("/xml/reply/GetIntegration?integrationId=missing", None),
    ] {
        let reply = get(&server, path, accept).await.expect(404);
        assert_eq!(
            reply.content_type(),
            "application/xml; charset=utf-8",
            "{path}"
        );
        assert_eq!(reply.text, NOT_FOUND_XML, "{path}");
    }
}

#[tokio::test]
async fn not_found_in_csv_or_jsonl_is_json() {
    let server = TestServer::start().await;
    for path in [
        "/integrations/missing?format=csv",
        "/integrations/missing.jsonl",
        "/csv/reply/GetIntegration?integrationId=missing",
    ] {
        let reply = get(&server, path, None).await.expect(404);
        assert_eq!(
            reply.content_type(),
            "application/json; charset=utf-8",
            "{path}"
        );
        assert_eq!(
            header(&reply.headers, "content-disposition"),
            None,
            "{path}"
        );
        assert_eq!(reply.text, NOT_FOUND_JSON, "{path}");
    }
}

#[tokio::test]
async fn not_found_in_html_is_page() {
    let server = TestServer::start().await;
    let reply = get(&server, "/integrations/missing", Some("text/html"))
        .await
        .expect(404);
    let body: Value = serde_json::from_str(NOT_FOUND_JSON).unwrap();
    assert_eq!(reply.content_type(), "text/html; charset=utf-8");
    assert_eq!(
        reply.text,
        html_page("GetIntegration", Some("404 Not Found"), &body)
    );
}

#[tokio::test]
async fn new_integration_from_xml_body() {
    let server = TestServer::start().await;
    let account = server.default_account().await;
    let customer = server.new_customer(&account, "Acme", None).await;
    // Members out of order, in any case, with namespaces and a reference, as a client may send.
    let body = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
        <NewIntegration xmlns:i="http://www.w3.org/2001/XMLSchema-instance"
            xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.Integrations">
          <Name>HS &amp; Co</Name>
          <customerId>{customer}</customerId>
          <AccountId i:nil="true" />
          <Type>HostedSuite</Type>
        </NewIntegration>"#
    );

    let reply = post(&server, "/integrations", "application/xml", &body)
        .await
        .expect(200);

    // Without `Accept`, the response takes the request body's format.
    assert_eq!(reply.content_type(), "application/xml; charset=utf-8");
    assert!(
        reply.text.contains("<Name>HS &amp; Co</Name>"),
        "{}",
        reply.text
    );
    assert_contracts_registered(&reply.text);
    let id = reply
        .text
        .split_once("<Id xmlns=\"http://schemas.datacontract.org/2004/07/Voice.Api\">")
        .and_then(|(_, rest)| rest.split_once("</Id>"))
        .map(|(id, _)| id.to_owned())
        .expect("an Id element");
    let info = server
        .get(&format!("/integrations/{id}"))
        .await
        .expect(200)
        .json();
    assert_eq!(info["name"], "HS & Co");
    assert_eq!(info["type"], "HostedSuite");
    assert_eq!(info["customerId"], customer.as_str());
    assert_eq!(info["accountId"], account.as_str());
}

#[tokio::test]
async fn text_xml_body_with_json_accept() {
    let server = TestServer::start().await;
    let body = "<NewIntegration><Type>Zoho</Type><Name>Z</Name></NewIntegration>";
    let reply = server
        .raw(|client, base| {
            client
                .post(format!("{base}/integrations"))
                .bearer_auth(ADMIN_API_KEY)
                .header("Content-Type", "text/xml")
                .header("Accept", "application/json")
                .body(body)
        })
        .await
        .expect(200);
    assert_eq!(reply.json()["type"], "Zoho");
    assert_eq!(reply.json()["name"], "Z");
}

#[tokio::test]
async fn xml_body_with_doctype_is_rejected() {
    let server = TestServer::start().await;
    let body = r#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
        <NewIntegration><Type>Zoho</Type><Name>&e;</Name></NewIntegration>"#;

    let reply = post(&server, "/integrations", "application/xml", body)
        .await
        .expect(400);

    assert_eq!(reply.content_type(), "application/xml; charset=utf-8");
    assert!(
        reply
            .text
            .contains("<ErrorCode>SerializationException</ErrorCode>"),
        "{}",
        reply.text
    );
    assert!(reply.text.contains("DOCTYPE"), "{}", reply.text);
    assert!(!reply.text.contains("root:"), "{}", reply.text);
}

#[tokio::test]
async fn xml_validation_error_lists_fields() {
    let server = TestServer::start().await;
    let reply = post(
        &server,
        "/integrations",
        "application/xml",
        "<NewIntegration><Name>No type</Name></NewIntegration>",
    )
    .await
    .expect(400);
    assert!(
        reply.text.contains(
            "<Errors><ResponseError><ErrorCode>NotEmpty</ErrorCode><FieldName>Type</FieldName>"
        ),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn jsonp_wraps_success() {
    let fixture = Fixture::start().await;
    let path = format!("/integrations/{}", fixture.id());
    let json = fixture.get(&path, None).await.expect(200);

    let reply = fixture
        .get(
            &format!("{path}?callback=app.show_1"),
            Some("application/xml"),
        )
        .await
        .expect(200);

    assert_eq!(reply.content_type(), "text/javascript; charset=utf-8");
    assert_eq!(reply.text, format!("app.show_1({})", json.text));
}

#[tokio::test]
async fn jsonp_error_is_200_inside_callback() {
    let server = TestServer::start().await;
    let reply = get(&server, "/integrations/missing?callback=show", None)
        .await
        .expect(200);
    assert_eq!(reply.content_type(), "text/javascript; charset=utf-8");
    assert_eq!(reply.text, format!("show({NOT_FOUND_JSON})"));

    let anonymous = server
        .send(
            reqwest::Method::GET,
            "/integrations?callback=show",
            None,
            None,
        )
        .await
        .expect(200);
    assert!(
        anonymous
            .text
            .starts_with(r#"show({"responseStatus":{"errorCode":"Unauthorized""#),
        "{}",
        anonymous.text
    );
    assert_eq!(header(&anonymous.headers, "www-authenticate"), None);
}

#[tokio::test]
async fn jsonp_rejects_invalid_callback() {
    let server = TestServer::start().await;
    let reply = get(&server, "/integrations?callback=alert(1)//", None)
        .await
        .expect(400);
    assert_eq!(reply.content_type(), "application/json; charset=utf-8");
    assert_eq!(
        reply.json()["responseStatus"]["errorCode"],
        "ArgumentException"
    );
    assert!(!reply.text.starts_with("alert"), "{}", reply.text);
}

#[tokio::test]
async fn format_suffix_beats_callback() {
    let fixture = Fixture::start().await;
    let path = format!("/integrations/{}.xml?callback=show", fixture.id());
    let reply = fixture.get(&path, None).await.expect(200);
    assert_eq!(reply.content_type(), "application/xml; charset=utf-8");
    assert_contracts_registered(&reply.text);
    assert_eq!(reply.text, fixture.fill(INTEGRATION_XML));
}

#[tokio::test]
async fn delete_is_no_content_in_every_format() {
    let server = TestServer::start().await;
    for format in ["xml", "csv", "html", "jsonl"] {
        let info = server
            .new_integration(json!({ "type": "HostedSuite", "name": format }))
            .await;
        let path = format!("/integrations/{}?format={format}", text(&info, "id"));
        let reply = server
            .call(reqwest::Method::DELETE, &path, None)
            .await
            .expect(204);
        assert_eq!(reply.text, "", "{format}");
    }
}
