//! Notifications to humans — escalations and messages — delivered from the transactional
//! outbox: the call's closing transaction inserts them (`store::Store::end_call_notifying`);
//! the delivery worker here sends each one with retries, exponential backoff and jitter, an
//! idempotency key, and a record of every attempt. Pending notifications survive restarts and
//! crashes; one that keeps failing ends `failed`, visible in the API and the log.
//!
//! Every configured channel gets its own notification: the signed generic webhook, a Slack
//! incoming webhook, and email over SMTP. Each stores the same facts (the webhook's JSON); Slack
//! and email messages are rendered from them at send time by the pure functions here. Routine
//! messages may be held for a morning digest: one message per channel with all of them.
//!
//! **Architecture Invariant:** nothing is sent that was not first committed to the outbox, and
//! nothing committed is dropped: it is delivered, or retried until it is marked `failed`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::{json, Value};
use sha2::Digest;
use tracing::{error, info, warn};

use crate::config::{Config, DeliveryConfig};
use crate::logic::domain::{Category, Channel, NotifyEvent, Outcome, Speaker, Summary, Urgency};
use crate::services::Services;
use crate::store::{CallView, NewNotification, Outgoing};

/// The header carrying `sha256=<hex HMAC-SHA256 of the body>`.
pub const SIGNATURE_HEADER: &str = "X-Frontdesk-Signature";
/// The header carrying the notification's id: the same on every retry, for receivers to dedupe.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// `sha256=<hex>`: the HMAC-SHA256 of `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", crate::hmac_sha256_hex(secret.as_bytes(), body))
}

/// The wait before the next attempt, after `attempts` failed ones: the base doubled each time,
/// capped, with "equal jitter" (half fixed, half random by `jitter` in 0..1) so that receivers
/// coming back are not hit by every sender at once.
pub fn backoff(cfg: &DeliveryConfig, attempts: u32, jitter: f64) -> Duration {
    let exp = cfg
        .backoff_base_ms
        .saturating_mul(1u64 << attempts.saturating_sub(1).min(30));
    let capped = exp.min(cfg.backoff_max_secs.saturating_mul(1000)).max(1);
    let half = capped / 2;
    Duration::from_millis(half + (half as f64 * jitter.clamp(0.0, 1.0)) as u64)
}

/// What a closed call must tell a human, if anything: `escalation` (it was handed to a human),
/// `message` (a message was taken), or `missed_call` (a real caller hung up before anything was
/// done: nothing missed). Robocalls, sales calls, blocked numbers and silent calls tell nobody.
pub fn event_for(call: &CallView) -> Option<NotifyEvent> {
    if call.escalation_reason.is_some() {
        return Some(NotifyEvent::Escalation);
    }
    if call.message.is_some() || matches!(call.outcome, Some(Outcome::Message | Outcome::Escalated))
    {
        return Some(NotifyEvent::Message);
    }
    let spoke = call
        .turns
        .iter()
        .flatten()
        .any(|t| t.speaker == Speaker::Caller && !t.text.trim().is_empty());
    let screened_out = matches!(
        call.category,
        Some(Category::Spam | Category::Sales | Category::Blocked)
    );
    (call.outcome == Some(Outcome::Abandoned) && spoke && !screened_out)
        .then_some(NotifyEvent::MissedCall)
}

/// The JSON a receiver gets for a closed call: who called, why, how urgent, the summary, the
/// whole transcript with timestamps, and a link to the call in the API.
pub fn payload(call: &CallView, call_url: &str) -> serde_json::Value {
    let event = event_for(call).unwrap_or(NotifyEvent::Message);
    let transcript: Vec<_> = call
        .turns
        .iter()
        .flatten()
        .map(|t| json!({"speaker": t.speaker, "text": t.text, "at": t.started_at}))
        .collect();
    json!({
        "event": event,
        "call_sid": call.call_sid,
        "reason": call.escalation_reason,
        "urgency": call.urgency.unwrap_or(Urgency::Routine),
        "caller": {
            "name": call.caller.name,
            "company": call.caller.company,
            "number": call.caller.callback_number.clone().or_else(|| call.from.clone()),
        },
        "category": call.category,
        "purpose": call.purpose,
        "message": call.message,
        "outcome": call.outcome,
        "summary": call.summary,
        "transcript": transcript,
        "call_url": call_url,
    })
}

/// The summary of a call cut off mid-way because the server stopped (recovered at startup).
pub const CUT_OFF_SUMMARY: &str =
    "The call was cut off: the server stopped during it. See the transcript for what was said.";

