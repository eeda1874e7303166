//! One caller utterance, read for everything it carries, whatever the agent had asked.
//!
//! Callers answer from what they know, not from what was asked: "Could you tell Alex that the
//! lease is ready? This is Priya from Acme, my number is 617 555 0199" carries a goal, the
//! message, a name, a company and a number at once. [`content`] takes what to pass on,
//! [`corrected_when`] the day and time with corrections applied, [`read`] the number and the
//! signals that route the call; the dialog keeps what fills a slot and asks only for what is
//! still missing.
//!
//! Pure: text (and, for dates, the caller's local "now") in, values out.

use chrono::NaiveDateTime;

use super::understand::{self, content_words, extract_phone};
use crate::logic::timeparse::{self, When};

/// What one utterance carries that the dialog keeps whatever it had asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// A phone number the caller read out.
    pub number: Option<String>,
    /// The caller means the number they are calling from ("this number", "the one I'm calling
    /// from").
    pub own_number: bool,
    /// The caller needs the executive now or tonight, not at a meeting.
    pub needs_now: bool,
    /// The caller asks whether the executive is free at a time.
    pub availability: bool,
}

/// A sentence that asks after the listener ("Hi, how are you doing tonight?", "Hope you're
/// well."): small talk, carrying nothing to pass on and no need.
fn pleasantry(sentence: &str) -> bool {
    let w = word_list(sentence);
    asks_after_listener(&w.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Whether `words` (lowercased) ask after the listener or wish them well, in any dialect, after
/// any greeting words: "how are you doing tonight", "how y'all doin'", "how's everyone", "how
/// ya been", "how are things", "hope you're well", "hope all's well with you". "How" must be
/// followed by the listener (or "things", "everyone", "it going"), possibly after "are", "is",
/// "have": "how do I…", "how late are you open", "how can I…" are questions, not small talk.
/// A pleasantry is short: a sentence that goes on for more than six words after the listener,
/// or with a request in it ("I", "my", "can", "need", …), says something else.
pub(super) fn asks_after_listener(words: &[&str]) -> bool {
    const GREETING: &[&str] = &[
        "hi",
        "hello",
        "hey",
        "hiya",
        "heya",
        "howdy",
        "well",
        "oh",
        "so",
        "and",
        "good",
        "evening",
        "evenin'",
        "evenin",
        "morning",
        "mornin'",
        "afternoon",
        "there",
        "ji",
        "yeah",
        "okay",
        "ok",
    ];
    const LISTENER: &[&str] = &[
        "you",
        "you're",
        "you've",
        "ya",
        "yah",
        "y'all",
        "yall",
        "u",
        "your",
        "yous",
        "youse",
        "everyone",
        "everybody",
        "everything",
        "things",
        "all",
        "all's",
        "life",
        "it",
    ];
    let w: Vec<&str> = words
        .iter()
        .copied()
        .skip_while(|w| GREETING.contains(w))
        .collect();
    let (listener_at, asks) = match w.as_slice() {
        ["how", "are" | "is" | "have" | "has", ..] => (2, true),
        ["how's" | "how're" | "hows" | "how've", ..] => (1, true),
        ["how", ..] => (1, true),
        ["hope" | "hoping", ..] => (1, false),
        _ => return false,
    };
    let Some(listener) = w.get(listener_at) else {
        return false;
    };
    if !LISTENER.contains(listener) {
        return false;
    }
    // "How's it going": "it" only with going; "hope all's well", "hope you're well".
    if *listener == "it" && !matches!(w.get(listener_at + 1), Some(&("going" | "goin'" | "goin"))) {
        return false;
    }
    if !asks && *listener == "it" {
        return false;
    }
    // "How are you, I need Alex tonight": the request goes on in the same sentence.
    const REQUEST: &[&str] = &[
        "i", "i'm", "i'd", "i've", "we", "we're", "my", "can", "could", "would", "please", "need",
    ];
    let rest = &w[listener_at + 1..];
    rest.len() <= 6 && !rest.iter().any(|w| REQUEST.contains(w))
}

/// Reads `text` (as whisper heard it). What to pass on ([`content`]) and the day and time
/// ([`corrected_when`]) are read where the dialog needs them.
pub fn read(text: &str, executive: &str) -> Reading {
    let words = word_list(text);
    // "How are you doing tonight?" asks after the listener: no part of needing anyone tonight.
    let heeded: Vec<String> = sentences(text)
        .iter()
        .filter(|s| !pleasantry(s))
        .flat_map(|s| word_list(s))
        .collect();
    Reading {
        number: number(text),
        own_number: means_own_number(&words),
        needs_now: needs_now(&heeded, executive),
        availability: asks_availability(&words, executive),
    }
}

/// A phone number the caller read out: the first sentence that holds one, so that digits said
/// elsewhere ("… ready to sign") do not join it.
pub fn number(text: &str) -> Option<String> {
    sentences(text)
        .iter()
        .find_map(|s| extract_phone(s))
        .or_else(|| extract_phone(text))
}

/// Lowercased words without punctuation, each lowercased on its own (never slice the original
/// with offsets found in a lowercased copy: lowercasing can change byte lengths).
fn word_list(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '!' | '?' | ';' | ':'))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                .to_lowercase()
                .replace('’', "'")
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `words` contains `phrase` (space-separated) as consecutive words; its start.
fn find(words: &[String], phrase: &str) -> Option<usize> {
    let p: Vec<&str> = phrase.split(' ').collect();
    (0..words.len().saturating_sub(p.len() - 1))
        .find(|&i| p.iter().enumerate().all(|(k, w)| words[i + k] == *w))
}

fn has(words: &[String], phrases: &[&str]) -> bool {
    phrases.iter().any(|p| find(words, p).is_some())
}

/// "My number is the one I'm calling from", "this number is fine", "you can use this number".
fn means_own_number(words: &[String]) -> bool {
    has(
        words,
        &[
            "i'm calling from",
            "i am calling from",
            "calling from now",
            "this number",
            "this one",
            "the same number",
            "same number",
            "number i'm on",
            "the number on your screen",
            "the one on your screen",
            "caller id",
            "the number you have",
            "the number that came up",
            "number showing",
            "the one that's showing",
        ],
    ) && (has(words, &["number", "one", "caller id"]))
        && !has(
            words,
            &[
                "not this number",
                "not the one",
                "different number",
                "another number",
            ],
        )
}

/// Words that take back what came before them.
const CORRECTIONS: &[&str] = &[
    "actually",
    "i mean",
    "i meant",
    "sorry i mean",
    "or rather",
    "rather",
    "make it",
    "change that to",
    "change it to",
    "scratch that",
    "no wait",
    "wait no",
    "let's say",
    "let's do",
    "instead",
];

/// Where the last correction starts (in words) and where what it says starts.
fn correction_at(words: &[String]) -> Option<(usize, usize)> {
    let mut best = None;
    for c in CORRECTIONS {
        let n = c.split(' ').count();
        let mut from = 0;
        while let Some(i) = find(&words[from..], c) {
            let at = from + i;
            // "instead" ends its clause ("Friday instead"): what it corrects to comes before.
            let says = if *c == "instead" { at } else { at + n };
            if best.is_none_or(|(b, _)| at >= b) {
                best = Some((at, says));
            }
            from = at + 1;
        }
    }
    best
}

/// Whether the caller takes something back ("actually", "scratch that", "make it", "Friday
/// instead").
pub fn corrects(text: &str) -> bool {
    correction_at(&word_list(text)).is_some()
}

/// A day and time, the last correction winning: what it names replaces what came before, and
/// what it leaves out (a day, a time) is kept ("Thursday at two, actually make it three" is
/// Thursday at three).
pub fn corrected_when(text: &str, local_now: NaiveDateTime) -> When {
    let whole = timeparse::parse(text, local_now);
    // The words as said, whole ("2:30", "p.m.," kept for the time reader), beside their bare
    // forms for finding the correction.
    let raw: Vec<&str> = text.split_whitespace().collect();
    let words: Vec<String> = raw
        .iter()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                .to_lowercase()
                .replace('’', "'")
        })
        .collect();
    let Some((at, says)) = correction_at(&words) else {
        return whole;
    };
    let (head, tail) = if says <= at {
        // "Friday instead": the clause before "instead".
        let start = words[..at]
            .iter()
            .rposition(|w| w == "no" || w == "not" || w == "but")
            .map_or(0, |i| i + 1);
        (raw[..start].join(" "), raw[start..at].join(" "))
    } else {
        (raw[..at].join(" "), raw[says..].join(" "))
    };
    let after = timeparse::parse(&tail, local_now);
    if after.is_empty() {
        return whole;
    }
    let before = timeparse::parse(&head, local_now);
    let keeps_time = after.time.is_none() && after.part.is_none();
    When {
        date: after.date.or(before.date),
        time: after.time.or(if keeps_time { before.time } else { None }),
        part: after.part.or(if keeps_time { before.part } else { None }),
        ..after
    }
}

