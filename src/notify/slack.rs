//! Slack: a Block Kit message rendered from the stored facts (pure), escaped and within
//! Slack's limits.

use chrono_tz::Tz;
use serde_json::{json, Value};

use super::{caller_line, clip, headline, slack_escape, text, transcript_lines, Payload};

/// Slack allows 50 blocks a message and 3,000 characters a text block.
const SLACK_MAX_ITEMS: usize = 40;
const SLACK_MAX_TEXT: usize = 2_900;

/// A Slack incoming-webhook message for one notification or a digest of several: `text` (what
/// the phone's notification shows, and all that Slack-compatible chats without Block Kit, such as
/// Mattermost, display) and Block Kit `blocks`.
pub fn slack_message(items: &[Payload], tz: Tz) -> Value {
    let link = |item: &Payload| match text(Some(&item.call_url)) {
        Some(url) => format!(" <{}|call log>", slack_escape(url)),
        None => String::new(),
    };
    if let [item] = items {
        let head = headline(item);
        let mut fields = vec![
            json!({"type": "mrkdwn", "text": format!("*Caller*\n{}", slack_escape(&caller_line(item)))}),
        ];
        for (label, value) in [
            ("Urgency", Some(item.urgency.as_str())),
            ("Purpose", item.purpose.as_deref()),
            ("Message", item.message.as_deref()),
        ] {
            if let Some(v) = text(value) {
                fields.push(json!({"type": "mrkdwn", "text": clip(&format!("*{label}*\n{}", slack_escape(v)), 1_900)}));
            }
        }
        let transcript = transcript_lines(item, tz).join("\n");
        let mut blocks = vec![
            json!({"type": "header", "text": {"type": "plain_text", "text": clip(&head, 150)}}),
            json!({"type": "section", "text": {"type": "mrkdwn", "text": clip(&format!("{}{}", slack_escape(text(item.summary.as_deref()).unwrap_or("")), link(item)), SLACK_MAX_TEXT)}}),
            json!({"type": "section", "fields": fields}),
        ];
        if !transcript.is_empty() {
            blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": clip(&format!("```{}```", slack_escape(&transcript)), SLACK_MAX_TEXT)}}));
        }
        let summary = slack_escape(text(item.summary.as_deref()).unwrap_or(""));
        let fallback = format!("{}\n{summary}{}", slack_escape(&head), link(item));
        return json!({"text": clip(&fallback, SLACK_MAX_TEXT), "blocks": blocks});
    }
    let head = format!("Morning digest: {} messages", items.len());
    let mut blocks = vec![json!({"type": "header", "text": {"type": "plain_text", "text": &head}})];
    for item in items.iter().take(SLACK_MAX_ITEMS) {
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": clip(&format!("*{}*\n{}{}", slack_escape(&headline(item)), slack_escape(text(item.summary.as_deref()).unwrap_or("")), link(item)), SLACK_MAX_TEXT)}}));
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
