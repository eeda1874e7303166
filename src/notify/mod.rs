//! Notifications to humans — escalations and messages — delivered from the transactional
//! outbox: the call's closing transaction inserts them (`store::Outbox::end_call_notifying`);
//! the delivery worker here sends each one with retries, exponential backoff and jitter, an
//! idempotency key, and a record of every attempt. Pending notifications survive restarts and
//! crashes; one that keeps failing ends `failed`, visible in the API and the log.
//!
//! Every configured channel gets its own notification: the signed generic webhook, a Slack
//! incoming webhook, and email over SMTP. Each stores the same facts, a [`Payload`] built once
//! and stored as JSON (the webhook's body, byte for byte); the worker reads it back into a
//! [`Payload`], from which the pure functions here render Slack and email messages at send
//! time. Routine messages may be held for a morning digest: one message per channel with all
//! of them.
//!
//! **Architecture Invariant:** nothing is sent that was not first committed to the outbox, and
//! nothing committed is dropped: it is delivered, or retried until it is marked `failed`.
//! The files: this one plans (what a closed call tells whom: [`event_for`], [`for_call`],
//! [`payload`], the digest's time) and holds what every channel renders from; [`slack`] and
//! [`email`] render their messages (pure); [`worker`] leases what is due and sends it.

mod email;
mod slack;
mod worker;

pub use email::{email_message, Email};
pub use slack::slack_message;
pub use worker::run;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::config::{Config, DeliveryConfig};
use crate::logic::domain::{Category, Channel, NotifyEvent, Outcome, Speaker, Summary, Urgency};
use crate::services::Services;
use crate::store::{CallView, NewNotification};

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

/// What a notification tells a human about a closed call: who called, why, how urgent, the
/// summary, the whole transcript with timestamps, and a link to the call in the API. Built once
/// when the call closes, stored in the outbox as JSON (the generic webhook's body, sent byte for
/// byte) and read back by the worker for Slack and email.
///
/// The JSON keys are a contract with receivers. The fields are declared in the keys'
/// alphabetical order, so the JSON is byte for byte what earlier versions stored (they wrote
/// a sorted map); a field missing from a stored row reads as empty, as those versions
/// rendered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    #[serde(default)]
    pub call_sid: String,
    /// The link to the call in the API.
    #[serde(default)]
    pub call_url: String,
    #[serde(default)]
    pub caller: PayloadCaller,
    pub category: Option<Category>,
    #[serde(default = "message_event")]
    pub event: NotifyEvent,
    pub message: Option<String>,
    pub outcome: Option<Outcome>,
    pub purpose: Option<String>,
    /// Why the call was handed to a human, if it was.
    pub reason: Option<String>,
    pub summary: Option<String>,
    #[serde(default)]
    pub transcript: Vec<PayloadTurn>,
    #[serde(default = "routine")]
    pub urgency: Urgency,
}

/// The caller in a [`Payload`]; `number` is the callback number, or the number they called from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PayloadCaller {
    pub company: Option<String>,
    pub name: Option<String>,
    pub number: Option<String>,
}

/// One turn of a [`Payload`]'s transcript; `at` is the stored RFC 3339 time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayloadTurn {
    pub at: String,
    pub speaker: Speaker,
    pub text: String,
}

fn message_event() -> NotifyEvent {
    NotifyEvent::Message
}

fn routine() -> Urgency {
    Urgency::Routine
}