/// The executive's first name, lowercased, as callers say it ("alex").
fn first_name(executive: &str) -> String {
    executive
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase()
}

/// "I need to speak with Alex tonight", "I need Alex on the phone tonight" (heard "from a
/// phone"), "it can't wait until tomorrow", "as soon as possible".
fn needs_now(words: &[String], executive: &str) -> bool {
    let first = first_name(executive);
    let wants_them = ["need", "want", "get"].iter().any(|v| {
        [first.as_str(), "him", "her", "them"]
            .iter()
            .any(|who| find(words, &format!("{v} {who}")).is_some())
    });
    let reach = wants_them
        || has(
            words,
            &[
                "speak",
                "talk",
                "reach",
                "get hold",
                "get a hold",
                "hear from",
                "call me",
                "get back",
                "phone",
                "get through",
            ],
        );
    let soon = has(
        words,
        &[
            "tonight",
            "right now",
            "right away",
            "immediately",
            "as soon as possible",
            "asap",
            "this evening",
            "can't wait",
            "cannot wait",
            "before tomorrow",
            "before morning",
            "before the morning",
            "straight away",
        ],
    );
    reach && soon
}

/// "Is Alex free on Monday at three?", "does Alex have any time Thursday", "is he available".
fn asks_availability(words: &[String], executive: &str) -> bool {
    let first = first_name(executive);
    [
        "is {} free",
        "is {} available",
        "does {} have",
        "is {} around",
        "is {} in",
        "will {} be around",
        "will {} be in",
        "can {} fit me in",
        "would {} be free",
        "will {} be free",
        "would {} be available",
        "is {} busy",
    ]
    .iter()
    .any(|p| {
        [first.as_str(), "he", "she", "they"]
            .iter()
            .any(|who| find(words, &p.replace("{}", who)).is_some())
    }) || has(
        words,
        &[
            "any availability",
            "any openings",
            "is there a free",
            "any free time",
            "anything open",
            "any slots",
            "any time free",
        ],
    )
}

