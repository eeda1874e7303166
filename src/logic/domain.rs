//! Typed values every layer shares: how a call ended, who spoke, what kind of caller, how
//! urgent, what a notification is about and where it goes. They are strings only at the edges:
//! serde (the JSON API, the notification payload) and SQL, both through [`as_str`] and
//! [`FromStr`](std::str::FromStr), and each has one spelling, checked by the tests below.
//!
//! **Architecture Invariant:** plain data, no IO; any module may use it.
//!
//! [`as_str`]: Outcome::as_str

use serde::{Deserialize, Serialize};

/// A stored name that no variant has (a database written by a newer version, say).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {name:?}")]
pub struct UnknownName {
    pub kind: &'static str,
    pub name: String,
}

/// An enum whose variants are stored by name: `as_str`, `FromStr`, `Display`, `ALL`, and serde
/// with the same names.
macro_rules! stored_names {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every variant.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored (and serialised) name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownName;

            fn from_str(s: &str) -> Result<Self, UnknownName> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownName { kind: stringify!($name), name: s.to_string() }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

stored_names! {
    /// How a call ended up.
    pub enum CallStatus {
        InProgress = "in_progress",
        Completed = "completed",
        Dropped = "dropped",
    }
}

stored_names! {
    /// Who spoke a turn.
    pub enum Speaker {
        Caller = "caller",
        Agent = "agent",
    }
}

stored_names! {
    /// What the call came to, as stored on the call.
    pub enum Outcome {
        /// The caller went silent or hung up before anything was done.
        Abandoned = "abandoned",
        /// The call was refused (blocked number, robocall).
        Blocked = "blocked",
        /// A question was answered.
        Faq = "faq",
        /// A message was taken.
        Message = "message",
        /// An appointment was cancelled.
        Cancelled = "cancelled",
        /// An appointment was moved.
        Rescheduled = "rescheduled",
        /// An appointment was booked.
        Booked = "booked",
        /// The call was handed to a human.
        Escalated = "escalated",
    }
}

stored_names! {
    /// What kind of caller this is.
    pub enum Category {
        Vip = "vip",
        Known = "known",
        New = "new",
        Sales = "sales",
        Spam = "spam",
        Blocked = "blocked",
    }
}

stored_names! {
    /// How soon a human must know.
    pub enum Urgency {
        Routine = "routine",
        /// A deadline tonight or first thing in the morning.
        Deadline = "deadline",
        /// It cannot wait at all.
        Emergency = "emergency",
    }
}

stored_names! {
    /// What a notification tells a human.
    pub enum NotifyEvent {
        /// The call was handed to a human (or must be).
        Escalation = "escalation",
        /// A message was taken.
        Message = "message",
        /// A real caller hung up before anything was done.
        MissedCall = "missed_call",
    }
}

stored_names! {
    /// Where a notification goes.
    pub enum Channel {
        Webhook = "webhook",
        Slack = "slack",
        Email = "email",
    }
}

stored_names! {
    /// Why a call is in the executive's inbox: what a human still has to look at.
    pub enum InboxKind {
        /// The call was handed to a human (or must be): urgent, a VIP, a caller who asked for a
        /// person.
        Escalation = "escalation",
        /// A message was taken.
        Message = "message",
        /// A real caller hung up before anything was done.
        MissedCall = "missed_call",
        /// A tentative request: a meeting booked, moved or cancelled by phone, which the
        /// executive has not yet seen (it is in Frontdesk's calendar, not yet in theirs).
        Request = "request",
    }
}

stored_names! {
    /// What a contact is to the desk: how screening treats their calls.
    pub enum ContactKind {
        /// Always put through to a human.
        Vip = "vip",
        /// Greeted by name and offered a meeting.
        Known = "known",
        /// The office takes no calls from them.
        Blocked = "blocked",
    }
}

/// What a reviewer reads about a call: what happened, and what happens next (kept apart, so
/// the next step can change without re-reading prose).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// Who called, why, what was done.
    pub account: String,
    /// What happens now ("Jamie Chen to call back urgently."), when something does.
    pub next_step: Option<String>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl Summary {
    /// The paragraph: the account, then "Next step: …".
    pub fn text(&self) -> String {
        match &self.next_step {
            Some(next) if self.account.is_empty() => format!("Next step: {next}"),
            Some(next) => format!("{} Next step: {next}", self.account),
            None => self.account.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + std::fmt::Debug + PartialEq + Serialize + std::str::FromStr + std::fmt::Display,
        <T as std::str::FromStr>::Err: std::fmt::Debug,
    {
        for v in all {
            let text = v.to_string();
            assert_eq!(serde_json::to_value(v).unwrap(), text.as_str(), "{v:?}");
            assert_eq!(text.parse::<T>().unwrap(), *v);
        }
    }

    #[test]
    fn each_value_has_one_spelling_in_sql_and_json() {
        round_trips(CallStatus::ALL);
        round_trips(Speaker::ALL);
        round_trips(Outcome::ALL);
        round_trips(Category::ALL);
        round_trips(Urgency::ALL);
        round_trips(NotifyEvent::ALL);
        round_trips(Channel::ALL);
        round_trips(InboxKind::ALL);
        round_trips(ContactKind::ALL);
        let e = "escalted".parse::<Outcome>().unwrap_err();
        assert_eq!(e.to_string(), "unknown Outcome \"escalted\"");
    }
}
