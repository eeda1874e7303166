//! The delivery worker: leases what is due from the outbox, groups digest rows per channel,
//! sends each unit in its own task (at most [`IN_FLIGHT`] at once), records every attempt and
//! schedules retries with backoff, or marks a notification `failed` after `max_attempts`.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::{json, Value};
use sha2::Digest;
use tracing::{error, info, warn};

use super::{
    backoff, email_message, sign, slack_message, Payload, IDEMPOTENCY_HEADER, SIGNATURE_HEADER,
};
use crate::config::DeliveryConfig;
use crate::logic::domain::Channel;
use crate::services::Services;
use crate::store::Outgoing;

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
    // The stored facts as JSON, verbatim: what a webhook digest carries.
    let stored = || -> Result<Vec<Value>, String> {
        unit.members
            .iter()
            .map(|n| {
                serde_json::from_str(&n.payload)
                    .map_err(|e| format!("stored payload of {} is not JSON: {e}", n.id))
            })
            .collect()
    };
    // The stored facts read back, for Slack and email to render.
    let items = || -> Result<Vec<Payload>, String> {
        unit.members
            .iter()
            .map(|n| {
                serde_json::from_str(&n.payload)
                    .map_err(|e| format!("stored payload of {} cannot be read: {e}", n.id))
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
                    json!({"event": "digest", "messages": stored()?}).to_string(),
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
    use crate::logic::domain::NotifyEvent;

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
}
