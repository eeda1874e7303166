//! Screening: who is calling (VIP, known contact, new, sales, spam, blocked) and how urgent it is,
//! by the lists and phrases in `prompts/screening.toml`. Pure; callers' words arrive as whisper
//! heard them, so names match loosely and phrases on whole words.

use serde::Deserialize;

/// A screening file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ScreenError {
    #[error("screening file is not valid: {0}")]
    Parse(String),
    #[error("screening: invalid {key}: {reason}")]
    Invalid { key: String, reason: String },
}

/// Someone on one of the lists.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    /// E.164.
    #[serde(default)]
    pub number: Option<String>,
    /// Always hand this caller to a human.
    #[serde(default)]
    pub escalate: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Blocked {
    #[serde(default)]
    numbers: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Phrases {
    #[serde(default)]
    phrases: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UrgencyWords {
    #[serde(default)]
    emergency: Vec<String>,
    #[serde(default)]
    deadline: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EscalateRules {
    #[serde(default)]
    categories: Vec<Category>,
    #[serde(default)]
    urgency: Vec<Urgency>,
    /// Words in a listed contact's role ("board" matches "board chair").
    #[serde(default)]
    roles: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScreening {
    #[serde(default)]
    vip: Vec<Contact>,
    #[serde(default)]
    known: Vec<Contact>,
    #[serde(default)]
    blocked: Blocked,
    #[serde(default)]
    sales: Phrases,
    #[serde(default)]
    spam: Phrases,
    #[serde(default)]
    urgency: UrgencyWords,
    #[serde(default)]
    escalate: EscalateRules,
}

pub use crate::logic::domain::{Category, ContactKind, Urgency};

/// The screening lists and rules.
#[derive(Debug, Clone, Default)]
pub struct Screening {
    vip: Vec<Contact>,
    known: Vec<Contact>,
    blocked_numbers: Vec<String>,
    blocked_names: Vec<String>,
    sales: Vec<String>,
    spam: Vec<String>,
    emergency: Vec<String>,
    deadline: Vec<String>,
    escalate_categories: Vec<Category>,
    escalate_urgency: Vec<Urgency>,
    escalate_roles: Vec<String>,
}

/// Lowercase words joined by single spaces, padded with a space each side, for whole-word
/// phrase search. Apostrophes are kept inside words ("car's"); a capitalised word with a
/// hyphen is a name and stays one word ("Seo-yeon" is not "SEO"), a lowercase one is several
/// ("life-or-death").
pub fn words(text: &str) -> String {
    let mut out = String::from(" ");
    for piece in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-')) {
        let named = piece.starts_with(char::is_uppercase) && piece.contains('-');
        let parts: Vec<&str> = if named {
            vec![piece]
        } else {
            piece.split('-').collect()
        };
        for w in parts
            .into_iter()
            .map(|w| w.trim_matches(['\'', '-']))
            .filter(|w| !w.is_empty())
        {
            out.push_str(&w.to_lowercase());
            out.push(' ');
        }
    }
    out
}

/// `heard` without its pleasantries ("how are you doing tonight?", "hope you're having a good
/// night"): a clause that asks after or wishes the listener well says nothing of the call's
/// urgency, whatever time words it holds.
fn without_small_talk(heard: &str) -> String {
    const PLEASANTRIES: &[&str] = &[
        "how are you",
        "how're you",
        "how's it going",
        "how is it going",
        "how's your",
        "hope you're",
        "hope you are",
        "hope your",
        "hope you",
    ];
    heard
        .split_inclusive(['.', '?', '!', ','])
        .filter(|clause| {
            let w = words(clause);
            let w = w
                .trim_start()
                .trim_start_matches("hi ")
                .trim_start_matches("hey ")
                .trim_start_matches("hello ")
                .trim_start_matches("and ")
                .trim_start_matches("so ");
            !PLEASANTRIES.iter().any(|p| w.starts_with(&format!("{p} ")))
                && !super::reading::asks_after_listener(&w.split_whitespace().collect::<Vec<_>>())
        })
        .collect()
}

/// The next morning, said as a time: when it only says when a message is to reach the
/// executive, it is the receptionist's own routine, not a deadline.
const NEXT_MORNING: &[&str] = &[
    "first thing tomorrow morning",
    "first thing tomorrow",
    "first thing in the morning",
    "by tomorrow morning",
    "tomorrow morning",
    "before the morning",
    "in the morning",
];

/// Verbs of learning what the caller says: "Alex to hear", "he knows", "she sees this".
const LEARN: &[&str] = &[
    "hear", "hears", "know", "knows", "learn", "learns", "see", "sees", "read", "reads", "get",
    "gets", "have", "has", "receive", "receives", "told",
];

/// What a learning verb may take between it and the morning: the message itself ("see this
/// first thing tomorrow", "gets my message by tomorrow morning", "hears about it").
const THE_MESSAGE: &[&str] = &[
    "this", "that", "it", "the", "my", "a", "message", "note", "news", "about", "of",
];

/// `padded` ([`words`]) without the next morning where it is when a message is to be heard
/// ("I'd like Alex to hear first thing tomorrow that …", "make sure he gets my message by
/// tomorrow morning"): a message waits for the morning anyway, so that is no deadline. A
/// morning by which something must be done ("fixed by first thing tomorrow", "sign it by
/// tomorrow morning"), or by which the caller must hear ("I need to hear back first thing
/// tomorrow"), stays.
fn without_morning_delivery(padded: &str) -> String {
    let mut out = padded.to_string();
    for phrase in NEXT_MORNING {
        let needle = format!(" {phrase} ");
        let mut from = 0;
        while let Some(at) = out[from..].find(&needle).map(|i| from + i) {
            let before: Vec<&str> = out[..at].split_whitespace().collect();
            if heard_by_other(&before) {
                out.replace_range(at..at + needle.len(), " ");
                from = at;
            } else {
                from = at + 1;
            }
        }
    }
    out
}

/// Whether `before` (the words before a time) ends in someone other than the caller learning
/// the message: a learning verb ([`LEARN`]), then only the message ([`THE_MESSAGE`]), its
/// subject not the caller ("I need to hear", "we see") and not a request for a call back
/// ("hear back", "hear from").
fn heard_by_other(before: &[&str]) -> bool {
    let object = before
        .iter()
        .rev()
        .take_while(|w| THE_MESSAGE.contains(w))
        .count();
    if object > 3 {
        return false;
    }
    let Some(at) = before.len().checked_sub(object + 1) else {
        return false;
    };
    if !LEARN.contains(&before[at]) {
        return false;
    }
    let mut k = at;
    while k > 0 && matches!(before[k - 1], "to" | "can" | "could" | "will" | "would") {
        k -= 1;
    }
    let subject = k.checked_sub(1).map(|p| before[p]);
    !matches!(
        subject,
        None | Some(
            "i" | "i'd"
                | "i'll"
                | "we"
                | "we'd"
                | "me"
                | "us"
                | "you"
                | "need"
                | "needs"
                | "want"
                | "wants"
                | "like"
                | "love"
                | "got"
                | "must"
                | "have"
                | "has"
        )
    )
}

fn has_phrase(padded: &str, phrases: &[String]) -> bool {
    phrases.iter().any(|p| padded.contains(p.as_str()))
}

fn digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// Same number, whatever the formatting ("+1 617 555 0199" = "6175550199").
pub fn same_number(a: &str, b: &str) -> bool {
    let (a, b) = (digits(a), digits(b));
    if a.len() < 7 || b.len() < 7 {
        return false;
    }
    let n = a.len().min(b.len()).min(10);
    a[a.len() - n..] == b[b.len() - n..]
}

/// Whether a heard name is the listed one: every listed word is close to a heard word (whisper
/// writes "Tailor" for "Taylor"), or a heard single word matches the listed surname closely.
pub fn same_name(heard: &str, listed: &str) -> bool {
    let heard: Vec<String> = words(heard)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let listed: Vec<String> = words(listed)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if heard.is_empty() || listed.is_empty() {
        return false;
    }
    let close = |a: &str, b: &str| {
        a == b || (a.len() >= 4 && b.len() >= 4 && strsim::jaro_winkler(a, b) >= 0.88)
    };
    listed.iter().all(|l| heard.iter().any(|h| close(h, l)))
}

/// One entry of the screening lists, wherever it is kept (the persona's file or the desk's
/// contacts in the database).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Listed {
    pub kind: Option<ContactKind>,
    pub name: Option<String>,
    pub company: Option<String>,
    pub role: Option<String>,
    /// E.164 or any formatting: numbers compare by their digits.
    pub number: Option<String>,
    /// Always hand this caller to a human.
    pub escalate: bool,
}

/// The key one number is stored under, whatever its formatting: its last ten digits (the part
/// [`same_number`] compares); `None` when it has fewer than seven digits (not a phone number).
pub fn number_key(number: &str) -> Option<String> {
    let d = digits(number);
    (d.len() >= 7).then(|| d[d.len().saturating_sub(10)..].to_string())
}

impl Screening {
    /// Parses and validates screening TOML.
    pub fn from_toml(text: &str) -> Result<Self, ScreenError> {
        let raw: RawScreening =
            toml::from_str(text).map_err(|e| ScreenError::Parse(e.to_string()))?;
        let check_number = |key: &str, n: &str| {
            if digits(n).len() < 7 {
                Err(ScreenError::Invalid {
                    key: key.into(),
                    reason: format!("{n:?} is not a phone number"),
                })
            } else {
                Ok(())
            }
        };
        for c in raw.vip.iter().chain(&raw.known) {
            if let Some(n) = &c.number {
                check_number(&format!("number of {}", c.name), n)?;
            }
        }
        for n in &raw.blocked.numbers {
            check_number("blocked.numbers", n)?;
        }
        let phrases = |v: Vec<String>| {
            v.iter()
                .map(|p| words(p))
                .filter(|p| p.trim() != "")
                .collect()
        };
        Ok(Self {
            vip: raw.vip,
            known: raw.known,
            blocked_numbers: raw.blocked.numbers,
            blocked_names: raw.blocked.names,
            sales: phrases(raw.sales.phrases),
            spam: phrases(raw.spam.phrases),
            emergency: phrases(raw.urgency.emergency),
            deadline: phrases(raw.urgency.deadline),
            escalate_categories: raw.escalate.categories,
            escalate_urgency: raw.escalate.urgency,
            escalate_roles: phrases(raw.escalate.roles),
        })
    }

    /// These lists with `contacts` merged in (the desk's, from the database): each contact
    /// first replaces the entries for its number (so blocking a listed VIP, or listing a
    /// blocked number as known, takes effect), then joins the list of its kind. A blocked
    /// contact is blocked by its number, or by its name when it has no number.
    pub fn with_contacts(&self, contacts: &[Listed]) -> Screening {
        let mut out = self.clone();
        for c in contacts {
            let Some(kind) = c.kind else { continue };
            if let Some(n) = c.number.as_deref().filter(|n| number_key(n).is_some()) {
                let other = |x: &Contact| !x.number.as_deref().is_some_and(|m| same_number(m, n));
                out.vip.retain(other);
                out.known.retain(other);
                out.blocked_numbers.retain(|b| !same_number(b, n));
            }
            let contact = || Contact {
                name: c.name.clone().unwrap_or_default(),
                company: c.company.clone(),
                role: c.role.clone(),
                number: c.number.clone(),
                escalate: c.escalate,
            };
            match kind {
                ContactKind::Vip => out.vip.push(contact()),
                ContactKind::Known => out.known.push(contact()),
                ContactKind::Blocked => match (&c.number, &c.name) {
                    (Some(n), _) => out.blocked_numbers.push(n.clone()),
                    (None, Some(name)) => out.blocked_names.push(name.clone()),
                    (None, None) => {}
                },
            }
        }
        out
    }

    /// Every entry of the lists: VIPs, known contacts, blocked numbers and names.
    pub fn listed(&self) -> Vec<Listed> {
        let person = |kind, c: &Contact| Listed {
            kind: Some(kind),
            name: Some(c.name.clone()),
            company: c.company.clone(),
            role: c.role.clone(),
            number: c.number.clone(),
            escalate: c.escalate,
        };
        let blocked = |number: Option<&String>, name: Option<&String>| Listed {
            kind: Some(ContactKind::Blocked),
            name: name.cloned(),
            number: number.cloned(),
            ..Listed::default()
        };
        self.vip
            .iter()
            .map(|c| person(ContactKind::Vip, c))
            .chain(self.known.iter().map(|c| person(ContactKind::Known, c)))
            .chain(self.blocked_numbers.iter().map(|n| blocked(Some(n), None)))
            .chain(self.blocked_names.iter().map(|n| blocked(None, Some(n))))
            .collect()
    }

    /// Who a caller ID belongs to: blocked, VIP or known; `None` for anyone else.
    pub fn by_number(&self, number: &str) -> Option<(Category, Option<&Contact>)> {
        if self.blocked_numbers.iter().any(|b| same_number(b, number)) {
            return Some((Category::Blocked, None));
        }
        let find = |list: &'_ [Contact]| {
            list.iter()
                .position(|c| c.number.as_deref().is_some_and(|n| same_number(n, number)))
        };
        if let Some(i) = find(&self.vip) {
            return Some((Category::Vip, Some(&self.vip[i])));
        }
        find(&self.known).map(|i| (Category::Known, Some(&self.known[i])))
    }

    /// Who a spoken name belongs to: blocked, VIP or known; `None` for anyone else.
    /// The names of every VIP and known contact, to reconcile a heard name with.
    pub fn contact_names(&self) -> Vec<&str> {
        self.vip
            .iter()
            .chain(&self.known)
            .map(|c| c.name.as_str())
            .collect()
    }

    pub fn by_name(&self, name: &str) -> Option<(Category, Option<&Contact>)> {
        if self.blocked_names.iter().any(|b| same_name(name, b)) {
            return Some((Category::Blocked, None));
        }
        if let Some(c) = self.vip.iter().find(|c| same_name(name, &c.name)) {
            return Some((Category::Vip, Some(c)));
        }
        self.known
            .iter()
            .find(|c| same_name(name, &c.name))
            .map(|c| (Category::Known, Some(c)))
    }

    /// Whether the caller sounds like a sales or solicitation call.
    pub fn is_sales(&self, heard: &str) -> bool {
        has_phrase(&words(heard), &self.sales)
    }

    /// Whether the caller sounds like a robocall or scam.
    pub fn is_spam(&self, heard: &str) -> bool {
        has_phrase(&words(heard), &self.spam)
    }

    /// How urgent the caller's words sound.
    pub fn urgency(&self, heard: &str) -> Urgency {
        let w = without_morning_delivery(&words(&without_small_talk(heard)));
        if has_phrase(&w, &self.emergency) {
            Urgency::Emergency
        } else if has_phrase(&w, &self.deadline) {
            Urgency::Deadline
        } else {
            Urgency::Routine
        }
    }

    /// Why the rules hand this listed contact to a human, if they do: marked `escalate`, or a
    /// role the rules name.
    pub fn contact_escalation(&self, who: &Contact) -> Option<String> {
        if who.escalate {
            return Some(format!("always escalate: {}", who.name));
        }
        let role = who.role.as_deref()?;
        has_phrase(&words(role), &self.escalate_roles).then(|| format!("caller role: {role}"))
    }

    /// Why the rules hand this call to a human, if they do.
    pub fn escalation(&self, category: Category, urgency: Urgency) -> Option<String> {
        if self.escalate_urgency.contains(&urgency) {
            return Some(format!("urgency: {}", urgency.as_str()));
        }
        if self.escalate_categories.contains(&category) {
            return Some(format!("caller category: {}", category.as_str()));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screening() -> Screening {
        Screening::from_toml(include_str!("../../../prompts/screening.toml")).unwrap()
    }

    #[test]
    fn numbers_match_whatever_the_format() {
        let s = screening();
        assert_eq!(s.by_number("+19005550100").unwrap().0, Category::Blocked);
        assert_eq!(s.by_number("(900) 555-0100").unwrap().0, Category::Blocked);
        let (cat, who) = s.by_number("+1 617 555 0199").unwrap();
        assert_eq!(cat, Category::Vip);
        assert_eq!(who.unwrap().name, "Taylor Brooks");
        assert_eq!(s.by_number("+16175550134").unwrap().0, Category::Known);
        assert!(s.by_number("+16175550123").is_none());
        assert!(s.by_number("+16175550100").is_none());
        assert!(s.by_number("anonymous").is_none());
    }

    #[test]
    fn names_match_as_whisper_writes_them() {
        let s = screening();
        for heard in [
            "Taylor Brooks",
            "tailor brooks",
            "This is Taylor Brooks.",
            "Taylor Brookes",
        ] {
            assert_eq!(
                s.by_name(heard).map(|x| x.0),
                Some(Category::Vip),
                "{heard}"
            );
        }
        assert_eq!(s.by_name("Priya Raman").map(|x| x.0), Some(Category::Known));
        for heard in ["Taylor Swift", "Dana Kim", "Brooks", ""] {
            assert!(s.by_name(heard).is_none(), "{heard}");
        }
    }

    #[test]
    fn phrases_match_whole_words() {
        let s = screening();
        assert!(s.is_sales("Hi, I'd love to show Alex a quick demo of our platform."));
        assert!(s.is_sales("I'm calling about a partnership opportunity."));
        assert!(!s.is_sales("I'd like to book a meeting about the budget."));
        assert!(s.is_spam("This is an automated call about your car's extended warranty."));
        assert!(!s.is_spam("Hi, this is Dana. Please call me back."));
        assert_eq!(
            s.urgency("There's an emergency at the plant."),
            Urgency::Emergency
        );
        assert_eq!(
            s.urgency("Our servers are down right now!"),
            Urgency::Emergency
        );
        assert_eq!(
            s.urgency("I need the signed contract tonight."),
            Urgency::Deadline
        );
        assert_eq!(s.urgency("Just a routine question."), Urgency::Routine);
        // A hyphenated name is one word: "Seo-yeon" is no "SEO"; a lowercase compound is
        // its words.
        assert!(!s.is_sales("I'm calling on behalf of Seo-yeon Choi at Okoro and Partners."));
        assert_eq!(
            s.urgency("It's a life-or-death matter."),
            Urgency::Emergency
        );
        // Whole words: "fired" is not "fire".
        assert_eq!(
            s.urgency("We're all fired up about the launch."),
            Urgency::Routine
        );
        // Small talk's "tonight" is no deadline; the request's still is.
        for chat in [
            "Hi, how are you doing tonight? Good, good. Can I leave a note for Alex?",
            "How are you tonight? I'd like to book a meeting.",
            "Hope you're having a good night tonight. Could you take a message?",
            "How's it going tonight, I wanted to ask about parking.",
        ] {
            assert_eq!(s.urgency(chat), Urgency::Routine, "{chat}");
        }
        assert_eq!(
            s.urgency("How are you tonight? I need Alex to call me back tonight."),
            Urgency::Deadline
        );
    }

    #[test]
    fn a_message_for_the_morning_is_no_deadline() {
        let s = screening();
        for routine in [
            "I'd like Alex to hear first thing tomorrow that the samples shipped.",
            "Could Alex see this first thing tomorrow? The samples shipped.",
            "Please make sure he gets my message by tomorrow morning.",
            "I want her to know first thing in the morning that the invoice is paid.",
            "Can Alex hear about it first thing tomorrow? We signed the lease.",
            "Alex should read this before the morning meeting, no rush.",
        ] {
            assert_eq!(s.urgency(routine), Urgency::Routine, "{routine}");
        }
        for deadline in [
            "I need this fixed by first thing tomorrow.",
            "Alex has to sign the contract by first thing tomorrow.",
            "I need to hear back from Alex first thing tomorrow.",
            "I'd like to hear first thing tomorrow whether we got it.",
            "Alex needs to hear tonight that the deal fell through.",
            "We need an answer by tomorrow morning.",
            "Please have him call me first thing tomorrow.",
        ] {
            assert_eq!(s.urgency(deadline), Urgency::Deadline, "{deadline}");
        }
        assert_eq!(
            s.urgency("I'd like Alex to hear first thing tomorrow that there was an accident."),
            Urgency::Emergency
        );
    }

    #[test]
    fn contacts_escalate_by_role_or_by_mark() {
        let s = Screening::from_toml(
            r#"
            [[known]]
            name = "Grace Okafor"
            role = "Board Member"
            [[known]]
            name = "Sam Ortiz"
            role = "boardwalk vendor"
            [[known]]
            name = "Lee Park"
            escalate = true
            [escalate]
            roles = ["board"]
            "#,
        )
        .unwrap();
        let who = |n: &str| s.by_name(n).unwrap().1.unwrap().clone();
        assert_eq!(
            s.contact_escalation(&who("Grace Okafor")).as_deref(),
            Some("caller role: Board Member")
        );
        assert_eq!(s.contact_escalation(&who("Sam Ortiz")), None, "whole words");
        assert_eq!(
            s.contact_escalation(&who("Lee Park")).as_deref(),
            Some("always escalate: Lee Park")
        );
    }

    #[test]
    fn rules_say_when_to_escalate() {
        let s = screening();
        assert!(s
            .escalation(Category::Vip, Urgency::Routine)
            .unwrap()
            .contains("vip"));
        assert!(s
            .escalation(Category::New, Urgency::Emergency)
            .unwrap()
            .contains("emergency"));
        assert!(s.escalation(Category::New, Urgency::Routine).is_none());
    }

    #[test]
    fn contacts_from_the_desk_join_and_override_the_lists() {
        let s = screening();
        let desk = |kind, name: Option<&str>, number: Option<&str>| Listed {
            kind: Some(kind),
            name: name.map(str::to_string),
            number: number.map(str::to_string),
            ..Listed::default()
        };
        let merged = s.with_contacts(&[
            // A new caller blocked by number (formatted otherwise).
            desk(
                ContactKind::Blocked,
                Some("Pat Doe"),
                Some("(617) 555-0123"),
            ),
            // The persona's VIP blocked: the desk's entry wins.
            desk(ContactKind::Blocked, None, Some("+16175550199")),
            // A name blocked where no number is known.
            desk(ContactKind::Blocked, Some("Robo Caller"), None),
            // The persona's blocked number now a known contact.
            desk(ContactKind::Known, Some("Vic Hale"), Some("+19005550100")),
            desk(ContactKind::Vip, Some("Sam Lee"), Some("+16175550111")),
        ]);
        let cat = |n: &str| merged.by_number(n).map(|x| x.0);
        assert_eq!(cat("+16175550123"), Some(Category::Blocked));
        assert_eq!(cat("+16175550199"), Some(Category::Blocked));
        assert_eq!(cat("+19005550100"), Some(Category::Known));
        assert_eq!(cat("+16175550111"), Some(Category::Vip));
        assert_eq!(cat("+16175550134"), Some(Category::Known), "others kept");
        assert_eq!(
            merged.by_name("This is Robo Caller").map(|x| x.0),
            Some(Category::Blocked)
        );
        assert_eq!(
            merged.by_name("Pat Doe").map(|x| x.0),
            None,
            "by number only"
        );
        // The persona's own lists are untouched.
        assert_eq!(s.by_number("+16175550123").map(|x| x.0), None);
        assert_eq!(
            s.by_number("+16175550199").map(|x| x.0),
            Some(Category::Vip)
        );
        let listed = merged.listed();
        assert!(listed
            .iter()
            .any(|l| l.kind == Some(ContactKind::Vip) && l.name.as_deref() == Some("Sam Lee")));
        assert_eq!(
            number_key("+1 (617) 555-0199").as_deref(),
            Some("6175550199")
        );
        assert_eq!(number_key("555-0199").as_deref(), Some("5550199"));
        assert_eq!(number_key("12"), None);
    }

    #[test]
    fn bad_files_name_the_problem() {
        let err = Screening::from_toml("[blocked]\nnumbers = [\"12\"]")
            .unwrap_err()
            .to_string();
        assert!(err.contains("blocked.numbers"), "{err}");
        assert!(Screening::from_toml("[nonsense]").is_err());
        assert!(Screening::from_toml("").is_ok());
    }
}