/// The [`Payload`] for a closed call, linking to it at `call_url`.
pub fn payload(call: &CallView, call_url: &str) -> Payload {
    Payload {
        call_sid: call.call_sid.clone(),
        call_url: call_url.to_string(),
        caller: PayloadCaller {
            company: call.caller.company.clone(),
            name: call.caller.name.clone(),
            number: call
                .caller
                .callback_number
                .clone()
                .or_else(|| call.from.clone()),
        },
        category: call.category,
        event: event_for(call).unwrap_or(NotifyEvent::Message),
        message: call.message.clone(),
        outcome: call.outcome,
        purpose: call.purpose.clone(),
        reason: call.escalation_reason.clone(),
        summary: call.summary.clone(),
        transcript: call
            .turns
            .iter()
            .flatten()
            .map(|t| PayloadTurn {
                at: t.started_at.clone(),
                speaker: t.speaker,
                text: t.text.clone(),
            })
            .collect(),
        urgency: call.urgency.unwrap_or(Urgency::Routine),
    }
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
    // A struct of strings, options and named values: serialising it cannot fail.
    let payload = serde_json::to_string(&body).expect("a notification payload serialises");
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

/// `s` trimmed, unless that leaves nothing.
pub(crate) fn text(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Who called, as a reader wants it: "Jordan Lee (Acme) +16175550111".
pub(crate) fn caller_line(item: &Payload) -> String {
    let c = &item.caller;
    let mut out = text(c.name.as_deref())
        .unwrap_or("Unknown caller")
        .to_string();
    if let Some(company) = text(c.company.as_deref()) {
        out.push_str(&format!(" ({company})"));
    }
    if let Some(number) = text(c.number.as_deref()) {
        out.push_str(&format!(" {number}"));
    }
    out
}

/// A one-line heading for one notification.
pub(crate) fn headline(item: &Payload) -> String {
    let who = caller_line(item);
    match item.event {
        NotifyEvent::Escalation => {
            let flag = match item.urgency {
                Urgency::Routine => "Escalation".to_string(),
                urgent => format!("{} escalation", urgent.as_str().to_uppercase()),
            };
            match text(item.reason.as_deref()) {
                Some(reason) => format!("{flag}: {who} ({reason})"),
                None => format!("{flag}: {who}"),
            }
        }
        NotifyEvent::MissedCall => format!("Missed call from {who}"),
        NotifyEvent::Message => format!("Message from {who}"),
    }
}

/// The transcript as lines "19:31:02 caller: …", times in `tz`.
pub(crate) fn transcript_lines(item: &Payload, tz: Tz) -> Vec<String> {
    item.transcript
        .iter()
        .map(|t| {
            let at = DateTime::parse_from_rfc3339(&t.at)
                .map(|a| a.with_timezone(&tz).format("%H:%M:%S").to_string())
                .unwrap_or_default();
            format!("{at} {}: {}", t.speaker.as_str(), t.text)
        })
        .collect()
}

/// Escapes what Slack's mrkdwn would otherwise read as links or mentions (`<!channel>`).
pub(crate) fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// At most `max` characters, cut on a character boundary with an ellipsis.
pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn signatures_are_hex_hmac_sha256() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    /// A notification's facts, read from the JSON an outbox row holds.
    fn item(event: &str, urgency: &str, name: &str) -> Payload {
        let stored = json!({
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
        });
        serde_json::from_value(stored).unwrap()
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
            inbox: None,
            handled_at: None,
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
        let items: Vec<Payload> = (0..3)
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
        let many: Vec<Payload> = (0..120)
            .map(|i| item("message", "routine", &format!("Caller {i}")))
            .collect();
        let d = slack_message(&many, BOSTON);
        assert!(d["blocks"].as_array().unwrap().len() <= 50);
        assert!(d["blocks"].to_string().contains("and 80 more"));
        let mut long = item("escalation", "deadline", "Sam");
        long.summary = Some("word ".repeat(2000));
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
        let items: Vec<Payload> = (0..2)
            .map(|i| item("message", "routine", &format!("Caller {i}")))
            .collect();
        let d = email_message(&items, BOSTON);
        assert_eq!(d.subject, "Morning digest: 2 messages");
        assert!(d.body.contains("--- 2 of 2 ---"));
        assert!(
            d.body.contains("Message from Caller 0") && d.body.contains("Message from Caller 1")
        );
    }

    /// The payload as earlier versions built it: a `json!` map, whose keys serialise sorted.
    fn payload_as_a_map(call: &CallView, call_url: &str) -> Value {
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

    #[test]
    fn the_stored_payload_is_byte_for_byte_what_receivers_got_before() {
        let mut c = closed_call("escalated", "vip", "The servers are down, it's urgent.");
        c.escalation_reason = Some("urgency: emergency".into());
        c.urgency = Some(Urgency::Emergency);
        c.caller.name = Some("Jordan Lee".into());
        c.caller.company = Some("Acme".into());
        c.purpose = Some("servers".into());
        c.summary = Some("Jordan Lee called. Next step: Jamie to call back.".into());
        let url = "https://desk.example.com/api/calls/CA1";
        let mut quiet = closed_call("abandoned", "new", "Hi, this is");
        quiet.urgency = None;
        for call in [c, quiet] {
            let typed = serde_json::to_string(&payload(&call, url)).unwrap();
            assert_eq!(typed, payload_as_a_map(&call, url).to_string());
            // A stored row reads back to the same facts.
            let back: Payload = serde_json::from_str(&typed).unwrap();
            assert_eq!(back, payload(&call, url));
        }
    }

    #[test]
    fn a_stored_row_with_only_some_keys_still_renders() {
        let sparse: Payload =
            serde_json::from_str(r#"{"event": "message", "call_sid": "CA9", "extra": 1}"#).unwrap();
        assert_eq!(sparse.urgency, Urgency::Routine);
        assert!(sparse.transcript.is_empty() && sparse.call_url.is_empty());
        assert_eq!(headline(&sparse), "Message from Unknown caller");
        let m = email_message(&[sparse], BOSTON);
        assert!(!m.body.contains("Call log:"), "{}", m.body);
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
