//! Providers: each turns its wire formats (webhook forms, media-stream frames, REST calls) into
//! the types here and back, so the rest of Frontdesk never sees a provider's fields.
//!
//! **Architecture Invariant:** nothing outside `telephony` names a provider's wire format;
//! a new provider (Telnyx, Vonage, Plivo, SIP/RTP) is a new module implementing [`Provider`]
//! (webhooks, replies, live transfer) and [`Adapter`] (the media stream).

pub mod twilio;

pub use crate::logic::media::{Inbound, Outbound, StreamStart};

/// Why a frame could not be understood.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FrameError {
    #[error("frame is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("frame does not match the protocol: {0}")]
    Malformed(String),
    #[error("frame has an unknown event {0:?}")]
    UnknownEvent(String),
    #[error("{event} frame is missing {field}")]
    MissingField {
        event: &'static str,
        field: &'static str,
    },
    #[error("media payload is not valid base64: {0}")]
    BadBase64(String),
    #[error("unsupported media format {encoding} at {rate} Hz, {channels} channel(s); want audio/x-mulaw 8000 Hz mono")]
    UnsupportedFormat {
        encoding: String,
        rate: u32,
        channels: u32,
    },
    #[error("{0} frame arrived before the stream started")]
    BeforeStart(&'static str),
    #[error("binary frames are not part of this protocol")]
    Binary,
}

/// A call the provider offers us: what its voice webhook said.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomingCall {
    /// The provider's id for the call.
    pub call_id: String,
    /// The caller's number, when the provider has it.
    pub from: Option<String>,
    /// The number they dialled.
    pub to: Option<String>,
}

/// How a live transfer ended: what the provider's dial callback said.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferEnded {
    /// The provider's id for the caller's call.
    pub call_id: String,
    /// The human answered (the call now runs between them).
    pub answered: bool,
    /// The provider's word for how it ended ("completed", "busy", "no-answer", …), for the log.
    pub status: String,
}

/// What we answer a provider's webhook with.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The `Content-Type` of `body`.
    pub content_type: &'static str,
    pub body: String,
}

/// A webhook the provider sent that we cannot act on.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum WebhookError {
    #[error("{0} is required")]
    Missing(&'static str),
}

/// The provider could not move a live call to a human.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("live transfer is not configured ({0})")]
    NotConfigured(&'static str),
    #[error("{0}")]
    Failed(String),
}

/// A telephony provider's control plane: the webhooks it sends us, what we answer them with,
/// the live-call operations we ask of it, and the [`Adapter`] for its media stream. A new
/// provider implements this trait and [`Adapter`] in a module of its own; `http` mounts its
/// three routes (`/{name}/voice`, `/{name}/stream`, `/{name}/dial-status`) with one line and
/// never sees a wire field. Webhook parameters arrive as the form's name/value pairs, in order.
///
/// What a new provider implements (this one speaks an imaginary JSON protocol):
///
/// ```no_run
/// use frontdesk::providers::*;
///
/// struct Acme;
///
/// impl Provider for Acme {
///     fn name(&self) -> &'static str { "acme" }
///     fn verify(&self, _url: &str, _params: &[(String, String)],
///               header: &dyn Fn(&str) -> Option<String>) -> bool {
///         header("x-acme-signature").is_some() // check the provider's real signature here
///     }
///     fn incoming_call(&self, p: &[(String, String)]) -> Result<IncomingCall, WebhookError> {
///         let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
///         Ok(IncomingCall {
///             call_id: get("call_id").ok_or(WebhookError::Missing("call_id"))?,
///             from: get("from"),
///             to: get("to"),
///         })
///     }
///     fn transfer_ended(&self, p: &[(String, String)]) -> Result<TransferEnded, WebhookError> {
///         let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
///         let status = get("result").unwrap_or_default();
///         Ok(TransferEnded {
///             call_id: get("call_id").ok_or(WebhookError::Missing("call_id"))?,
///             answered: status == "answered",
///             status,
///         })
///     }
///     fn connect_stream(&self, url: &str, _parameters: &[(&str, &str)]) -> Reply {
///         Reply { content_type: "application/json", body: format!(r#"{{"stream":"{url}"}}"#) }
///     }
///     fn say_and_hang_up(&self, text: &str) -> Reply {
///         Reply { content_type: "application/json", body: format!(r#"{{"say":{text:?}}}"#) }
///     }
///     fn hang_up(&self) -> Reply {
///         Reply { content_type: "application/json", body: r#"{"hangup":true}"#.into() }
///     }
///     fn adapter(&self) -> Box<dyn Adapter> { Box::new(AcmeFrames) }
///     fn transfer<'a>(&'a self, _call: &'a str, _to: &'a str, _say: &'a str,
///                     _status_url: &'a str) -> TransferFuture<'a> {
///         Box::pin(async { Err(TransferError::NotConfigured("acme transfers")) })
///     }
/// }
///
/// struct AcmeFrames;
///
/// impl Adapter for AcmeFrames {
///     fn parse(&mut self, text: &str) -> Result<Inbound, FrameError> {
///         match text {
///             "hello" => Ok(Inbound::Connected),
///             "bye" => Ok(Inbound::Stop),
///             other => Err(FrameError::UnknownEvent(other.to_string())),
///         }
///     }
///     fn encode(&self, frame: &Outbound) -> String {
///         match frame {
///             Outbound::Media(audio) => format!("audio {}", audio.len()),
///             Outbound::Mark(name) => format!("mark {name}"),
///             Outbound::Clear => "clear".into(),
///         }
///     }
/// }
/// ```
///
/// `app` then builds `Services::provider` as `Arc::new(Acme)`.
pub trait Provider: Send + Sync {
    /// The path segment its routes live under ("twilio").
    fn name(&self) -> &'static str;
    /// Whether a webhook to `url` with `params` really comes from the provider, given the
    /// request header `header` (by lowercase name). True when no secret is configured.
    fn verify(
        &self,
        url: &str,
        params: &[(String, String)],
        header: &dyn Fn(&str) -> Option<String>,
    ) -> bool;
    /// Reads the voice webhook: a call is ringing.
    fn incoming_call(&self, params: &[(String, String)]) -> Result<IncomingCall, WebhookError>;
    /// Reads the dial callback: how a live transfer ended.
    fn transfer_ended(&self, params: &[(String, String)]) -> Result<TransferEnded, WebhookError>;
    /// Answers a ringing call by connecting its audio to `stream_url`, passing `parameters`
    /// to the stream's start.
    fn connect_stream(&self, stream_url: &str, parameters: &[(&str, &str)]) -> Reply;
    /// Says `text` to the caller and ends the call.
    fn say_and_hang_up(&self, text: &str) -> Reply;
    /// Ends the call.
    fn hang_up(&self) -> Reply;
    /// A media-stream adapter for one call.
    fn adapter(&self) -> Box<dyn Adapter>;
    /// Moves live call `call_id` to `to`, saying `say` first; the provider reports how it
    /// ended to `status_url` (read by [`Provider::transfer_ended`]).
    fn transfer<'a>(
        &'a self,
        call_id: &'a str,
        to: &'a str,
        say: &'a str,
        status_url: &'a str,
    ) -> TransferFuture<'a>;
}

/// A live transfer under way ([`Provider::transfer`]).
pub type TransferFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), TransferError>> + Send + 'a>>;

/// A provider's media-stream protocol, both ways.
pub trait Adapter: Send {
    /// Parses one text frame from the provider.
    fn parse(&mut self, text: &str) -> Result<Inbound, FrameError>;
    /// Encodes one frame for the provider.
    fn encode(&self, frame: &Outbound) -> String;
}
