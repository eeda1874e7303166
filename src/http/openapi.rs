//! The OpenAPI 3.1 document of every route, generated from the code by `utoipa`: each handler's
//! `#[utoipa::path]` says its method, path, parameters, bodies and answers, and the router is
//! built from the same attributes (`utoipa_axum::routes!`), so a route cannot be served
//! undocumented or documented unserved. Served at `GET /api/openapi.json`, open like the
//! probes (it holds no caller data).
//!
//! The shared domain values (`Outcome`, `Category`, …) live in `logic`, which names no HTTP
//! crate; their schemas are written here, from each one's `ALL` and `as_str`, so the document
//! lists exactly the names the API speaks.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};

use crate::logic::domain::{
    CallStatus, Category, Channel, ContactKind, InboxKind, NotifyEvent, Outcome, Speaker, Urgency,
};

/// The document's frame: title, description, tags and the bearer scheme; the routes add their
/// operations and schemas.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Frontdesk API",
        description = "The call log, appointments, inbox, contacts and notifications of a Frontdesk \
            voice receptionist. Every /api route but this document needs \
            `Authorization: Bearer $FRONTDESK_API_TOKEN`; errors are `{\"error\": \"<message>\"}`. \
            Lists of calls and inbox items come a page at a time: when more follow, `X-Next-Cursor` \
            holds the next page's cursor and `Link` its URL."
    ),
    modifiers(&BearerToken),
    tags(
        (name = "calls", description = "The call log"),
        (name = "appointments", description = "The calendar's bookings"),
        (name = "inbox", description = "What a human still has to look at"),
        (name = "contacts", description = "VIPs, known and blocked callers"),
        (name = "notifications", description = "Escalations and messages sent to humans"),
        (name = "monitoring", description = "Probes and metrics, open without the token"),
        (name = "provider", description = "The telephony provider's webhooks and media stream (signed by the provider, not the token)"),
    )
)]
pub struct ApiDoc;

/// The `bearer` security scheme: the API token.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The server's FRONTDESK_API_TOKEN"))
                    .build(),
            ),
        );
    }
}

/// A string schema whose values are a stored-name enum's names.
fn names_schema(description: &str, names: Vec<&'static str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(names))
        .into()
}

macro_rules! stored_name_schemas {
    ($($name:ident: $description:literal,)+) => {
        $(
            impl utoipa::PartialSchema for $name {
                fn schema() -> RefOr<Schema> {
                    names_schema($description, $name::ALL.iter().map(|v| v.as_str()).collect())
                }
            }

            impl utoipa::ToSchema for $name {
                fn name() -> Cow<'static, str> {
                    Cow::Borrowed(stringify!($name))
                }
            }
        )+
    };
}

stored_name_schemas! {
    CallStatus: "Where the call stands",
    Speaker: "Who spoke a turn",
    Outcome: "What the call came to",
    Category: "What kind of caller",
    Urgency: "How soon a human must know",
    NotifyEvent: "What a notification tells a human",
    Channel: "Where a notification goes",
    InboxKind: "Why a call is in the inbox: escalation, message, missed call, or request (a meeting booked, moved or cancelled by phone)",
    ContactKind: "How screening treats a contact's calls",
}