/// How many words to drop before what to pass on, and whether they were a lead that introduces
/// it ("could you tell Alex that …", "let her know …") rather than fillers ("no, …", "so …").
fn content_lead(words: &[&str], boss: &str) -> (usize, bool) {
    let mut i = 0;
    let skip = |i: &mut usize, set: &[&str]| {
        while words.get(*i).is_some_and(|w| set.contains(w)) {
            *i += 1;
        }
    };
    skip(
        &mut i,
        &[
            "so",
            "and",
            "um",
            "uh",
            "oh",
            "well",
            "yes",
            "yeah",
            "no",
            "okay",
            "ok",
            "hi",
            "hello",
            "just",
            "also",
            "actually",
            "sorry",
            "basically",
            "anyway",
            "listen",
            "look",
        ],
    );
    let start = i;
    skip(
        &mut i,
        &[
            "could", "can", "would", "will", "you", "please", "i", "just",
        ],
    );
    skip(
        &mut i,
        &[
            "wanted", "want", "would", "like", "i'd", "need", "needed", "to", "just", "please",
        ],
    );
    let who = |w: &str| w == boss || matches!(w, "him" | "her" | "them" | "alex's");
    match (words.get(i).copied(), words.get(i + 1).copied()) {
        (Some("tell" | "ask" | "remind"), Some(w)) if who(w) => {
            i += 2;
            skip(&mut i, &["that", "to"]);
            (i, true)
        }
        (Some("let"), Some(w)) if who(w) && words.get(i + 2) == Some(&"know") => {
            i += 3;
            skip(&mut i, &["that"]);
            (i, true)
        }
        (Some("pass" | "give"), Some("on" | "along")) => {
            i += 2;
            skip(&mut i, &["to"]);
            if words.get(i).is_some_and(|w| who(w)) {
                i += 1;
            }
            skip(&mut i, &["that"]);
            (i, true)
        }
        // "Give Alex a heads-up that …" (whisper writes "heads-up" or "heads up").
        (Some("give"), Some(w))
            if who(w)
                && words.get(i + 2) == Some(&"a")
                && words
                    .get(i + 3)
                    .is_some_and(|h| matches!(*h, "heads-up" | "heads")) =>
        {
            i += 4;
            skip(&mut i, &["up", "that", "on"]);
            (i, true)
        }
        (Some("relay" | "mention"), _) => {
            i += 1;
            skip(&mut i, &["to"]);
            if words.get(i).is_some_and(|w| who(w)) {
                i += 1;
            }
            skip(&mut i, &["that"]);
            (i, true)
        }
        _ => {
            // "The message is …", "my message is …".
            let rest = &words[start..];
            if rest.len() > 3
                && matches!(rest[0], "the" | "my")
                && rest[1] == "message"
                && rest[2] == "is"
            {
                (start + 3 + usize::from(rest[3] == "that"), true)
            } else {
                (start, false)
            }
        }
    }
}

/// Phrases that ask to leave a message or say who it is for, carrying nothing to pass on.
const META: &[&str] = &[
    "leave a message",
    "leave him a message",
    "leave her a message",
    "take a message",
    "leave a note",
    "pass a message",
    "get a message",
    "have a message",
];