/// The summary of a call whose live transfer went unanswered (`status`: how the provider's
/// dial callback said it ended): what was done stays, the next step becomes a callback.
pub fn transfer_missed_summary(
    summary: Option<&Summary>,
    status: &str,
    assistant: &str,
) -> Summary {
    let done = summary.map_or("", |s| s.account.trim());
    let status = status.replace('-', " ");
    let status = if status.is_empty() {
        "no answer"
    } else {
        &status
    };
    Summary {
        account: format!("{done} The live transfer was not answered ({status}).")
            .trim_start()
            .to_string(),
        next_step: Some(format!("{assistant} to call back urgently.")),
    }
}

/// The channels configured, in a fixed order.
pub fn channels(config: &Config) -> Vec<Channel> {
    let mut out = Vec::new();
    if config.webhook_url.is_some() {
        out.push(Channel::Webhook);
    }
    if config.slack_webhook_url.is_some() {
        out.push(Channel::Slack);
    }
    if config.email.enabled() {
        out.push(Channel::Email);
    }
    out
}

/// The first `at` (local time in `tz`) strictly after `now`. A time skipped by a daylight-saving
/// change moves an hour later; a repeated one takes its first occurrence.
pub fn next_digest(now: DateTime<Utc>, tz: Tz, at: NaiveTime) -> DateTime<Utc> {
    let today = now.with_timezone(&tz).date_naive();
    (0..3)
        .filter_map(|d| {
            let local = (today + chrono::Duration::days(d)).and_time(at);
            tz.from_local_datetime(&local)
                .earliest()
                .or_else(|| {
                    tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
                        .earliest()
                })
                .map(|t| t.with_timezone(&Utc))
        })
        .find(|t| *t > now)
        .unwrap_or(now + chrono::Duration::days(1))
}

/// What a closed call must tell a human (see [`event_for`]), one notification per configured
/// channel. A routine message or missed call waits for the digest when that is configured.
pub fn for_call(services: &Services, call: &CallView) -> Vec<NewNotification> {
    let channels = channels(&services.config);
    let Some(event) = event_for(call).filter(|_| !channels.is_empty()) else {
        return Vec::new();
    };
    let url = format!(
        "{}/api/calls/{}",
        services.config.public_base(),
        call.call_sid
    );
    let body = payload(call, &url);
    let urgency = call.urgency.unwrap_or(Urgency::Routine);
    let delivery = &services.config.delivery;
    let digest_at = match delivery.digest_time() {
        Some(at)
            if delivery.digest
                && event != NotifyEvent::Escalation
                && urgency == Urgency::Routine =>
        {
            let now = services.clock.now();
            let due = next_digest(now, services.persona.timezone, at);
            // The call clock may run shifted (demos, tests); the outbox runs on wall-clock time.
            Some(Utc::now() + (due - now))
        }
        _ => None,
    };
    let payload = body.to_string();
    channels
        .into_iter()
        .map(|channel| NewNotification {
            id: format!("ntf_{}", uuid::Uuid::new_v4().simple()),
            channel,
            event,
            reason: call.escalation_reason.clone(),
            urgency: Some(urgency),
            payload: payload.clone(),
            digest_at,
        })
        .collect()
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v[key].as_str().map(str::trim).filter(|s| !s.is_empty())
}

/// Who called, as a reader wants it: "Jordan Lee (Acme) +16175550111".
fn caller_line(item: &Value) -> String {
    let c = &item["caller"];
    let mut out = text(c, "name").unwrap_or("Unknown caller").to_string();
    if let Some(company) = text(c, "company") {
        out.push_str(&format!(" ({company})"));
    }
    if let Some(number) = text(c, "number") {
        out.push_str(&format!(" {number}"));
    }
    out
}

/// A one-line heading for one notification.
fn headline(item: &Value) -> String {
    let who = caller_line(item);
    if item["event"] == "escalation" {
        let urgency = text(item, "urgency").unwrap_or("routine");
        let flag = if urgency == "routine" {
            "Escalation".to_string()
        } else {
            format!("{} escalation", urgency.to_uppercase())
        };
        match text(item, "reason") {
            Some(reason) => format!("{flag}: {who} ({reason})"),
            None => format!("{flag}: {who}"),
        }
    } else if item["event"] == "missed_call" {
        format!("Missed call from {who}")
    } else {
        format!("Message from {who}")
    }
}

