//! Email: the subject and plain-text body rendered from the stored facts (pure); `worker`
//! sends it over SMTP with lettre.

use chrono_tz::Tz;

use super::{caller_line, headline, text, transcript_lines, Payload};
use crate::logic::domain::{NotifyEvent, Urgency};

/// An email's subject and plain-text body.
#[derive(Debug, Clone, PartialEq)]
pub struct Email {
    pub subject: String,
    pub body: String,
}

/// The email for one notification or a digest of several; times in `tz`.
pub fn email_message(items: &[Payload], tz: Tz) -> Email {
    let section = |item: &Payload| {
        let mut out = format!("{}\n\n", headline(item));
        if let Some(summary) = text(item.summary.as_deref()) {
            out.push_str(&format!("{summary}\n\n"));
        }
        out.push_str(&format!("Caller:   {}\n", caller_line(item)));
        for (label, value) in [
            ("Urgency:  ", Some(item.urgency.as_str())),
            ("Category: ", item.category.map(|c| c.as_str())),
            ("Purpose:  ", item.purpose.as_deref()),
            ("Message:  ", item.message.as_deref()),
            ("Outcome:  ", item.outcome.map(|o| o.as_str())),
        ] {
            if let Some(v) = text(value) {
                out.push_str(&format!("{label}{v}\n"));
            }
        }
        if let Some(url) = text(Some(&item.call_url)) {
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
        let subject = if item.event == NotifyEvent::Escalation && item.urgency != Urgency::Routine {
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