/// The words of a sentence that only announces a message is coming ("I've got one", "here
/// it is", "it's a quick one", "I have something for Alex"): nothing to pass on.
const ANNOUNCING: &[&str] = &[
    "i",
    "i've",
    "ive",
    "i'd",
    "have",
    "got",
    "one",
    "a",
    "an",
    "it",
    "it's",
    "its",
    "is",
    "here",
    "here's",
    "goes",
    "quick",
    "short",
    "small",
    "just",
    "something",
    "message",
    "so",
    "yes",
    "yeah",
    "okay",
    "ok",
    "well",
    "um",
    "uh",
    "for",
    "him",
    "her",
    "them",
    "you",
    "sure",
];

/// Words that open a topic rather than a message.
const ABOUT: &[&str] = &["about", "regarding", "concerning", "re"];

/// Words a sentence of asking, greeting or closing is made of.
const EMPTY_WORDS: &[&str] = &[
    "more",
    "thing",
    "things",
    "also",
    "question",
    "use",
    "cell",
    "mobile",
    "phone",
    "number",
    "reach",
    "instead",
    "better",
    "best",
    "not",
    "isn't",
    "wrong",
    "correct",
    "quite",
    "exactly",
    "what",
    "said",
    "meant",
    "mean",
    "actually",
    "again",
    "here",
    "speaking",
    "call",
    "back",
    "ring",
    "return",
    "need",
    "needs",
    "wants",
    "i",
    "i'd",
    "id",
    "i'm",
    "like",
    "to",
    "leave",
    "a",
    "message",
    "for",
    "him",
    "her",
    "please",
    "could",
    "can",
    "you",
    "take",
    "would",
    "want",
    "wanted",
    "hi",
    "hello",
    "hey",
    "good",
    "evening",
    "morning",
    "afternoon",
    "yes",
    "yeah",
    "no",
    "okay",
    "ok",
    "thanks",
    "thank",
    "that's",
    "all",
    "bye",
    "goodbye",
    "so",
    "um",
    "uh",
    "just",
    "calling",
    "is",
    "this",
    "it's",
    "the",
    "and",
    "oh",
    "well",
    "great",
    "perfect",
    "worries",
    "problem",
    "nothing",
    "else",
    "sure",
    "alright",
    "right",
    "note",
    "pass",
    "on",
    "get",
    "have",
    "if",
    "possible",
    "me",
    "my",
    "there",
    "everything",
    "that",
    "it",
    "was",
    "much",
    "very",
    "appreciate",
    "bit",
    "quick",
    "short",
    "one",
    "do",
    "sorry",
    "hmm",
    "yep",
    "nope",
    "be",
    "will",
    "great",
    "let",
    "know",
    "him",
    "them",
    "tell",
    "assistant",
    "after",
    "hours",
    "you've",
    "reached",
    // Formal asking: "I wish to leave a message for Alex, if I may", "would you be so good as
    // to take a message", "kindly".
    "wish",
    "may",
    "might",
    "should",
    "shall",
    "kindly",
    "as",
];

/// What the caller wants passed on: the sentences that carry something, each without the
/// introduction, the number, or the lead that asks to pass it on.
pub fn content(text: &str, executive: &str) -> Option<String> {
    content_of(text, executive, false)
}

/// What the caller explicitly asks to pass on ("tell Alex that …", "the message is …"): safe to
/// take from an answer to another question ("Yes. And tell him the samples shipped").
pub fn passed_on(text: &str, executive: &str) -> Option<String> {
    content_of(text, executive, true)
}