/// The transcript as lines "19:31:02 caller: …", times in `tz`.
fn transcript_lines(item: &Value, tz: Tz) -> Vec<String> {
    item["transcript"]
        .as_array()
        .map(|turns| {
            turns
                .iter()
                .map(|t| {
                    let at = t["at"]
                        .as_str()
                        .and_then(|a| DateTime::parse_from_rfc3339(a).ok())
                        .map(|a| a.with_timezone(&tz).format("%H:%M:%S").to_string())
                        .unwrap_or_default();
                    format!(
                        "{at} {}: {}",
                        t["speaker"].as_str().unwrap_or("?"),
                        t["text"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Escapes what Slack's mrkdwn would otherwise read as links or mentions (`<!channel>`).
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// At most `max` characters, cut on a character boundary with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Slack allows 50 blocks a message and 3,000 characters a text block.
const SLACK_MAX_ITEMS: usize = 40;
const SLACK_MAX_TEXT: usize = 2_900;

/// A Slack incoming-webhook message for one notification or a digest of several: `text` (what
/// the phone's notification shows, and all that Slack-compatible chats without Block Kit, such as
/// Mattermost, display) and Block Kit `blocks`.
pub fn slack_message(items: &[Value], tz: Tz) -> Value {
    let link = |item: &Value| match text(item, "call_url") {
        Some(url) => format!(" <{}|call log>", slack_escape(url)),
        None => String::new(),
    };
    if let [item] = items {
        let head = headline(item);
        let mut fields = vec![
            json!({"type": "mrkdwn", "text": format!("*Caller*\n{}", slack_escape(&caller_line(item)))}),
        ];
        for (label, key) in [
            ("Urgency", "urgency"),
            ("Purpose", "purpose"),
            ("Message", "message"),
        ] {
            if let Some(v) = text(item, key) {
                fields.push(json!({"type": "mrkdwn", "text": clip(&format!("*{label}*\n{}", slack_escape(v)), 1_900)}));
            }
        }
        let transcript = transcript_lines(item, tz).join("\n");
        let mut blocks = vec![
            json!({"type": "header", "text": {"type": "plain_text", "text": clip(&head, 150)}}),
            json!({"type": "section", "text": {"type": "mrkdwn", "text": clip(&format!("{}{}", slack_escape(text(item, "summary").unwrap_or("")), link(item)), SLACK_MAX_TEXT)}}),
            json!({"type": "section", "fields": fields}),
        ];
        if !transcript.is_empty() {
            blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": clip(&format!("```{}```", slack_escape(&transcript)), SLACK_MAX_TEXT)}}));
        }
        let summary = slack_escape(text(item, "summary").unwrap_or(""));
        let fallback = format!("{}\n{summary}{}", slack_escape(&head), link(item));
        return json!({"text": clip(&fallback, SLACK_MAX_TEXT), "blocks": blocks});
    }
    let head = format!("Morning digest: {} messages", items.len());
    let mut blocks = vec![json!({"type": "header", "text": {"type": "plain_text", "text": &head}})];
    for item in items.iter().take(SLACK_MAX_ITEMS) {
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": clip(&format!("*{}*\n{}{}", slack_escape(&headline(item)), slack_escape(text(item, "summary").unwrap_or("")), link(item)), SLACK_MAX_TEXT)}}));
    }
    if items.len() > SLACK_MAX_ITEMS {
        blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": format!("…and {} more in the call log.", items.len() - SLACK_MAX_ITEMS)}]}));
    }
    let mut fallback = head;
    for item in items.iter().take(SLACK_MAX_ITEMS) {
        fallback.push_str(&format!(
            "\n• {}{}",
            slack_escape(&headline(item)),
            link(item)
        ));
    }
    json!({"text": clip(&fallback, SLACK_MAX_TEXT), "blocks": blocks})
}

/// An email's subject and plain-text body.
#[derive(Debug, Clone, PartialEq)]
pub struct Email {
    pub subject: String,
    pub body: String,
}

/// The email for one notification or a digest of several; times in `tz`.
pub fn email_message(items: &[Value], tz: Tz) -> Email {
    let section = |item: &Value| {
        let mut out = format!("{}\n\n", headline(item));
        if let Some(summary) = text(item, "summary") {
            out.push_str(&format!("{summary}\n\n"));
        }
        out.push_str(&format!("Caller:   {}\n", caller_line(item)));
        for (label, key) in [
            ("Urgency:  ", "urgency"),
            ("Category: ", "category"),
            ("Purpose:  ", "purpose"),
            ("Message:  ", "message"),
            ("Outcome:  ", "outcome"),
        ] {
            if let Some(v) = text(item, key) {
                out.push_str(&format!("{label}{v}\n"));
            }
        }
        if let Some(url) = text(item, "call_url") {
            out.push_str(&format!("Call log: {url}\n"));
        }
        let transcript = transcript_lines(item, tz);
        if !transcript.is_empty() {
            out.push_str(&format!("\nTranscript ({}):\n", tz.name()));
            for line in transcript {
                out.push_str(&format!("  {line}\n"));
            }
        }
        out
    };
    if let [item] = items {
        let subject = if item["event"] == "escalation"
            && text(item, "urgency").is_some_and(|u| u != "routine")
        {
            format!("[URGENT] {}", headline(item))
        } else {
            headline(item)
        };
        return Email {
            subject,
            body: section(item),
        };
    }
    let mut body = format!("{} messages came in overnight.\n", items.len());
    for (i, item) in items.iter().enumerate() {
        body.push_str(&format!(
            "\n--- {} of {} ---\n\n{}",
            i + 1,
            items.len(),
            section(item)
        ));
    }
    Email {
        subject: format!("Morning digest: {} messages", items.len()),
        body,
    }
}

/// One send: a single notification, or a channel's digest of several.
struct Unit {
    channel: Channel,
    members: Vec<Outgoing>,
}

impl Unit {
    /// The idempotency key: the notification's id, or one derived from the digest's members.
    fn key(&self) -> String {
        match self.members.as_slice() {
            [one] if !one.digest => one.id.clone(),
            many => {
                let mut ids: Vec<&str> = many.iter().map(|n| n.id.as_str()).collect();
                ids.sort_unstable();
                let hash = sha2::Sha256::digest(ids.join(",").as_bytes());
                format!("dig_{}", crate::hex(&hash[..12]))
            }
        }
    }

    fn is_digest(&self) -> bool {
        self.members.iter().any(|n| n.digest)
    }
}

/// Groups claimed notifications into sends: one each, except digest members, which go
/// together per channel.
fn units(due: Vec<Outgoing>) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    for n in due {
        if n.digest {
            if let Some(u) = out
                .iter_mut()
                .find(|u| u.is_digest() && u.channel == n.channel)
            {
                u.members.push(n);
                continue;
            }
        }
        out.push(Unit {
            channel: n.channel,
            members: vec![n],
        });
    }
    out
}

/// What the worker sends with.
struct Senders {
    http: reqwest::Client,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
}

/// An error with its causes ("error sending request: … : Connection refused"). Callers strip
/// URLs first: a Slack webhook URL is a secret, and errors go to the log and the API.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

/// POSTs a JSON body; `Err` says why it did not arrive.
async fn post_json(
    request: reqwest::RequestBuilder,
    body: String,
    what: &str,
) -> Result<(), String> {
    let r = request
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("{what} unreachable: {}", error_chain(&e.without_url())))?;
    if r.status().is_success() {
        Ok(())
    } else if r.status().is_redirection() {
        let to = r
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("?");
        Err(format!(
            "{what} answered HTTP {} (a redirect to {to}: configure that URL instead)",
            r.status().as_u16()
        ))
    } else {
        Err(format!("{what} answered HTTP {}", r.status().as_u16()))
    }
}

/// Sends one unit; `Err` says why it did not arrive.
async fn send(services: &Services, senders: &Senders, unit: &Unit) -> Result<(), String> {
    let config = &services.config;
    let key = unit.key();
    let items = || -> Result<Vec<Value>, String> {
        unit.members
            .iter()
            .map(|n| {
                serde_json::from_str(&n.payload)
                    .map_err(|e| format!("stored payload of {} is not JSON: {e}", n.id))
            })
            .collect()
    };
    let tz = services.persona.timezone;
    match unit.channel {
        Channel::Webhook => {
            let (Some(url), Some(secret)) = (
                config.webhook_url.as_deref(),
                config.webhook_secret.as_deref(),
            ) else {
                return Err("no webhook is configured (FRONTDESK_WEBHOOK_URL)".into());
            };
            let (event, body) = match unit.members.as_slice() {
                [one] if !unit.is_digest() => (one.event.as_str(), one.payload.clone()),
                _ => (
                    "digest",
                    json!({"event": "digest", "messages": items()?}).to_string(),
                ),
            };
            let request = senders
                .http
                .post(url)
                .header(SIGNATURE_HEADER, sign(secret, body.as_bytes()))
                .header(IDEMPOTENCY_HEADER, &key)
                .header("X-Frontdesk-Event", event);
            post_json(request, body, "webhook").await
        }
        Channel::Slack => {
            let Some(url) = config.slack_webhook_url.as_deref() else {
                return Err("no Slack webhook is configured (FRONTDESK_SLACK_WEBHOOK_URL)".into());
            };
            let body = slack_message(&items()?, tz).to_string();
            post_json(senders.http.post(url), body, "Slack webhook").await
        }
        Channel::Email => {
            let (Some(smtp), Some(from)) = (&senders.smtp, config.email.from.as_deref()) else {
                return Err("email is not configured (FRONTDESK_SMTP_URL)".into());
            };
            let mail = email_message(&items()?, tz);
            let mut builder = lettre::Message::builder()
                .from(from.parse().map_err(|e| format!("email.from: {e}"))?)
                .subject(mail.subject)
                .message_id(Some(format!("<{key}@frontdesk>")))
                .header(lettre::message::header::ContentType::TEXT_PLAIN);
            for to in &config.email.to {
                builder = builder.to(to.parse().map_err(|e| format!("email.to {to:?}: {e}"))?);
            }
            let message = builder
                .body(mail.body)
                .map_err(|e| format!("cannot build the email: {e}"))?;
            smtp.send(message)
                .await
                .map(|_| ())
                .map_err(|e| format!("SMTP server refused or unreachable: {e}"))
        }
    }
}

/// Sends one unit and records the attempt on each of its members: delivered, a retry after
/// backoff with jitter, or failed for good after `max_attempts`.
async fn deliver(services: &Services, senders: &Senders, cfg: &DeliveryConfig, unit: &Unit) {
    let result = send(services, senders, unit).await;
    let at = Utc::now();
    // A digest's members retry together, on the schedule of the most-tried one.
    let tried = unit.members.iter().map(|n| n.attempts).max().unwrap_or(0) + 1;
    let wait = backoff(cfg, tried, rand::random::<f64>());
    for n in &unit.members {
        let attempts = n.attempts + 1;
        let retry_at = match &result {
            Ok(()) => {
                info!(notification = %n.id, call_sid = %n.call_sid, channel = %n.channel, event = %n.event, digest = n.digest, attempts, "notification delivered");
                None
            }
            Err(e) if attempts >= cfg.max_attempts => {
                error!(notification = %n.id, call_sid = %n.call_sid, channel = %n.channel, attempts, error = %e, "notification FAILED for good: the receiver kept failing");
                None
            }
            Err(e) => {
                warn!(notification = %n.id, call_sid = %n.call_sid, channel = %n.channel, attempts, error = %e, retry_in_ms = wait.as_millis() as u64, "notification not delivered; will retry");
                chrono::Duration::from_std(wait).ok().map(|w| at + w)
            }
        };
        if let Err(e) = services
            .store
            .record_attempt(&n.id, at, result.clone(), retry_at)
            .await
        {
            error!(notification = %n.id, error = %e, "cannot record a delivery attempt; the lease will expire and it will be retried");
        }
    }
}

/// Sends in flight at once: a slow or hanging receiver holds up only its own notifications,
/// never an escalation to another channel.
const IN_FLIGHT: usize = 32;

/// Delivers what is due, each send in its own task, then waits for the next due time or a
/// wake-up; runs until the process ends. Safe to run beside other instances: each notification
/// is leased (for longer than a send may take) before it is sent.
pub async fn run(services: Arc<Services>) {
    let cfg = services.config.delivery.clone();
    let timeout = Duration::from_secs(cfg.timeout_secs.max(1));
    // A redirect is not a delivery: following one would turn the POST into a GET and lose the
    // body while the receiver answers 200.
    let http = match reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            error!(error = %e, "cannot build the HTTP client; notifications stay queued");
            return;
        }
    };
    let smtp = services.config.email.smtp_url.as_deref().and_then(|url| {
        match AsyncSmtpTransport::<Tokio1Executor>::from_url(url) {
            Ok(b) => Some(b.timeout(Some(timeout)).build()),
            Err(e) => {
                error!(error = %e, "cannot use email.smtp_url; email notifications will fail");
                None
            }
        }
    });
    let senders = Arc::new(Senders { http, smtp });
    let lease = chrono::Duration::from_std(timeout * 2 + Duration::from_secs(5))
        .unwrap_or_else(|_| chrono::Duration::seconds(25));
    let slots = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    loop {
        let free = slots.available_permits();
        let due = if free == 0 {
            Vec::new()
        } else {
            match services
                .store
                .claim_due(Utc::now(), lease, free as i64)
                .await
            {
                Ok(d) => d,
                Err(e) => {
                    error!(error = %e, "cannot read the outbox");
                    Vec::new()
                }
            }
        };
        let claimed = !due.is_empty();
        for unit in units(due) {
            let Ok(slot) = slots.clone().acquire_owned().await else {
                return;
            };
            let (services, senders, cfg) = (services.clone(), senders.clone(), cfg.clone());
            tokio::spawn(async move {
                deliver(&services, &senders, &cfg, &unit).await;
                drop(slot);
                // There may be more to claim now, or a new next due time.
                services.outbox.notify_one();
            });
        }
        if claimed {
            continue;
        }
        let sleep = match services.store.next_due().await {
            Ok(Some(t)) => (t - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(Duration::from_secs(30)),
            _ => Duration::from_secs(30),
        };
        tokio::select! {
            _ = tokio::time::sleep(sleep.max(Duration::from_millis(20))) => {}
            _ = services.outbox.notified() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn delivery_errors_name_the_cause_but_never_the_secret_url() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let url = format!("http://127.0.0.1:{port}/services/T000/B000/s3cr3t-token");
        let client = reqwest::Client::new();
        let err = post_json(client.post(&url), "{}".into(), "Slack webhook")
            .await
            .unwrap_err();
        assert!(err.starts_with("Slack webhook unreachable: "), "{err}");
        assert!(
            err.to_lowercase().contains("refused"),
            "the cause is named: {err}"
        );
        assert!(!err.contains("s3cr3t"), "{err}");
    }

    #[test]
    fn signatures_are_hex_hmac_sha256() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    fn item(event: &str, urgency: &str, name: &str) -> Value {
        json!({
            "event": event,
            "call_sid": "CA1",
            "reason": if event == "escalation" { Some("emergency: servers down") } else { None },
            "urgency": urgency,
            "caller": {"name": name, "company": "Acme", "number": "+16175550111"},
            "purpose": "the contract",
            "message": "Call me back <!channel> & soon",
            "summary": format!("{name} from Acme called about the contract."),
            "transcript": [
                {"speaker": "agent", "text": "Good evening.", "at": "2026-11-25T00:30:01.000Z"},
                {"speaker": "caller", "text": "This is urgent.", "at": "2026-11-25T00:30:05.500Z"},
            ],
            "call_url": "https://desk.example.com/api/calls/CA1",
        })
    }

    const BOSTON: Tz = chrono_tz::America::New_York;

    fn closed_call(outcome: &str, category: &str, caller_said: &str) -> CallView {
        let turn = |speaker: &str, text: &str| crate::store::TurnView {
            speaker: speaker.parse().unwrap(),
            text: text.into(),
            started_at: "2026-11-25T00:30:01.000Z".into(),
            latency_ms: None,
            interrupted: false,
        };
        CallView {
            call_sid: "CA1".into(),
            from: Some("+16175550111".into()),
            to: None,
            started_at: "2026-11-25T00:30:00.000Z".into(),
            ended_at: Some("2026-11-25T00:31:00.000Z".into()),
            status: crate::logic::domain::CallStatus::Completed,
            outcome: Some(outcome.parse().unwrap()),
            caller: Default::default(),
            purpose: None,
            message: None,
            category: Some(category.parse().unwrap()),
            urgency: Some(Urgency::Routine),
            summary: None,
            summary_parts: None,
            escalation_reason: None,
            turns: Some(vec![
                turn("agent", "Good evening."),
                turn("caller", caller_said),
            ]),
            events: None,
            notifications: None,
        }
    }

    #[test]
    fn a_missed_transfer_turns_the_next_step_into_a_callback() {
        assert_eq!(
            transfer_missed_summary(
                Some(&Summary {
                    account: "Jordan Lee called. Transferred the call live to Jamie Chen.".into(),
                    next_step: Some("none; Jamie Chen took the call.".into()),
                }),
                "no-answer",
                "Jamie Chen"
            )
            .text(),
            "Jordan Lee called. Transferred the call live to Jamie Chen. The live transfer was not answered (no answer). Next step: Jamie Chen to call back urgently."
        );
        assert_eq!(
            transfer_missed_summary(None, "busy", "Jamie Chen").text(),
            "The live transfer was not answered (busy). Next step: Jamie Chen to call back urgently."
        );
    }

    #[test]
    fn what_a_closed_call_tells_a_human() {
        let mut c = closed_call("escalated", "new", "Emergency!");
        c.escalation_reason = Some("urgency: emergency".into());
        assert_eq!(event_for(&c), Some(NotifyEvent::Escalation));
        let mut c = closed_call("message", "known", "Tell Alex the report is in.");
        c.message = Some("the report is in".into());
        assert_eq!(event_for(&c), Some(NotifyEvent::Message));
        // A message left before hanging up on the read-back still counts.
        let mut c = closed_call("abandoned", "new", "The report is in.");
        c.message = Some("The report is in.".into());
        assert_eq!(event_for(&c), Some(NotifyEvent::Message));
        // A real caller who hung up before anything was done: a missed call.
        let c = closed_call("abandoned", "new", "Hi, this is Dana Kim, I wanted to");
        assert_eq!(event_for(&c), Some(NotifyEvent::MissedCall));
        assert_eq!(
            headline(&payload(&c, "http://x/api/calls/CA1")),
            "Missed call from Unknown caller +16175550111"
        );
        // Nothing for silence, robocalls, sales, blocked numbers, or calls that were handled.
        for (outcome, category, said) in [
            ("abandoned", "new", "  "),
            ("abandoned", "spam", "You've won"),
            ("abandoned", "sales", "Our product"),
            ("blocked", "blocked", "Hello"),
            ("booked", "new", "Tomorrow at 2"),
            ("faq", "new", "Where are you?"),
        ] {
            let c = closed_call(outcome, category, said);
            assert_eq!(event_for(&c), None, "{outcome} {category} {said:?}");
        }
    }

    #[test]
    fn the_digest_goes_out_at_the_next_local_time() {
        let at = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        // 19:30 in Boston: tomorrow 08:00 EST.
        assert_eq!(
            next_digest(utc("2026-11-24T19:30:00-05:00"), BOSTON, at),
            utc("2026-11-25T08:00:00-05:00")
        );
        // 07:00: this morning. 08:00 exactly: tomorrow.
        assert_eq!(
            next_digest(utc("2026-11-25T07:00:00-05:00"), BOSTON, at),
            utc("2026-11-25T08:00:00-05:00")
        );
        assert_eq!(
            next_digest(utc("2026-11-25T08:00:00-05:00"), BOSTON, at),
            utc("2026-11-26T08:00:00-05:00")
        );
        // Across the spring change the local time holds (EST to EDT).
        assert_eq!(
            next_digest(utc("2027-03-13T20:00:00-05:00"), BOSTON, at),
            utc("2027-03-14T08:00:00-04:00")
        );
        // 02:30 does not exist on 2027-03-14 in Boston: an hour later.
        let skipped = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        assert_eq!(
            next_digest(utc("2027-03-13T20:00:00-05:00"), BOSTON, skipped),
            utc("2027-03-14T03:30:00-04:00")
        );
        // 01:30 happens twice on 2027-11-07: the first.
        let twice = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
        assert_eq!(
            next_digest(utc("2027-11-06T20:00:00-04:00"), BOSTON, twice),
            utc("2027-11-07T01:30:00-04:00")
        );
    }

    #[test]
    fn slack_messages_carry_the_facts_and_cannot_ping_the_channel() {
        let m = slack_message(&[item("escalation", "emergency", "Jordan Lee")], BOSTON);
        let text = m["text"].as_str().unwrap();
        assert!(
            text.starts_with("EMERGENCY escalation: Jordan Lee (Acme) +16175550111"),
            "{text}"
        );
        let blocks = m["blocks"].as_array().unwrap();
        assert_eq!(blocks[0]["type"], "header");
        let all = m.to_string();
        assert!(
            all.contains("<https://desk.example.com/api/calls/CA1|call log>"),
            "{all}"
        );
        assert!(
            all.contains("19:30:05 caller: This is urgent."),
            "times are local: {all}"
        );
        assert!(all.contains("&lt;!channel&gt; &amp; soon"), "{all}");
        assert!(!all.contains("<!channel>"), "{all}");
        // A digest: one header and one section per message.
        let items: Vec<Value> = (0..3)
            .map(|i| item("message", "routine", &format!("Caller {i}")))
            .collect();
        let d = slack_message(&items, BOSTON);
        let text = d["text"].as_str().unwrap();
        assert!(
            text.starts_with("Morning digest: 3 messages\n• Message from Caller 0"),
            "{text}"
        );
        assert_eq!(d["blocks"].as_array().unwrap().len(), 4);
        assert!(d["blocks"][2]["text"]["text"]
            .as_str()
            .unwrap()
            .contains("Message from Caller 1"));
        // Slack's limits: 50 blocks, 3,000 characters a text.
        let many: Vec<Value> = (0..120)
            .map(|i| item("message", "routine", &format!("Caller {i}")))
            .collect();
        let d = slack_message(&many, BOSTON);
        assert!(d["blocks"].as_array().unwrap().len() <= 50);
        assert!(d["blocks"].to_string().contains("and 80 more"));
        let mut long = item("escalation", "deadline", "Sam");
        long["summary"] = json!("word ".repeat(2000));
        let m = slack_message(&[long], BOSTON);
        for b in m["blocks"].as_array().unwrap() {
            if let Some(t) = b["text"]["text"].as_str() {
                assert!(t.chars().count() <= 3000);
            }
        }
    }

    #[test]
    fn emails_carry_the_facts_and_the_transcript() {
        let e = email_message(&[item("escalation", "emergency", "Jordan Lee")], BOSTON);
        assert_eq!(
            e.subject,
            "[URGENT] EMERGENCY escalation: Jordan Lee (Acme) +16175550111 (emergency: servers down)"
        );
        for want in [
            "Jordan Lee from Acme called about the contract.",
            "Caller:   Jordan Lee (Acme) +16175550111",
            "Purpose:  the contract",
            "Call log: https://desk.example.com/api/calls/CA1",
            "Transcript (America/New_York):",
            "  19:30:01 agent: Good evening.",
            "  19:30:05 caller: This is urgent.",
        ] {
            assert!(e.body.contains(want), "{want:?} not in {}", e.body);
        }
        let m = email_message(&[item("message", "routine", "Priya")], BOSTON);
        assert_eq!(m.subject, "Message from Priya (Acme) +16175550111");
        let items: Vec<Value> = (0..2)
            .map(|i| item("message", "routine", &format!("Caller {i}")))
            .collect();
        let d = email_message(&items, BOSTON);
        assert_eq!(d.subject, "Morning digest: 2 messages");
        assert!(d.body.contains("--- 2 of 2 ---"));
        assert!(
            d.body.contains("Message from Caller 0") && d.body.contains("Message from Caller 1")
        );
    }

    #[test]
    fn digests_go_together_per_channel_and_the_rest_alone() {
        let n = |id: &str, channel: &str, digest: bool| Outgoing {
            id: id.into(),
            call_sid: "CA".into(),
            channel: channel.parse().unwrap(),
            event: NotifyEvent::Message,
            payload: "{}".into(),
            attempts: 0,
            digest,
        };
        let due = vec![
            n("a", "webhook", true),
            n("b", "email", true),
            n("c", "webhook", false),
            n("d", "webhook", true),
            n("e", "email", true),
        ];
        let u = units(due);
        let shape: Vec<(String, Vec<&str>)> = u
            .iter()
            .map(|u| {
                (
                    u.channel.to_string(),
                    u.members.iter().map(|m| m.id.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("webhook".to_string(), vec!["a", "d"]),
                ("email".to_string(), vec!["b", "e"]),
                ("webhook".to_string(), vec!["c"]),
            ]
        );
        assert_eq!(u[2].key(), "c");
        assert!(u[0].key().starts_with("dig_"));
        // The same members give the same key, whatever their order.
        let again = [n("d", "webhook", true), n("a", "webhook", true)];
        assert_eq!(units(again.to_vec())[0].key(), u[0].key());
    }

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        let cfg = DeliveryConfig {
            backoff_base_ms: 1000,
            backoff_max_secs: 10,
            ..DeliveryConfig::default()
        };
        assert_eq!(backoff(&cfg, 1, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(&cfg, 1, 1.0), Duration::from_millis(1000));
        assert_eq!(backoff(&cfg, 2, 1.0), Duration::from_millis(2000));
        assert_eq!(backoff(&cfg, 3, 0.5), Duration::from_millis(3000));
        assert_eq!(backoff(&cfg, 10, 1.0), Duration::from_secs(10));
        assert_eq!(backoff(&cfg, 200, 1.0), Duration::from_secs(10));
    }
}
