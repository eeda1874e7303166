//! Notifications to humans — escalations and messages — delivered from the transactional
//! outbox: the call's closing transaction inserts them (`store::Store::end_call_notifying`);
//! the delivery worker here sends each one with retries, exponential backoff and jitter, an
//! idempotency key, and a record of every attempt. Pending notifications survive restarts and
//! crashes; one that keeps failing ends `failed`, visible in the API and the log.
//!
//! **Architecture Invariant:** nothing is sent that was not first committed to the outbox, and
//! nothing committed is dropped: it is delivered, or retried until it is marked `failed`.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use hmac::{Hmac, Mac};
use serde_json::json;
use tracing::{error, info, warn};

use crate::call::Services;
use crate::config::DeliveryConfig;
use crate::store::{CallView, NewNotification, Outgoing};

/// The header carrying `sha256=<hex HMAC-SHA256 of the body>`.
pub const SIGNATURE_HEADER: &str = "X-Frontdesk-Signature";
/// The header carrying the notification's id: the same on every retry, for receivers to dedupe.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// `sha256=<hex>`: the HMAC-SHA256 of `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key");
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
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

/// The JSON a receiver gets for a closed call: who called, why, how urgent, the summary, the
/// whole transcript with timestamps, and a link to the call in the API.
pub fn payload(call: &CallView, call_url: &str) -> serde_json::Value {
    let event = if call.escalation_reason.is_some() {
        "escalation"
    } else {
        "message"
    };
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
        "urgency": call.urgency.clone().unwrap_or_else(|| "routine".into()),
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

/// What a closed call must tell a human, for the configured channels: escalated calls and
/// messages taken. Nothing when no channel is configured.
pub fn for_call(services: &Services, call: &CallView) -> Vec<NewNotification> {
    let wants = call.escalation_reason.is_some()
        || call.message.is_some()
        || matches!(call.outcome.as_deref(), Some("message" | "escalated"));
    if !wants || services.config.webhook_url.is_none() {
        return Vec::new();
    }
    let url = format!(
        "{}/api/calls/{}",
        services.config.public_base(),
        call.call_sid
    );
    let body = payload(call, &url);
    vec![NewNotification {
        id: format!("ntf_{}", uuid::Uuid::new_v4().simple()),
        channel: "webhook".into(),
        event: body["event"].as_str().unwrap_or("message").to_string(),
        reason: call.escalation_reason.clone(),
        urgency: body["urgency"].as_str().map(str::to_string),
        payload: body.to_string(),
    }]
}

/// Sends one notification; `Err` says why it did not arrive.
async fn send(services: &Services, client: &reqwest::Client, n: &Outgoing) -> Result<(), String> {
    match n.channel.as_str() {
        "webhook" => {
            let (Some(url), Some(secret)) = (
                services.config.webhook_url.as_deref(),
                services.config.webhook_secret.as_deref(),
            ) else {
                return Err("no webhook is configured (FRONTDESK_WEBHOOK_URL)".into());
            };
            let r = client
                .post(url)
                .header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, sign(secret, n.payload.as_bytes()))
                .header(IDEMPOTENCY_HEADER, &n.id)
                .header("X-Frontdesk-Event", &n.event)
                .body(n.payload.clone())
                .send()
                .await
                .map_err(|e| format!("webhook unreachable: {e}"))?;
            if r.status().is_success() {
                Ok(())
            } else {
                Err(format!("webhook answered HTTP {}", r.status().as_u16()))
            }
        }
        other => Err(format!("unknown channel {other:?}")),
    }
}

/// Delivers what is due, then waits for the next due time or a wake-up; runs until the process
/// ends. Safe to run beside other instances: each notification is leased before it is sent.
pub async fn run(services: Arc<Services>) {
    let cfg = services.config.delivery.clone();
    let timeout = Duration::from_secs(cfg.timeout_secs.max(1));
    let client = match reqwest::Client::builder().timeout(timeout).build() {
        Ok(c) => c,
        Err(e) => {
            error!(error = %e, "cannot build the HTTP client; notifications stay queued");
            return;
        }
    };
    let lease = chrono::Duration::from_std(timeout + Duration::from_secs(5))
        .unwrap_or_else(|_| chrono::Duration::seconds(15));
    loop {
        let now = Utc::now();
        let due = match services.store.claim_due(now, lease, 16).await {
            Ok(d) => d,
            Err(e) => {
                error!(error = %e, "cannot read the outbox");
                Vec::new()
            }
        };
        for n in &due {
            let result = send(&services, &client, n).await;
            let at = Utc::now();
            let attempts = n.attempts + 1;
            let retry_at = match &result {
                Ok(()) => {
                    info!(notification = %n.id, call_sid = %n.call_sid, event = %n.event, attempts, "notification delivered");
                    None
                }
                Err(e) if attempts >= cfg.max_attempts => {
                    error!(notification = %n.id, call_sid = %n.call_sid, attempts, error = %e, "notification FAILED for good: the receiver kept failing");
                    None
                }
                Err(e) => {
                    let wait = backoff(&cfg, attempts, rand::random::<f64>());
                    warn!(notification = %n.id, call_sid = %n.call_sid, attempts, error = %e, retry_in_ms = wait.as_millis() as u64, "notification not delivered; will retry");
                    chrono::Duration::from_std(wait).ok().map(|w| at + w)
                }
            };
            if let Err(e) = services
                .store
                .record_attempt(&n.id, at, result, retry_at)
                .await
            {
                error!(notification = %n.id, error = %e, "cannot record a delivery attempt; the lease will expire and it will be retried");
            }
        }
        if !due.is_empty() {
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

    #[test]
    fn signatures_are_hex_hmac_sha256() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
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