fn content_of(text: &str, executive: &str, led_only: bool) -> Option<String> {
    let boss = executive
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    let last = executive
        .split_whitespace()
        .last()
        .unwrap_or("")
        .to_lowercase();
    let name = super::understand::extract_name_lead(text);
    let name_words: Vec<String> = name
        .iter()
        .flat_map(|n| {
            n.name
                .split_whitespace()
                .chain(n.company.iter().flat_map(|c| c.split_whitespace()))
                .map(|w| w.to_lowercase())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut kept = Vec::new();
    for sentence in sentences(text) {
        if means_own_number(&word_list(&sentence))
            || pleasantry(&sentence)
            || understand::capability_asked(&sentence, executive).is_some()
        {
            continue;
        }
        // "Ready?", "Hello, you there?": a word asked of the listener, no message.
        let asked_of_listener = sentence
            .split_whitespace()
            .map(bare)
            .skip_while(|w| {
                matches!(
                    w.as_str(),
                    "hello" | "hi" | "hey" | "so" | "okay" | "ok" | "um" | "uh" | "and" | "right"
                )
            })
            .filter(|w| !matches!(w.as_str(), "you"))
            .count()
            <= 1;
        if sentence.trim_end().ends_with('?') && asked_of_listener {
            continue;
        }
        let sentence = without_form_label(&without_introductions(&sentence));
        if sentence.is_empty() {
            continue;
        }
        let raw: Vec<&str> = sentence.split_whitespace().collect();
        let lower: Vec<String> = raw.iter().map(|w| bare(w)).collect();
        let lw: Vec<&str> = lower.iter().map(String::as_str).collect();
        let mut keep = strip_spans(&lw, &name_words);
        // A goal asked for and taken back ("can I book, no, forget that.") is nothing to pass on.
        let taken_back = understand::taken_back_words(&lw, executive);
        keep.iter_mut().take(taken_back).for_each(|k| *k = false);
        let mut toks: Vec<(&str, &str)> = raw
            .iter()
            .zip(lw.iter())
            .enumerate()
            .filter(|(i, _)| keep[*i])
            .map(|(_, (r, l))| (*r, *l))
            .collect();
        let lows: Vec<&str> = toks.iter().map(|t| t.1).collect();
        // "No, my name is …", "Not quite, the name should be …" introduces the caller,
        // whatever whisper made of the name: a clause that begins so is no message.
        let clause_starts = (0..toks.len()).filter(|&i| i == 0 || toks[i - 1].0.ends_with(','));
        if clause_starts
            .map(|i| {
                lows[i..]
                    .iter()
                    .skip_while(|w| {
                        matches!(**w, "no" | "sorry" | "yes" | "and" | "oh" | "um" | "uh")
                    })
                    .take(3)
                    .copied()
                    .collect::<Vec<_>>()
            })
            .any(|intro| {
                matches!(
                    intro.as_slice(),
                    ["my", "name", "is", ..]
                        | ["my", "name's", ..]
                        | ["the", "name", "should" | "must", ..]
                )
            })
        {
            continue;
        }
        let (lead, led) = content_lead(&lows, &boss);
        toks.drain(..lead);
        let lows: Vec<&str> = toks.iter().map(|t| t.1).collect();
        let meaningful = lows
            .iter()
            .filter(|w| !EMPTY_WORDS.contains(w) && **w != boss && **w != last)
            .count();
        let lows_owned: Vec<String> = lows.iter().map(|s| s.to_string()).collect();
        let meta = has(&lows_owned, META);
        // "Calling about the board deck" says what the call is about, not what to pass on.
        let about_only = !led
            && meaningful <= 3
            && lows
                .iter()
                .find(|w| !EMPTY_WORDS.contains(*w) || ABOUT.contains(*w))
                .is_some_and(|w| ABOUT.contains(w));
        // "I've got one.", "Here it is.", "It's a quick one": a message announced, not said.
        let announces = !led && lows.iter().all(|w| ANNOUNCING.contains(w) || *w == boss);
        if meaningful == 0
            || (meta && !led && meaningful < 2)
            || about_only
            || announces
            || (led_only && !led)
        {
            continue;
        }
        let s = toks.iter().map(|t| t.0).collect::<Vec<_>>().join(" ");
        let s = s
            .trim()
            .trim_start_matches([',', ' ', '-'])
            .trim_end_matches([',', ' '])
            .to_string();
        if content_words(&s) >= 1 {
            kept.push(upper_first(&s));
        }
    }
    let joined = kept
        .iter()
        .map(|s| {
            let s = s.trim_end_matches([',', ';']);
            if s.ends_with(['.', '?', '!']) {
                s.to_string()
            } else {
                format!("{s}.")
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// A sentence without a form's label for what the call is about before its value ("Purpose of
/// call: a message for Alex." is "a message for Alex.", "Message text: the grant was
/// accepted." is "the grant was accepted."): one to four words, no digits, before a colon at
/// the sentence's start, naming the call's matter (purpose, reason, subject, message, …).
fn without_form_label(sentence: &str) -> String {
    const MATTER: &[&str] = &[
        "purpose",
        "reason",
        "subject",
        "topic",
        "message",
        "text",
        "request",
        "regarding",
        "re",
        "note",
        "matter",
        "details",
    ];
    let Some((label, value)) = sentence.split_once(':') else {
        return sentence.to_string();
    };
    let words = label.split_whitespace().count();
    let matter = label
        .split_whitespace()
        .any(|w| MATTER.contains(&bare(w).as_str()));
    let labelled = (1..=4).contains(&words)
        && matter
        && label
            .chars()
            .all(|c| c.is_alphabetic() || c.is_whitespace() || matches!(c, '\'' | '-'))
        && !value.trim_start().starts_with(|c: char| c.is_ascii_digit());
    if labelled {
        value.trim().to_string()
    } else {
        sentence.to_string()
    }
}

/// A sentence without its clauses that only introduce the caller: where they are from ("I'm
/// with Zhang and Li Architects", "I work for Acme"), who they are with a company ("this is
/// Minh Pham from Andes Solar", however whisper wrote the name), a part of the name with its
/// label ("Surname's Brooks", "First name Taylor", with the letters spelling it), or how the
/// name is spelled ("Pham is spelled P H A M"). What is left keeps its commas; empty when nothing is.
fn without_introductions(sentence: &str) -> String {
    // Letters spelling the name part just dropped ("Surname's Haddad, H A D, D A D.") go
    // with it.
    let mut after_name_part = false;
    let clauses: Vec<&str> = sentence
        .split(',')
        .filter(|clause| {
            let letters = clause.split_whitespace().all(|w| {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
                w.split('-').all(|p| p.chars().count() == 1) && w.chars().any(char::is_alphabetic)
            });
            if after_name_part && letters {
                return false;
            }
            after_name_part = super::names::says_name_part(clause);
            if after_name_part {
                return false;
            }
            let words: Vec<String> = clause.split_whitespace().map(bare).collect();
            let w: Vec<&str> = words
                .iter()
                .map(String::as_str)
                .filter(|w| !w.is_empty())
                .skip_while(|w| matches!(*w, "and" | "oh" | "um" | "uh" | "so" | "also"))
                .collect();
            let raw: Vec<&str> = clause
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
                .collect();
            !(affiliation(&w) || named_with_company(&w) || spelling_out(&raw))
        })
        .collect();
    let kept = clauses.join(",");
    let kept = kept.trim();
    if kept.chars().any(char::is_alphanumeric) {
        kept.to_string()
    } else {
        String::new()
    }
}

/// "I'm with …", "I'm from …", "we're with …", "I work for …", "I'm calling from …": a short
/// clause that says where the caller is from.
fn affiliation(w: &[&str]) -> bool {
    let rest = match w {
        ["i'm" | "we're", "with" | "from", rest @ ..]
        | ["i" | "we", "am" | "are", "with" | "from", rest @ ..]
        | ["i'm" | "we're", "calling", "from" | "with", rest @ ..]
        | ["i" | "we", "work", "for" | "at" | "with", rest @ ..] => rest,
        _ => return false,
    };
    // "I'm with you on this" agrees: a company has no pronoun or preposition.
    (1..=5).contains(&rest.len())
        && !rest.iter().any(|w| {
            matches!(
                *w,
                "you"
                    | "him"
                    | "her"
                    | "them"
                    | "it"
                    | "this"
                    | "that"
                    | "on"
                    | "in"
                    | "about"
                    | "to"
            )
        })
}

/// "This is <name> from <company>": a name of up to three words (not "the invoice from March"
/// or "to do with the renewal": no article, possessive or preposition) and a company of up to
/// four.
fn named_with_company(w: &[&str]) -> bool {
    let ["this", "is", rest @ ..] = w else {
        return false;
    };
    let Some(at) = rest
        .iter()
        .position(|w| matches!(*w, "from" | "with" | "at" | "of"))
    else {
        return false;
    };
    let (name, company) = (&rest[..at], &rest[at + 1..]);
    (1..=3).contains(&name.len())
        && !name.iter().any(|w| {
            matches!(
                *w,
                "the"
                    | "a"
                    | "an"
                    | "about"
                    | "our"
                    | "my"
                    | "your"
                    | "his"
                    | "her"
                    | "their"
                    | "to"
                    | "do"
                    | "for"
                    | "in"
                    | "on"
                    | "regarding"
                    | "related"
                    | "concerning"
            )
        })
        && (1..=4).contains(&company.len())
}

/// "Pham is spelled P H A M" (whisper: "fan misspell PH at M"): a spelling word followed by
/// letters as whisper writes them — single letters, short capitals ("PH"), hyphenated runs
/// ("P-H-A-M"). `w` keeps the words' case.
fn spelling_out(w: &[&str]) -> bool {
    let Some(at) = w.iter().position(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "spelled" | "spelt" | "spell" | "spells" | "misspell"
        )
    }) else {
        return false;
    };
    w[at + 1..].iter().any(|w| {
        let parts: Vec<&str> = w.split('-').collect();
        let capitals = |p: &str| {
            (1..=3).contains(&p.chars().count()) && p.chars().all(|c| c.is_ascii_uppercase())
        };
        // "I" and "A" alone are words as often as letters.
        (parts.iter().all(|p| capitals(p)) && !matches!(*w, "I" | "A"))
            || (parts.len() > 1 && parts.iter().all(|p| p.chars().count() == 1))
    })
}

fn bare(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .to_lowercase()
        .replace('’', "'")
}

fn upper_first(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().collect::<String>() + cs.as_str(),
        None => String::new(),
    }
}

/// The sentences of a transcript, split where whisper put a full stop, question or exclamation
/// mark, or a comma before a new introduction or number ("…, my number is …").
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in text.chars() {
        cur.push(ch);
        if matches!(ch, '.' | '?' | '!' | ';') {
            out.push(std::mem::take(&mut cur));
        }
    }
    out.push(cur);
    out.into_iter()
        .flat_map(|s| {
            // "This is Priya from Acme, my number is …, and tell Alex …": clauses.
            let mut parts = Vec::new();
            let mut rest = s.as_str();
            loop {
                let lower = understand::lower_keeping_offsets(rest);
                let cut = [
                    ", my number",
                    ", you can reach me",
                    ", and my number",
                    ", this is ",
                    ", my name",
                ]
                .iter()
                .filter_map(|m| lower.find(m))
                .min();
                match cut {
                    Some(i) if i > 0 => {
                        parts.push(rest[..i].to_string());
                        rest = &rest[i + 1..];
                    }
                    _ => {
                        parts.push(rest.to_string());
                        break;
                    }
                }
            }
            parts
        })
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Which words of a sentence to keep: the caller's introduction and any phone number (with the
/// words that lead to it) are dropped.
fn strip_spans(words: &[&str], name_words: &[String]) -> Vec<bool> {
    let mut keep = vec![true; words.len()];
    // The introduction: "this is|my name is|i'm|it's" + the name words + "from|with|at" company.
    let leads: &[&[&str]] = &[
        &["my", "name", "is"],
        &["my", "name's"],
        &["name", "is"],
        &["this", "is"],
        &["it's"],
        &["it", "is"],
        &["i'm"],
        &["i", "am"],
    ];
    if !name_words.is_empty() {
        let mut i = 0;
        while i < words.len() {
            let lead = leads
                .iter()
                .find(|l| words.len() >= i + l.len() && words[i..i + l.len()] == ***l);
            let start = i;
            let mut j = lead.map_or(i, |l| i + l.len());
            let named = j < words.len() && name_words.iter().any(|n| n == words[j]);
            if named {
                while j < words.len()
                    && (name_words.iter().any(|n| n == words[j])
                        || matches!(
                            words[j],
                            "from"
                                | "with"
                                | "at"
                                | "of"
                                | "here"
                                | "speaking"
                                | "calling"
                                | "again"
                        ))
                {
                    j += 1;
                }
                for k in keep.iter_mut().take(j).skip(start) {
                    *k = false;
                }
                i = j;
            } else {
                i += 1;
            }
        }
    }
    // Numbers: a run of digit words with at least 7 digits, and the words that lead to it.
    let digitish = |w: &str| {
        w.chars().all(|c| c.is_ascii_digit() || c == '-') && w.chars().any(|c| c.is_ascii_digit())
            || understand::digit_word(w).is_some()
            || matches!(w, "double" | "triple")
    };
    let mut i = 0;
    while i < words.len() {
        if digitish(words[i]) {
            let mut j = i;
            let mut digits = 0;
            while j < words.len() && digitish(words[j]) {
                digits += understand::spoken_digits(words[j]).len();
                j += 1;
            }
            if digits >= 7 {
                let mut s = i;
                const LEADS: &[&str] = &[
                    "my", "number", "is", "it's", "at", "on", "me", "reach", "can", "you", "call",
                    "back", "cell", "phone", "mobile", "best", "the", "and", "number's",
                ];
                while s > 0 && LEADS.contains(&words[s - 1]) {
                    s -= 1;
                }
                for k in keep.iter_mut().take(j).skip(s) {
                    *k = false;
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn now() -> NaiveDateTime {
        // Tuesday 2026-11-24, 19:30.
        NaiveDate::from_ymd_opt(2026, 11, 24)
            .and_then(|d| d.and_hms_opt(19, 30, 0))
            .unwrap_or_default()
    }

    fn check_content(text: &str, want: Option<&str>) {
        assert_eq!(content(text, "Alex Morgan").as_deref(), want, "{text}");
    }

    #[test]
    fn content_is_what_to_pass_on() {
        check_content(
            "Could you tell Alex that the lease is ready to sign? This is Priya Raghunathan from Acme Health, my number is 617-555-0199.",
            Some("The lease is ready to sign?"),
        );
        check_content("Hi, I'd like to leave a message for Alex.", None);
        check_content("No, that's all. Thank you.", None);
        check_content("617 555 0199.", None);
        check_content("No, my name is in Go see you, Damien.", None);
        check_content("Yes, please.", None);
        // A message announced, not said.
        check_content("Can Alex get a message tonight? I've got one.", None);
        check_content("Yeah, I have something for Alex.", None);
        check_content("It's a quick one.", None);
        check_content(
            "I've got one: the samples shipped.",
            Some("I've got one: the samples shipped."),
        );
        check_content(
            "Let him know the shipment from Rotterdam is delayed until Friday.",
            Some("The shipment from Rotterdam is delayed until Friday."),
        );
        check_content(
            "This is Morgan Reyes. The board deck needs his sign-off by Thursday.",
            Some("The board deck needs his sign-off by Thursday."),
        );
        check_content(
            "Please ask Alex to call me about the Henderson contract.",
            Some("Call me about the Henderson contract."),
        );
        check_content(
            "The message is that our meeting went well and we accept the offer.",
            Some("Our meeting went well and we accept the offer."),
        );
        check_content(
            "I'd like to leave a message for Alex about the quarterly numbers.",
            Some("I'd like to leave a message for Alex about the quarterly numbers."),
        );
        check_content(
            "Okay, no worries. Could you pass along that the shipment got held at customs?",
            Some("The shipment got held at customs?"),
        );
        check_content(
            "Can you pass on to Alex that the samples arrived?",
            Some("The samples arrived?"),
        );
        check_content(
            "Could you mention to him that the invoices went out today.",
            Some("The invoices went out today."),
        );
        check_content("Sure, no problem.", None);
        check_content(
            "İstanbul office called, the Kelvin K reading is off.",
            Some("İstanbul office called, the Kelvin K reading is off."),
        );
    }

    #[test]
    fn an_introduction_is_not_what_to_pass_on() {
        // Whisper often ends the sentence before the company, or hears the name as words: the
        // clause that says who the caller is or how the name is spelled still stays out.
        check_content(
            "Could you tell Alex that the samples shipped? My name is Dana Kim. I'm with Bluefin Logistics.",
            Some("The samples shipped?"),
        );
        check_content(
            "Tell Alex the board call moved to Friday. We're from Hanoi Textiles.",
            Some("The board call moved to Friday."),
        );
        check_content(
            "Tell Alex the vote passed? This is men fan from Andy Solar, fan misspell PH at M.",
            Some("The vote passed?"),
        );
        check_content(
            "Let Alex know the proofs are in. Kim is spelled K-I-M.",
            Some("The proofs are in."),
        );
        // A clause with a company in it that says something is passed on.
        check_content(
            "Tell Alex it's to do with the supplier contract. This is to do with Acme.",
            Some("It's to do with the supplier contract. This is to do with Acme."),
        );
        check_content(
            "Tell Alex this is the invoice from March, it's the final one.",
            Some("This is the invoice from March, it's the final one."),
        );
        check_content(
            "I'm with the board on this. The plaque is spelled wrong, I think.",
            Some("I'm with the board on this. The plaque is spelled wrong, I think."),
        );
    }

    fn check_when(text: &str, want: &str) {
        let w = corrected_when(text, now());
        let got = format!(
            "{} {}",
            w.date.map(|d| d.to_string()).unwrap_or("-".into()),
            w.time
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or("-".into())
        );
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn corrections_replace_what_they_name() {
        check_when(
            "Thursday at 2. Actually, no, make it Friday at 10.",
            "2026-11-27 10:00",
        );
        check_when(
            "Thursday at two... actually no, make it Friday at ten",
            "2026-11-27 10:00",
        );
        check_when("Thursday at 2, actually make it 3.", "2026-11-26 15:00");
        check_when("Thursday at 2pm. Actually Friday.", "2026-11-27 14:00");
        check_when(
            "Thursday at 2, I mean Wednesday at 11am.",
            "2026-11-25 11:00",
        );
        check_when("Thursday at 2pm. No, Friday instead.", "2026-11-27 14:00");
        check_when("Thursday at 2pm would be great.", "2026-11-26 14:00");
    }

    #[test]
    fn own_number_and_urgency_and_availability() {
        let r = |t: &str| read(t, "Alex Morgan");
        assert!(r("My number is the one I'm calling from.").own_number);
        assert!(r("You can use this number.").own_number);
        assert!(!r("I'm calling from Acme.").own_number);
        assert!(!r("Not this number, use my cell.").own_number);
        assert!(r("I need to speak with Alex tonight.").needs_now);
        assert!(r("I need Alex from a phone tonight.").needs_now);
        assert!(r("I need Alex tonight, it can't wait.").needs_now);
        assert!(!r("I need a meeting with Alex next week.").needs_now);
        assert!(!r("Could Alex call me back tomorrow?").needs_now);
        assert!(r("I have to talk to him right away, it can't wait.").needs_now);
        assert!(!r("Could we meet Tuesday evening?").needs_now);
        assert!(r("Is Alex free on Monday at 3?").availability);
        assert!(r("Does Alex have any time Thursday afternoon?").availability);
        assert!(!r("I'd like to book a meeting.").availability);
    }
}
