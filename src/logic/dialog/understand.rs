//! Understanding what whisper heard: phone numbers, yes and no, intents, choices, topics.
//! Names live in [`super::names`]; `extract_name`, `extract_name_lead` and `NameFound` are
//! re-exported here for existing callers.
//!
//! Input is a transcript, not typed text: digits may arrive as "617-555-0123", "6 1 7" or
//! "six one seven", names are usually capitalised, punctuation is whisper's guess.

pub use super::names::{extract_name, extract_name_lead, NameFound};

/// The digit a spoken word stands for ("oh" is 0; "to", "too" and "for" only among digits).
pub(crate) fn digit_word(w: &str) -> Option<char> {
    Some(match w {
        "zero" | "oh" | "o" => '0',
        "one" => '1',
        "two" | "to" | "too" => '2',
        "three" => '3',
        "four" | "for" => '4',
        "five" => '5',
        "six" => '6',
        "seven" => '7',
        "eight" => '8',
        "nine" => '9',
        _ => return None,
    })
}

/// All the digits a caller read out, in order ("six one seven, 555 0123" → "6175550123";
/// "double five" → "55").
pub fn spoken_digits(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut digits = String::new();
    let mut repeat = 1;
    for raw in lower.split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == '-') {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        match w {
            "double" => {
                repeat = 2;
                continue;
            }
            "triple" => {
                repeat = 3;
                continue;
            }
            _ => {}
        }
        if w.chars().all(|c| c.is_ascii_digit()) {
            for _ in 0..repeat {
                digits.push_str(w);
            }
        } else if let Some(d) = digit_word(w) {
            // "to"/"too"/"for" only count among other digits.
            let weak = matches!(w, "to" | "too" | "for" | "o");
            if !weak || !digits.is_empty() {
                for _ in 0..repeat {
                    digits.push(d);
                }
            }
        } else if w.chars().any(|c| c.is_ascii_digit()) {
            // "3:30", "30th", "3pm" are times and dates, not digits of a number.
            let dated = w.contains(':')
                || ["st", "nd", "rd", "th", "am", "pm"]
                    .iter()
                    .any(|s| w.ends_with(s));
            if !dated {
                digits.extend(w.chars().filter(char::is_ascii_digit));
            }
        }
        repeat = 1;
    }
    digits
}

/// Caller IDs that mean "withheld", not a number to call back.
const WITHHELD: &[&str] = &[
    "anonymous",
    "restricted",
    "unknown",
    "private",
    "unavailable",
    "+266696687",
    "+86282452253",
    "+7378742833",
    "+2562533",
];

/// A caller ID worth offering back to the caller, or `None` when it is withheld or not a number.
pub fn usable_caller_id(caller_id: &str) -> Option<String> {
    let id = caller_id.trim();
    let digits = id.chars().filter(char::is_ascii_digit).count();
    (digits >= 7 && !WITHHELD.iter().any(|w| id.eq_ignore_ascii_case(w))).then(|| id.to_string())
}

/// A phone number in the transcript, normalised to E.164 when it is a North American number.
/// A caller who corrects themselves in the same breath ("… zero one zero three. Sorry, no:
/// 617-555-0130") means the last number they read out.
pub fn extract_phone(text: &str) -> Option<String> {
    let clauses: Vec<&str> = text
        .split(['.', '?', '!', ';', ':'])
        .filter(|c| spoken_digits(c).len() >= 7)
        .collect();
    if clauses.len() > 1 {
        // Several numbers read out: the last one that is a whole number stands.
        if let Some(n) = clauses
            .iter()
            .rev()
            .find_map(|c| phone_of(&spoken_digits(c)))
        {
            return Some(n);
        }
    }
    phone_of(&spoken_digits(text))
        .or_else(|| one_too_many(text))
        .or_else(|| zero_lost(text))
}

fn phone_of(d: &str) -> Option<String> {
    match d.len() {
        10 => Some(format!("+1{d}")),
        11 if d.starts_with('1') => Some(format!("+{d}")),
        12..=15 => Some(format!("+{d}")),
        // A local number; eight or nine digits are a number with one missing (whisper drops
        // the zero of "oh one one oh"), asked again rather than kept.
        7 => Some(d.to_string()),
        _ => None,
    }
}

/// The runs of digits written in `text`, in order ("415-555 0191" → 415, 555, 0191).
fn digit_groups(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect()
}

/// Whisper writes a digit said three times four times ("415-5555 0191"): written groups of
/// 3, 4 and 4 digits whose middle group is one digit repeated are a North American number with
/// that slip (the number is read back before it is kept).
fn one_too_many(text: &str) -> Option<String> {
    let groups = digit_groups(text);
    match groups.as_slice() {
        [area, mid, line]
            if area.len() == 3
                && mid.len() == 4
                && line.len() == 4
                && mid.bytes().all(|b| b == mid.as_bytes()[0]) =>
        {
            Some(format!("+1{area}{}{line}", &mid[1..]))
        }
        _ => None,
    }
}

/// Whisper writes a line number that begins with zero as a number ("oh one two seven" →
/// "127"): written groups of 3, 3 and 3 digits, and no other digit, are a North American number
/// whose last group lost its leading zero ("212, 555, 127"). Read back before it is kept, as
/// every number is, so a caller whose other digit was lost says so.
fn zero_lost(text: &str) -> Option<String> {
    let groups = digit_groups(text);
    match groups.as_slice() {
        [area, mid, line]
            if [area, mid, line].iter().all(|g| g.len() == 3)
                && spoken_digits(text).len() == 9
                && !area.starts_with(['0', '1']) =>
        {
            Some(format!("+1{area}{mid}0{line}"))
        }
        _ => None,
    }
}

/// A number read out digit by digit, in groups, for the voice: "+16175550123" →
/// "6 1 7, 5 5 5, 0 1 2 3".
pub fn spoken_number(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let digits = if digits.len() == 11 && digits.starts_with('1') {
        &digits[1..]
    } else {
        &digits[..]
    };
    let groups: Vec<&str> = if digits.len() == 10 {
        vec![&digits[..3], &digits[3..6], &digits[6..]]
    } else {
        digits
            .as_bytes()
            .chunks(3)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect()
    };
    groups
        .iter()
        .map(|g| {
            g.chars()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A yes/no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YesNo {
    Yes,
    No,
    Unclear,
}

/// Reads a yes or a no from a transcript ("yeah that's right", "nope", "no, that's wrong",
/// "sure", "that works"). Only short clauses count: "our servers are down right now" is not a
/// yes, however much it says "right". The first clause that answers decides.
pub fn yes_no(text: &str) -> YesNo {
    const FILLER: &[&str] = &["um", "uh", "oh", "well", "so", "ah", "hmm", "and", "then"];
    const YES_FIRST: &[&str] = &[
        "yes",
        "yeah",
        "yep",
        "yup",
        "yea",
        "sure",
        "correct",
        "right",
        "exactly",
        "perfect",
        "okay",
        "ok",
        "fine",
        "definitely",
        "certainly",
        "absolutely",
        "great",
        "alright",
        "whatever",
        // How whisper hears a lone "Correct." on a phone line.
        "collect",
        "mhm",
        "mmhmm",
        // A form's words for it: "Confirmed.", "Affirmative."
        "confirmed",
        "confirm",
        "affirmative",
    ];
    const NO_FIRST: &[&str] = &["no", "nope", "nah", "negative", "wrong", "incorrect"];
    const YES_PHRASES: &[&str] = &[
        "that works",
        "sounds good",
        "go ahead",
        "that's right",
        "that is right",
        "that's correct",
        "that's fine",
        "that fine",
        "that's it",
        "it is",
        "please do",
        "do it",
        "book it",
        "works for me",
        "that's perfect",
        "of course",
        "all right",
        "that one",
        "i do",
        "it's right",
        // Assent in other words: "you got it", "spot on", "uh-huh", "all correct".
        "you got it",
        "you've got it",
        "got it",
        "spot on",
        "all correct",
        "all good",
        "that's the one",
        "go for it",
        // Formal assent: "That is correct.", "Quite right.", "Indeed it is.", "Just so."
        "that is correct",
        "quite right",
        "quite correct",
        "indeed",
        "just so",
    ];
    const NO_PHRASES: &[&str] = &[
        "not right",
        "not correct",
        "not confirmed",
        "isn't right",
        "that's not",
        "that's wrong",
        "change it",
        "change that",
        "don't book",
        "do not",
        "wrong number",
        // A hedge is a no: "not quite", "not exactly", "not really".
        "not quite",
        "not exactly",
        "not really",
        "not totally",
        "got it wrong",
        "got that wrong",
        "have it wrong",
        "have that wrong",
        // Declining an offer: "That won't be necessary.", "No need.", "Don't bother."
        "not necessary",
        "won't be necessary",
        "will not be necessary",
        "not be necessary",
        "no need",
        "don't bother",
        "not needed",
    ];
    for clause in text.split(['.', ',', '!', '?', ';']) {
        // "Uh-huh" is a murmured yes; its "uh" is no filler.
        let lower = clause
            .to_lowercase()
            .replace("uh-huh", "mhm")
            .replace("uh huh", "mhm");
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .skip_while(|w| FILLER.contains(w))
            .collect();
        if words.is_empty() || words.len() > 6 {
            continue;
        }
        let padded = format!(" {} ", words.join(" "));
        let has = |phrases: &[&str]| phrases.iter().any(|p| padded.contains(&format!(" {p} ")));
        // "Yep, not correct" is how whisper may hear "yep, that's correct": a yes and a no in
        // one breath is asked again, not taken either way.
        if YES_FIRST.contains(&words[0]) && has(NO_PHRASES) {
            return YesNo::Unclear;
        }
        if NO_FIRST.contains(&words[0]) || has(NO_PHRASES) {
            return YesNo::No;
        }
        if YES_FIRST.contains(&words[0]) || has(YES_PHRASES) {
            return YesNo::Yes;
        }
    }
    YesNo::Unclear
}

/// What a caller asks for, as far as words tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// A human: "a person", "operator", the assistant by name.
    Person,
    /// Book a meeting.
    Book,
    /// Move an existing meeting.
    Move,
    /// Cancel an existing meeting.
    Cancel,
    /// Leave a message.
    Message,
    /// Nothing more: "no, that's all", "bye".
    Done,
    /// The executive themselves: "is Alex around?", "can I speak to Alex?".
    Executive,
}

fn padded_words(text: &str) -> String {
    super::screen::words(text)
}

/// `padded` (as [`padded_words`] writes it) as the caller meant it, without the hesitations:
/// the sounds of thinking ("um", "uh", "er") dropped and a word said again at once kept once
/// ("I have a, um, a meeting and I, I need to change the, the time" is "I have a meeting and I
/// need to change the time"). Numbers are left as said: "5 5 5" is three digits.
fn fluent(padded: &str) -> String {
    const HESITATIONS: &[&str] = &["um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm"];
    let mut kept: Vec<&str> = Vec::new();
    for w in padded.split_whitespace() {
        if HESITATIONS.contains(&w) {
            continue;
        }
        let word = w.chars().all(|c| c.is_alphabetic() || c == '\'');
        if word && kept.last() == Some(&w) {
            continue;
        }
        kept.push(w);
    }
    format!(" {} ", kept.join(" "))
}

fn any(padded: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| padded.contains(&format!(" {p} ")))
}

const PERSON: &[&str] = &[
    "a person",
    "a human",
    "real person",
    "live person",
    "human being",
    "an operator",
    "the operator",
    "operator",
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "a representative",
    "representative",
    "a real human",
    "actual person",
    "speak to a",
    "talk to a",
    "speak with a",
    "talk with a",
    // Anyone of the executive's own: "one of Alex's colleagues", "someone from the team", "a
    // member of staff".
    "colleague",
    "colleagues",
    "member of staff",
    "staff member",
];
const CANCEL: &[&str] = &[
    "cancel",
    "cancelled",
    "canceled",
    "cancelling",
    "canceling",
    "call off",
    "can't make it",
    "cannot make it",
    "won't make it",
    "won't be able to make it",
    "won't be able to make my",
    "won't be able to make the",
    "can't make my",
    "can't make the",
    "cannot make my",
    "won't make my",
    "not be able to make my",
];
const MOVE: &[&str] = &[
    "reschedule",
    // Asked whether meetings can be moved: "Can you even move meetings? I've got one."
    "move meetings",
    "move appointments",
    "move bookings",
    "rescheduled",
    // Indian English for bringing it forward: "can we prepone it?"
    "prepone",
    "preponed",
    "postponed",
    "postpone it",
    "re schedule",
    "move my",
    "move a meeting",
    "move an appointment",
    "move the",
    "move our",
    "move it",
    "change my appointment",
    "change the appointment",
    "change my meeting",
    "change the meeting",
    "change the time",
    "change the date",
    "push back",
    "push it",
    "postpone",
    "bring forward",
    "different time",
    "different day",
    "another day for my",
    "switch my",
];
const BOOK: &[&str] = &[
    "appointment",
    "meeting",
    "book",
    "booking",
    "schedule",
    "set up a time",
    "set up a call",
    "set up a meeting",
    "meet with",
    "meet alex",
    "see alex",
    "come in",
    "come by",
    "sit down with",
    "calendar",
    "availability",
    "available",
    "free slot",
    "slot",
    "a time to",
    "find a time",
    "catch up with",
    "get together",
    "time with",
    "get some time",
    "some time with",
    "hour with",
    "minutes with",
    "set something up",
    "set up something",
    "meet up",
    "sit down",
    "a slot",
    "a call with",
    "get in to see",
    "pencil me in",
    "put me down",
    "reserve",
    "opening",
    "openings",
    // A booking asked as a favour or a question: "any chance Alex could squeeze me in?",
    // "could Alex see me on the 4th?", "would Alex have a gap on Thursday?", "does Alex have
    // any time next week?".
    "squeeze me in",
    "squeeze in",
    "fit me in",
    "see me",
    "a gap",
    "any gaps",
    "have time",
    "has time",
    "have any time",
    "has any time",
    "have some time",
    // The executive's diary is the calendar: "is there room in Alex's diary?", "what does
    // Alex's diary look like on Wednesday?".
    "diary",
    // Wanting to meet, in a learner's grammar too: "I want meet", "I wish to meet Alex".
    "want meet",
    "want to meet",
    "like to meet",
    "wish to meet",
    "hoping to meet",
    "need to meet",
    // Asking whether the executive takes them, then wanting one: "Does Alex take meetings? I'd
    // like one.", "is Alex doing appointments next week?".
    "meetings",
    "appointments",
];
/// Words that ask for a booking even when the caller also wants a call back.
const STRONG_BOOK: &[&str] = &[
    "book",
    "booking",
    "schedule",
    "an appointment",
    "set up a meeting",
    "set up a time",
    "pencil me in",
];
const MESSAGE: &[&str] = &[
    "message",
    "a heads up",
    "leave a note",
    "a note for",
    "take a note",
    "leave word",
    // Whisper often writes "leave word for Alex" as "leave words for Alex".
    "leave words for",
    "tell him",
    "tell her",
    "tell them",
    "let him know",
    "let her know",
    "let them know",
    "pass along",
    "pass on",
    "call me back",
    "call me",
    "to call me",
    "call back",
    "get back to me",
    "have him call",
    "have her call",
    "return my call",
    // Other words for passing something on: "could you pass something on?", "could you
    // kindly jot something down for Alex?", "I'd like to drop Alex a line".
    "pass something on",
    "pass it on",
    "pass that on",
    "jot",
    "jot down",
    "drop a line",
    // "Kindly note the following for Alex: …", "please note that …".
    "note the following",
    "kindly note",
    "please note",
    "a note of",
];
const DONE: &[&str] = &[
    "that's all",
    "that's it",
    "that is all",
    "nothing else",
    "no thanks",
    "no thank you",
    "bye",
    "goodbye",
    "good bye",
    "i'm good",
    "i'm all set",
    "all set",
    "that'll be all",
    "nothing more",
    "that will be all",
    "i'm done",
    "nope",
    "that's everything",
    "that is everything",
    "that'll do",
    "cheers",
];

/// The caller's request, if the words make it clear. `assistant` is the on-call human's name:
/// asking for them by first name is asking for a person; `executive` is whom messages are for
/// ("tell Alex", "have Alex call me").
pub fn intent(text: &str, assistant: &str, executive: &str) -> Option<Intent> {
    let w = without_titles(&with_verb_repairs(&fluent(&padded_words(text))), executive);
    // A goal named and taken back in the same breath: what follows the take-back is meant,
    // when it names a goal of its own.
    // "Forget that" with nothing after it withdraws what went before.
    if let Some((tail, withdrawn)) = taken_back(&w) {
        match intent(tail, assistant, executive) {
            Some(goal) if goal != Intent::Done => return Some(goal),
            _ if withdrawn => return None,
            _ => {}
        }
    }
    // "I was going to ask for a meeting, but no, just …": a plan told as given up is not asked
    // for, whatever follows it.
    if let Some(tail) = plan_given_up(&w) {
        return intent(tail, assistant, executive).filter(|g| *g != Intent::Done);
    }
    let first = assistant
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    let asks_assistant = !first.is_empty()
        && [
            "speak to",
            "talk to",
            "speak with",
            "talk with",
            "get",
            "reach",
            "connect me to",
            "put me through to",
            "transfer me to",
        ]
        .iter()
        .any(|lead| w.contains(&format!(" {lead} {first} ")));
    if asks_assistant
        || any(&w, PERSON) && !any(&w, &["someone's", "for someone"]) && asks_for_someone(&w)
        || asks_for_a_human(&w)
    {
        return Some(Intent::Person);
    }
    let boss = executive
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    // "Let Alex know that the contractor can't make it Friday" is news to pass on, not the
    // caller's own booking: cancel and move words count only when the caller's own.
    let own = news_at(&w, &boss).map_or(w.as_str(), |i| &w[..i]);
    let own = without_self_repairs(own);
    let own = own.as_str();
    let moves = any(own, MOVE) || acts_on_booking(own, MOVE_VERBS);
    if any(own, CANCEL)
        || acts_on_booking(own, CANCEL_VERBS)
        || acts_on_booking(own, NOT_COMING) && !moves
    {
        return Some(Intent::Cancel);
    }
    if moves {
        return Some(Intent::Move);
    }
    // Booking words inside the topic ("call me about the board meeting") ask for nothing.
    let head = topic_lead(&w).map_or(w.as_str(), |i| &w[..=i]);
    if any(head, STRONG_BOOK) {
        return Some(Intent::Book);
    }
    let wants_boss = !boss.is_empty()
        && [
            "is {} around",
            "is {} there",
            "is {} in",
            "is {} available",
            "is {} free",
            "speak to {}",
            "speak with {}",
            "talk to {}",
            "talk with {}",
            "get {} on the phone",
            "put me through to {}",
            "connect me to {}",
            "reach {}",
            "catch {}",
            "get hold of {}",
            "get ahold of {}",
        ]
        .iter()
        .any(|p| w.contains(&format!(" {} ", p.replace("{}", &boss))));
    let for_boss = !boss.is_empty()
        && (["tell", "have", "let", "ask", "remind", "inform", "convey to", "one for", "drop"]
            .iter()
            .any(|lead| w.contains(&format!(" {lead} {boss} ")))
            // "I need Alex to hear that …", "make sure Alex knows …".
            || ["to hear", "to know", "knows", "hears"]
                .iter()
                .any(|verb| w.contains(&format!(" {boss} {verb} "))));
    if for_boss || any(&without_callback(&w), MESSAGE) {
        return Some(Intent::Message);
    }
    if wants_boss {
        return Some(Intent::Executive);
    }
    if any(&without_opening_verb(head), BOOK) {
        return Some(Intent::Book);
    }
    let bare = w.trim();
    if any(&without_thanks(text, &without_all_right(&w)), DONE)
        || matches!(bare, "no" | "no that's all" | "nothing" | "no nothing")
    {
        return Some(Intent::Done);
    }
    None
}

/// Words after a topic's lead ("about", "regarding") that make it no topic: "thinking about
/// this", "sorry about that".
const NOT_A_TOPIC: &[&str] = &["this", "that", "it", "them", "him", "her", "everything"];

/// Where the topic's lead ("about", "regarding", "concerning", "re") first stands in `w`
/// (padded), at the space before it. A lead followed by a pronoun leads no topic: "I was
/// thinking about this and I need a meeting", "sorry about that", "we talked about it" tell
/// what the caller did, and a request may follow them.
fn topic_lead(w: &str) -> Option<usize> {
    ["about", "regarding", "concerning", "re"]
        .iter()
        .flat_map(|t| {
            let pat = format!(" {t} ");
            w.match_indices(&pat)
                .map(|(i, _)| (i, i + pat.len()))
                .collect::<Vec<_>>()
        })
        .filter(|&(_, after)| {
            let next = w[after..].split_whitespace().next().unwrap_or("");
            !NOT_A_TOPIC.contains(&next)
        })
        .map(|(i, _)| i)
        .min()
}

/// `w` (padded) without a courtesy title before the executive's name: a learner's "please
/// tell Mr. Alex", "is Mister Morgan free" are "tell Alex", "is Morgan free".
fn without_titles(w: &str, executive: &str) -> String {
    const TITLES: &[&str] = &["mr", "mister", "ms", "mrs", "miss", "madam", "sir"];
    let mut out = w.to_string();
    for name in executive.split_whitespace().map(str::to_lowercase) {
        for title in TITLES {
            out = out.replace(&format!(" {title} {name} "), &format!(" {name} "));
        }
    }
    out
}

/// Whether `sentence` only names a booking ("Meeting with Alex.", "My appointment on Friday at
/// 3."): no verb, no wish, nothing but the booking, whose it is and when. Beside a cancel
/// ("Meeting with Alex. Cancel.") it names the booking cancelled, not a new one.
pub fn only_names_a_booking(sentence: &str, executive: &str) -> bool {
    const NOUNS: &[&str] = &["meeting", "appointment", "booking"];
    const AROUND: &[&str] = &[
        "my", "the", "our", "a", "with", "on", "at", "for", "this", "next", "hi", "hello", "mr",
        "ms", "mrs", "mister", "am", "pm", "tomorrow",
    ];
    let w = fluent(&padded_words(sentence));
    let names: Vec<String> = executive
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let words: Vec<&str> = w.split_whitespace().collect();
    words.iter().any(|x| NOUNS.contains(x))
        && words.iter().all(|x| {
            NOUNS.contains(x)
                || AROUND.contains(x)
                || names.iter().any(|n| n == x)
                || crate::logic::timeparse::weekday_of(x, true).is_some()
                || x.chars().all(|c| c.is_ascii_digit())
                || ["st", "nd", "rd", "th"].iter().any(|e| {
                    x.strip_suffix(e)
                        .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
                })
        })
}

/// Where news about someone or something else begins, passed on to the executive: after a lead
/// ("let Alex know", "tell him", "pass along", "ask Alex to") whose news does not start with
/// the caller ("I", "we", "my", "our"). "Tell Alex I can't make it" is the caller's own
/// booking; "tell Alex the contractor can't make it" is not. `w` is padded
/// ([`padded_words`]); the offset is one where a word starts, after a space.
fn news_at(w: &str, boss: &str) -> Option<usize> {
    let mut leads: Vec<String> = ["tell", "ask", "remind", "let", "inform", "convey to"]
        .iter()
        .flat_map(|v| {
            let who = [boss, "him", "her", "them"];
            who.into_iter()
                .filter(|x| !x.is_empty())
                .map(move |x| {
                    if *v == "let" {
                        format!(" let {x} know ")
                    } else {
                        format!(" {v} {x} ")
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect();
    leads.extend(
        [" pass along ", " pass on ", " relay ", " mention to "]
            .iter()
            .map(|l| l.to_string()),
    );
    let end = leads
        .iter()
        .filter_map(|l| w.find(l.as_str()).map(|i| i + l.len()))
        .min()?;
    let own = [
        "i", "i'm", "i'll", "i've", "i'd", "we", "we're", "we'll", "we've", "my", "our", "me", "us",
    ];
    w[end..]
        .split_whitespace()
        .find(|x| {
            !matches!(
                *x,
                "that" | "to" | "just" | "so" | "unfortunately" | "sadly" | "also" | "um" | "uh"
            ) && *x != boss
        })
        .is_some_and(|first| !own.contains(&first))
        .then_some(end)
}

/// Words that take back what the caller just asked for: "can I book, hmm, no, forget that",
/// "I was going to book something, but actually…", "a message, or no, wait, …".
const TAKE_BACKS: &[&str] = &[
    "forget that",
    "forget about that",
    "never mind that",
    "but actually",
    "no actually",
    "actually no",
    "or no",
    "no wait",
    "well no",
    "on second thought",
    "on second thoughts",
];

/// Of [`TAKE_BACKS`], those that withdraw what went before rather than repair it.
const WITHDRAWALS: &[&str] = &["forget that", "forget about that", "never mind that"];

/// The words after the last take-back ([`TAKE_BACKS`]) in `w` (padded), if any, and whether
/// that take-back withdraws ([`WITHDRAWALS`]).
fn taken_back(w: &str) -> Option<(&str, bool)> {
    TAKE_BACKS
        .iter()
        .filter_map(|t| w.rfind(&format!(" {t} ")).map(|i| (i + t.len() + 1, t)))
        .max()
        .map(|(i, t)| (&w[i..], WITHDRAWALS.contains(t)))
}

/// `w` (padded) without "opening" said of the office opening its doors ("which time your office
/// is opening?", "when are you opening tomorrow?"): only an opening in a calendar asks for a
/// meeting ("does Alex have an opening Thursday?").
fn without_opening_verb(w: &str) -> String {
    let mut out = w.to_string();
    for subject in [
        "is", "are", "you", "office", "it", "they", "we", "be", "you're", "it's",
    ] {
        out = out.replace(
            &format!(" {subject} opening "),
            &format!(" {subject} open "),
        );
    }
    out
}

/// A plan told in the past, to be given up with a "but" after it.
const PLANS: &[&str] = &[
    "was going to",
    "was gonna",
    "had meant to",
    "i'd meant to",
    "had planned to",
];

/// The words after a plan told as given up ("I was going to book a meeting, but …", "I was
/// gonna …, but", "I'd meant to …, but"), in `w` (padded), if there is one.
fn plan_given_up(w: &str) -> Option<&str> {
    let plan = PLANS
        .iter()
        .filter_map(|p| w.find(&format!(" {p} ")))
        .min()?;
    let but = w[plan..].find(" but ")? + plan;
    Some(&w[but + " but".len()..])
}

/// Of a sentence's words (lowercase, bare), how many at its start ask for a goal and take it
/// back ("can I book, no, forget that", "I was going to ask for a meeting, but …"): none of them
/// is anything to pass on. 0 when the words before the take-back ask for nothing else than a
/// message ("tell Alex the launch is off, but actually Friday works" is all message).
pub fn taken_back_words(words: &[&str], executive: &str) -> usize {
    // The last take-back, or the "but" after a plan told as given up, whichever ends later.
    let take_back = TAKE_BACKS
        .iter()
        .filter_map(|t| {
            let n = t.split(' ').count();
            phrase_starts(words, t).last().map(|&i| (i, i + n))
        })
        .max_by_key(|&(_, end)| end);
    let given_up = PLANS
        .iter()
        .filter_map(|p| phrase_starts(words, p).first().copied())
        .min()
        .and_then(|p| {
            words[p..]
                .iter()
                .position(|w| *w == "but")
                .map(|b| (p + b, p + b + 1))
        });
    let cut = [take_back, given_up]
        .into_iter()
        .flatten()
        .max_by_key(|&(_, end)| end);
    match cut {
        Some((start, end))
            if intent(&words[..start].join(" "), "", executive)
                .is_some_and(|g| !matches!(g, Intent::Done | Intent::Message)) =>
        {
            end
        }
        _ => 0,
    }
}

/// Where `phrase` (words joined by single spaces) starts in `words`, first to last.
fn phrase_starts(words: &[&str], phrase: &str) -> Vec<usize> {
    let pw: Vec<&str> = phrase.split(' ').collect();
    (0..words.len().saturating_sub(pw.len() - 1))
        .filter(|&i| words[i..i + pw.len()] == pw[..])
        .collect()
}

/// `w` (padded) with a goal's verb corrected in passing put in its place: "I need to cancel my
/// meeting, well, no, not cancel, move it" moves the meeting.
fn with_verb_repairs(w: &str) -> String {
    const VERBS: &[&str] = &["cancel", "move", "reschedule", "book", "postpone", "change"];
    for wrong in VERBS {
        let not = format!(" not {wrong}");
        let Some(i) = w.find(&format!("{not} ")) else {
            continue;
        };
        let rest = &w[i + not.len()..];
        let next = rest
            .split_whitespace()
            .find(|x| !matches!(*x, "but" | "i" | "mean"));
        if let Some(right) = next.filter(|x| x != wrong && VERBS.contains(x)) {
            let before = w[..i].replace(&format!(" {wrong} "), &format!(" {right} "));
            return format!("{before}{rest}");
        }
    }
    w.to_string()
}

/// The words without a speaker's self-repair: "…, no, hang on, scratch that, Thursday" takes
/// back what was just said, it cancels nothing ("scratch that meeting" still does).
fn without_self_repairs(w: &str) -> String {
    let mut out = w.to_string();
    for repair in ["scratch that", "scrap that", "strike that"] {
        let pat = format!(" {repair} ");
        let mut from = 0;
        while let Some(i) = out[from..].find(&pat).map(|i| i + from) {
            let next = out[i + pat.len()..].split_whitespace().next().unwrap_or("");
            if matches!(next, "meeting" | "appointment" | "booking" | "call") {
                from = i + 1;
            } else {
                out.replace_range(i..i + pat.len() - 1, "");
            }
        }
    }
    out
}

/// Verbs that, said of the caller's own booking, cancel it: "scrap my meeting".
const CANCEL_VERBS: &[&str] = &[
    "scrap",
    "drop",
    "scratch",
    "call off",
    "take it off",
    "take off",
    "take me off",
    "bail on",
    "pull out of",
    // Removing it from the diary: "kindly strike my appointment from the diary", "remove my
    // meeting", "withdraw from my appointment".
    "strike",
    "remove",
    "delete",
    "cross off",
    "cross out",
    "withdraw",
];
/// Saying the caller will not come to their own booking: a cancel unless they also ask to move
/// it ("I can't do my appointment, so just cancel it"; "I cannot come, can we do Friday
/// instead?" is a move).
const NOT_COMING: &[&str] = &[
    "can't do",
    "cannot do",
    "can't come",
    "cannot come",
    "not coming",
    "won't be coming",
    "can't attend",
    "cannot attend",
];
/// Verbs that, said of the caller's own booking, move it: "a meeting I need to push".
const MOVE_VERBS: &[&str] = &[
    "push",
    "pushed",
    "shift",
    "shifted",
    "bump",
    "bumped",
    "move",
    "moved",
    "rearrange",
    "rearranged",
    "bring it forward",
    "bring forward",
    "pull it forward",
    "move it forward",
    "put it back",
    "put back",
    "push it back",
    "push it out",
    "prepone",
    // Asking for another time for it: "something's come up, could we find another time?"
    "another time",
    "a new time",
    "another day",
    "a different date",
    // "My meeting with Alex needs a new date", "can we find another date for it?".
    "a new date",
    "new date",
    "another date",
    "new day",
    // "The time doesn't work for me anymore", "could it be Friday instead?", "I want other
    // day", "I wish to alter the time of my appointment", "I need change it".
    "doesn't work",
    "does not work",
    "no longer works",
    "won't work",
    "doesn't suit",
    "instead",
    "other day",
    "other time",
    "alter",
    "change",
];

/// The caller's booking named as one already made.
const OWN_BOOKING: &[&str] = &[
    "my appointment",
    "my meeting",
    "the appointment",
    "the meeting",
    "our meeting",
    "our appointment",
];

/// Whether `text` names the caller's own booking, one already made ("My meeting with Alex.",
/// "the appointment on Thursday"): beside a cancellation, that booking, not a new one.
pub fn names_own_booking(text: &str) -> bool {
    any(&padded_words(text), OWN_BOOKING)
}

/// A verb of `verbs` said of the caller's own booking ("my meeting", "the appointment", "a
/// meeting with Alex I need to push"): the verb and the booking in one clause, the booking
/// theirs ("my", "the", "our", "I've got a").
fn acts_on_booking(w: &str, verbs: &[&str]) -> bool {
    const HELD: &[&str] = &[
        "i've got a meeting",
        "i have a meeting",
        "i've got an appointment",
        "i have an appointment",
        "my call",
        "a meeting booked",
        "an appointment booked",
        "supposed to be seeing",
        "supposed to meet",
    ];
    (any(w, OWN_BOOKING) || any(w, HELD) || holds_booking(w)) && any(w, verbs)
}

/// The caller holding a booking, in any tense or contraction: "I've a meeting with Alex", "we
/// have an appointment", "I had booked a call", "I've got a meeting", a learner's "I have
/// meeting".
fn holds_booking(w: &str) -> bool {
    const HOLDER: &[&str] = &["i", "we"];
    const HAVE: &[&str] = &[
        "'ve",
        "have",
        "had",
        "'ve got",
        "have got",
        "had got",
        "booked",
        "'ve booked",
        "have booked",
        "had booked",
        "'d booked",
        "got",
        // A learner's progressive: "I am having meeting with Mr. Alex".
        "am having",
        "'m having",
        "are having",
        "'re having",
    ];
    const NOUN: &[&str] = &["meeting", "appointment", "call", "slot", "booking"];
    HOLDER.iter().any(|who| {
        HAVE.iter().any(|have| {
            let lead = if have.starts_with('\'') {
                format!(" {who}{have} ")
            } else {
                format!(" {who} {have} ")
            };
            // A learner's "I have meeting with Alex" has no article.
            ["a ", "an ", "one ", ""]
                .iter()
                .any(|art| NOUN.iter().any(|n| w.contains(&format!("{lead}{art}{n} "))))
        })
    })
}

/// The words without the ways of giving a callback number ("call me back on this number",
/// "you can call me at 617…"): how to call back is a number, not a request for a message.
fn without_callback(w: &str) -> String {
    let mut out = w.to_string();
    for lead in [
        // What the number is for, in a learner's grammar: "For call me back, is this number",
        // "for to call me, use this line".
        "for call me back",
        "for to call me back",
        "for calling me back",
        "for call me",
        "for to call me",
        "for calling me",
        "call me back on",
        "call me back at",
        "call me on",
        "call me at",
        // Which number is "fine for a call back" is still only a number.
        "for a call back",
        "for a callback",
        "for call backs",
        // "For call back, use this number", "call back on this line".
        "for call back",
        "for callback",
        "for calling back",
        "call back on",
        "call me back on this",
        // "You may return my call on this line."
        "return my call on",
        "return my call at",
    ] {
        out = out.replace(&format!(" {lead} "), " ");
    }
    out
}

/// Reaching a person, in any grammar: a verb of reaching, then within a few words a word for a
/// human ("I want speak with human person", "connect me with one of Alex's people", "put me
/// through to somebody from the office").
fn asks_for_a_human(w: &str) -> bool {
    const REACH: &[&str] = &[
        "speak with",
        "speak to",
        "talk with",
        "talk to",
        "connect me with",
        "connect me to",
        "put me through to",
        "transfer me to",
    ];
    const HUMAN: &[&str] = &[
        "person",
        "human",
        "people",
        "someone",
        "somebody",
        "staff",
        "colleague",
        "colleagues",
        "employee",
        "operator",
    ];
    // "Can I get somebody who actually works there on the line?"
    let on_line = [" on the line ", " on the phone "]
        .iter()
        .any(|l| w.contains(l));
    if on_line && w.split_whitespace().any(|x| HUMAN.contains(&x)) {
        return true;
    }
    REACH.iter().any(|r| {
        let pat = format!(" {r} ");
        w.match_indices(&pat).any(|(i, _)| {
            w[i + pat.len()..]
                .split_whitespace()
                .take(4)
                .any(|x| HUMAN.contains(&x))
        })
    })
}

/// Whether the caller asks who or what is answering: "who am I speaking with?", "is this a
/// robot?", "am I talking to a machine?", "are you a real person?". A question about the agent,
/// not a request for a person.
pub fn asks_who_answers(sentence: &str) -> bool {
    let w = padded_words(sentence);
    let who = [
        "who am i speaking",
        "who am i talking",
        "whom am i speaking",
        "whom am i talking",
        "who is speaking",
        "who's speaking",
        "who is this",
        "who's this",
        "who are you",
        "who is that",
    ];
    // "Is this a real person or, like, a robot?", "Sorry, you are a computer?"
    const WHAT: &[&str] = &[
        "robot",
        "machine",
        "computer",
        "bot",
        "recording",
        "automated",
        "ai",
        "human",
        "person",
        "real",
    ];
    const ASKING: &[&str] = &[
        "is this a",
        "is this an",
        "am i talking to",
        "am i speaking to",
        "am i speaking with",
        "am i talking with",
        "am i addressing",
        "are you a",
        "are you an",
        "you are a",
        "you are an",
    ];
    any(&w, &who)
        || ASKING.iter().any(|a| {
            let pat = format!(" {a} ");
            w.match_indices(&pat).any(|(i, _)| {
                w[i + pat.len()..]
                    .split_whitespace()
                    .take(4)
                    .any(|x| WHAT.contains(&x))
            })
        })
}

/// What a caller who doubts the agent asks it can do, as the line that answers it: whether the
/// agent can do a thing ("Can you even move meetings?", "Are you able to book things?", "Can
/// you actually put things in Alex's calendar?", "Can a machine take a message?"), `can_do`;
/// whether the executive will get a message ("Will Alex actually see a message if I leave
/// one?", "Does Alex even read these messages?"), `message_seen`. The goal the question
/// carries is the caller's; the question is no message. A plain request ("Can you book me in
/// for Tuesday?") and a question for information ("Can a machine tell me where the office
/// is?", which the FAQ answers) are not such questions.
pub fn capability_asked(sentence: &str, executive: &str) -> Option<&'static str> {
    if !sentence.trim_end().ends_with('?') {
        return None;
    }
    let w = fluent(&padded_words(sentence));
    const DOUBTING: &[&str] = &[
        "can you even",
        "can you actually",
        "can you really",
        "could you even",
        "could you actually",
        "do you even",
        "do you actually",
        "do you really",
        "are you able to",
        "are you even able to",
        "are you actually able to",
        "are you allowed to",
        "are you capable of",
        "is it possible for you to",
        "do you know how to",
        "can a machine",
        "can a robot",
        "can a computer",
        "can a bot",
        "can this thing",
        "can the machine",
        "is a machine able to",
    ];
    const DOING: &[&str] = &[
        "book",
        "booking",
        "schedule",
        "scheduling",
        "move",
        "moving",
        "reschedule",
        "rescheduling",
        "cancel",
        "cancelling",
        "canceling",
        "take",
        "taking",
        "put",
        "putting",
        "pass",
        "passing",
        "leave",
        "arrange",
        "set",
        "setting",
        "handle",
        "handling",
        "do",
        "deal",
        "make",
        "change",
        "changing",
        "manage",
        "sort",
        "help",
        "note",
        "write",
        "record",
    ];
    let doubting = DOUBTING.iter().any(|lead| {
        let pat = format!(" {lead} ");
        w.match_indices(&pat).any(|(i, _)| {
            w[i + pat.len()..]
                .split_whitespace()
                .next()
                .is_some_and(|verb| DOING.contains(&verb))
        })
    });
    if doubting {
        return Some("can_do");
    }
    // "Will Alex actually see a message …", "does he even get my messages?".
    let boss = executive
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    const SEEING: &[&str] = &["see", "get", "read", "hear", "check", "receive", "listen"];
    let words: Vec<&str> = w.split_whitespace().collect();
    let about_message = words.iter().any(|x| matches!(*x, "message" | "messages"));
    let seen = words.windows(2).enumerate().any(|(k, pair)| {
        let asks = matches!(pair[0], "will" | "would" | "does" | "do" | "can");
        let who = pair[1] == boss || matches!(pair[1], "he" | "she" | "they");
        asks && who && {
            let rest = &words[k + 2..];
            rest.iter()
                .take(3)
                .position(|x| SEEING.contains(x))
                .is_some_and(|at| {
                    rest[..at].iter().all(|x| {
                        matches!(*x, "actually" | "really" | "even" | "ever" | "definitely")
                    })
                })
        }
    });
    (about_message && seen).then_some("message_seen")
}

/// Whether `sentence` asks about the question just put rather than answering it: whether the
/// answer matters or must be given, or why it is wanted ("Does it matter?", "Uh, do I have to
/// say?", "Why do you need that?", "Is that necessary?").
pub fn questions_the_question(sentence: &str) -> bool {
    const ASKS: &[&str] = &[
        "does it matter",
        "does that matter",
        "would it matter",
        "do i have to say",
        "do i have to tell",
        "do i have to give",
        "do i need to say",
        "do i need to tell",
        "do i need to give",
        "have i got to say",
        "must i say",
        "why do you need",
        "why do you want to know",
        "why do you ask",
        "why does it matter",
        "why does that matter",
        "is that necessary",
        "is that really necessary",
        "is that required",
        "is that important",
        "do you need to know",
        "do you have to know",
        "do you really need",
    ];
    let w = fluent(&padded_words(sentence));
    sentence.trim_end().ends_with('?') && w.split_whitespace().count() <= 10 && any(&w, ASKS)
}

/// Whether the caller asks to hear the last question again: "sorry, what was that?", "could you
/// repeat that?", "pardon?", "you can repeat, please?", "read that once more, slowly".
pub fn asks_to_repeat(text: &str) -> bool {
    let w = padded_words(text);
    // A long utterance asks only when it ends asking ("Hmm, should I just leave a message
    // instead? No, no, let's book it. What was the question?"): the rest was an aside.
    let ends_asking = sentences(text)
        .last()
        .is_some_and(|s| s.ends_with('?') && any(&padded_words(s), CHECK_BACK));
    if (w.split_whitespace().count() > 16 && !ends_asking) || w.chars().any(|c| c.is_ascii_digit())
    {
        return false;
    }
    // "Sorry, what was that? Oh, my name, Tomasz Kowalczyk.": asked, then answered in the
    // same breath; what follows the last request to repeat is the answer.
    (any(&w, CHECK_BACK) || any(&w, &["once more", "one more time"]))
        && answer_after_check_back(text).is_none()
}

/// The sentences of `text` as whisper ended them (full stop, question or exclamation mark),
/// trimmed, empty ones left out.
pub fn sentences(text: &str) -> Vec<&str> {
    text.split_inclusive(['.', '?', '!'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The clauses of `text`: its sentences cut again at commas, semicolons and "but", trimmed,
/// empty ones left out ("So I was at the office today and, long story, but …").
pub fn clauses(text: &str) -> Vec<&str> {
    text.split(['.', '?', '!', ',', ';'])
        .flat_map(|s| s.split(" but "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether `sentence` tells what happened rather than what the caller wants: each of its
/// clauses that names a day or time (`dated`) has a person ("I", "we", "they", …) with a verb
/// in the past right after, or one word after ("I was at the office today", "we met on
/// Tuesday", "they finally signed Monday"), and the sentence has no word of wishing or of a
/// time still to come ("I was hoping to meet Tuesday", "we wanted to", "could", "free",
/// "tomorrow", "next"; "I called about Tuesday, is that still possible?"). A day said so is
/// when something happened, not a meeting asked for. `false` when no clause names a day.
pub fn told_as_past(sentence: &str, dated: impl Fn(&str) -> bool) -> bool {
    const PERSONS: &[&str] = &["i", "we", "he", "she", "they", "it", "you", "there"];
    const PAST: &[&str] = &[
        "was", "were", "had", "did", "met", "went", "came", "saw", "got", "spoke", "sent", "left",
        "told", "said", "ran", "made", "took", "gave", "heard", "found", "brought", "bought",
        "sold", "won", "lost", "paid", "flew", "drove", "wrote", "began", "broke",
    ];
    // "-ed" words that are no past tense.
    const NOT_PAST: &[&str] = &[
        "need", "feed", "seed", "speed", "proceed", "succeed", "exceed", "indeed", "bleed", "breed",
    ];
    const WISHING: &[&str] = &[
        "hope",
        "hoping",
        "hoped",
        "want",
        "wanted",
        "wanting",
        "wish",
        "wished",
        "like",
        "love",
        "would",
        "could",
        "can",
        "may",
        "might",
        "will",
        "shall",
        "free",
        "available",
        "works",
        "work",
        "possible",
        "open",
        "need",
        "needed",
        "going",
        "gonna",
        "plan",
        "planning",
        "planned",
        "wondering",
        "wondered",
        "tomorrow",
        "next",
        "i'd",
        "we'd",
        "i'll",
        "we'll",
        "book",
        "schedule",
        "meet",
        "appointment",
    ];
    let words_of = |text: &str| fluent(&padded_words(text));
    if words_of(sentence)
        .split_whitespace()
        .any(|w| WISHING.contains(&w))
    {
        return false;
    }
    let past =
        |w: &str| PAST.contains(&w) || (w.len() > 4 && w.ends_with("ed") && !NOT_PAST.contains(&w));
    let told = |clause: &str| {
        let padded = words_of(clause);
        let words: Vec<&str> = padded.split_whitespace().collect();
        words
            .iter()
            .enumerate()
            .any(|(k, w)| PERSONS.contains(w) && words[k + 1..].iter().take(2).any(|v| past(v)))
    };
    let mut dated_clauses = clauses(sentence)
        .into_iter()
        .filter(|c| dated(c))
        .peekable();
    dated_clauses.peek().is_some() && dated_clauses.all(told)
}

/// How a caller asks to hear what was said again ("pardon?", "could you repeat that?").
const CHECK_BACK: &[&str] = &[
    "repeat",
    // The question lost in an aside: "No, let's book it. What was the question?"
    "what was the question",
    "what was your question",
    "what's the question",
    "what did you ask",
    "pardon",
    "what was that",
    "come again",
    "say that again",
    "say it again",
    "didn't catch that",
    "didn't hear that",
    "didn't hear you",
];

/// Whether the caller asks the agent to wait, then to go on ("Wait, let me get a pen. Okay, go
/// ahead.", "Hang on. Right, shoot.", "One sec, I'm ready now"): they were not listening, so
/// what was said is said again; no answer. Not with a yes or a no in it ("Hold on, yes, that's
/// right").
pub fn waits_then_goes_on(text: &str) -> bool {
    const WAIT: &[&str] = &[
        "wait",
        "hold on",
        "hang on",
        "one sec",
        "one second",
        "just a sec",
        "just a second",
        "a moment",
        "get a pen",
        "grab a pen",
        "find a pen",
        "get something to write",
    ];
    const GO_ON: &[&str] = &[
        "go ahead",
        "go on",
        "carry on",
        "shoot",
        "fire away",
        "i'm ready",
        "ready now",
        "okay ready",
    ];
    const ANSWER: &[&str] = &[
        "yes",
        "yeah",
        "yep",
        "no",
        "nope",
        "correct",
        "that's right",
        "is right",
        "sounds right",
        "wrong",
        "perfect",
        "fine",
    ];
    let w = padded_words(text);
    let Some(wait) = WAIT.iter().filter_map(|p| w.find(&format!(" {p} "))).min() else {
        return false;
    };
    let after = &w[wait..];
    any(after, GO_ON) && !any(&w, ANSWER)
}

/// What a caller says after asking to hear the question again, in the same breath: "Sorry,
/// what was that? Oh, my name, Tomasz Kowalczyk." is "Oh, my name, Tomasz Kowalczyk."; `None`
/// when nothing of weight follows the last such request (or there is none).
pub fn answer_after_check_back(text: &str) -> Option<String> {
    let sentences: Vec<&str> = text.split_inclusive(['.', '?', '!']).collect();
    let last = sentences
        .iter()
        .rposition(|s| s.trim_end().ends_with('?') && any(&padded_words(s), CHECK_BACK))?;
    let rest = sentences[last + 1..].concat();
    (content_words(&rest) >= 2).then(|| rest.trim().to_string())
}

/// "Someone" means a person only when the caller wants to reach them ("talk to someone",
/// "is there someone I can speak with"), not "I'm calling for someone".
fn asks_for_someone(w: &str) -> bool {
    let reach = [
        "speak",
        "talk",
        "transfer",
        "connect",
        "put me through",
        "get me",
        "get a",
        "reach",
        "operator",
        "human",
        "representative",
        "real person",
        "live person",
        // "Could I have a word with someone?"
        "a word with",
    ];
    reach.iter().any(|r| w.contains(&format!(" {r}")))
}

/// Which of `n` offered choices the caller picked ("the first one", "the second", "the later
/// one", "either", "option 2"), by position; `None` when they did not pick by position.
pub fn choice(text: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return None;
    }
    let w = padded_words(text);
    let picks: [(&[&str], usize); 4] = [
        (
            &[
                "first",
                "1st",
                "earlier",
                "earliest",
                "option one",
                "option 1",
                "number one",
                "former",
                "either",
                "either one",
                "any",
                "whichever",
            ],
            0,
        ),
        (
            &["second", "2nd", "option two", "option 2", "number two"],
            1,
        ),
        (&["third", "3rd", "option three", "option 3"], 2),
        (&["later", "latter", "last", "last one", "latest"], n - 1),
    ];
    for (words, i) in picks {
        if any(&w, words) && i < n {
            return Some(i);
        }
    }
    None
}

/// A clock time said while choosing among offered times, as whisper writes it: "9am", "9 a.m.",
/// "the 9", "9:30", "930", "9-ish", "nine thirty", "the nine thirty one" (the 9:30 one),
/// "half past nine", "the half past". The hour (1 to 12, none for "the half past"), the minute
/// when said, and whether it is after noon when said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ClockSaid {
    hour: Option<u32>,
    minute: Option<u32>,
    pm: Option<bool>,
}

fn hour_word(w: &str) -> Option<u32> {
    const HOURS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    HOURS.iter().position(|h| *h == w).map(|i| i as u32 + 1)
}

fn minute_words(words: &[&str]) -> Option<(u32, usize)> {
    Some(match words {
        ["o'clock" | "oclock", ..] => (0, 1),
        ["forty", "five", ..] => (45, 2),
        ["fifteen", ..] => (15, 1),
        ["thirty", ..] => (30, 1),
        ["forty-five" | "fortyfive", ..] => (45, 1),
        _ => return None,
    })
}

/// The clock times `text` says, read loosely (for matching offered times only).
fn clocks_said(text: &str) -> Vec<ClockSaid> {
    let lower = text
        .to_lowercase()
        .replace("a.m.", "am")
        .replace("p.m.", "pm");
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '?' | '!' | ';'))
        .map(|w| w.trim_end_matches('.').trim_end_matches("-ish"))
        .filter(|w| !w.is_empty())
        .collect();
    let meridiem = |w: Option<&&str>| match w.copied() {
        Some("am" | "morning") => Some(false),
        Some("pm" | "afternoon" | "evening") => Some(true),
        _ => None,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        // "half past (nine)", "quarter past nine".
        if matches!(w, "half" | "quarter") && words.get(i + 1) == Some(&"past") {
            let minute = if w == "half" { 30 } else { 15 };
            let hour = words
                .get(i + 2)
                .and_then(|h| hour_word(h).or_else(|| h.parse().ok()))
                .filter(|h| (1..=12).contains(h));
            let skip = if hour.is_some() { 3 } else { 2 };
            out.push(ClockSaid {
                hour,
                minute: Some(minute),
                pm: meridiem(words.get(i + skip)),
            });
            i += skip;
            continue;
        }
        // Digits: "9", "9am", "9:30", "9.30", "930", "9:30pm".
        let (digits, suffix) =
            w.split_at(w.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(w.len()));
        let pm_suffix = match suffix {
            _ if digits.is_empty() => None,
            "" => None,
            "am" => Some(false),
            "pm" => Some(true),
            _ => {
                i += 1;
                continue;
            }
        };
        let clock = if digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
            && digits.starts_with(|c: char| c.is_ascii_digit())
        {
            let parts: Vec<&str> = digits.split([':', '.']).collect();
            let (h, m) = match parts.as_slice() {
                [h] if h.len() >= 3 => {
                    let (a, b) = h.split_at(h.len() - 2);
                    (a.parse().ok(), b.parse().ok())
                }
                [h] => (h.parse().ok(), None),
                [h, m] if m.len() == 2 => (h.parse().ok(), m.parse().ok()),
                _ => (None, None),
            };
            h.filter(|h: &u32| (1..=12).contains(h))
                .filter(|_| m.is_none_or(|m: u32| m < 60))
                .map(|h| (h, m, 1))
        } else {
            // "nine thirty", "one o'clock"; a bare "one" is the pronoun ("the 9:30 one")
            // unless a time follows it or "at" comes before.
            hour_word(w).and_then(|h| {
                let m = minute_words(&words[i + 1..]);
                let marked = m.is_some()
                    || meridiem(words.get(i + 1)).is_some()
                    || (i > 0 && words[i - 1] == "at");
                (h != 1 || marked).then(|| (h, m.map(|m| m.0), 1 + m.map_or(0, |m| m.1)))
            })
        };
        match clock {
            Some((h, m, used)) => {
                let pm = pm_suffix.or_else(|| meridiem(words.get(i + used)));
                out.push(ClockSaid {
                    hour: Some(h),
                    minute: m,
                    pm,
                });
                i += used;
            }
            None => i += 1,
        }
    }
    out
}

/// Which of the offered times the caller named by its clock time ("Go for the 9am", "the 9",
/// "nine thirty one", "the half past"), each offered time given as the clock times it may be
/// called by (the executive's and the caller's). `None` when no time said picks exactly one.
/// An hour alone is the offered time on the hour when one is ("the 9" of 9 and 9:30).
pub fn offered_time(text: &str, offered: &[Vec<chrono::NaiveTime>]) -> Option<usize> {
    use chrono::Timelike;
    let fits = |c: &ClockSaid, t: &chrono::NaiveTime, on_the_hour: bool| {
        c.hour.is_none_or(|h| h % 12 == t.hour() % 12)
            && c.pm.is_none_or(|pm| pm == (t.hour() >= 12))
            && match c.minute {
                Some(m) => m == t.minute(),
                None => !on_the_hour || t.minute() == 0,
            }
    };
    let mut picked: Option<usize> = None;
    for c in clocks_said(text) {
        if c.hour.is_none() && c.minute.is_none() {
            continue;
        }
        let matching = |on_the_hour: bool| -> Vec<usize> {
            (0..offered.len())
                .filter(|&i| offered[i].iter().any(|t| fits(&c, t, on_the_hour)))
                .collect()
        };
        let hits = match matching(true).as_slice() {
            [one] => vec![*one],
            _ => matching(false),
        };
        match (hits.as_slice(), picked) {
            ([one], None) => picked = Some(*one),
            ([one], Some(p)) if *one == p => {}
            ([_], Some(_)) => return None,
            _ => {}
        }
    }
    picked
}

/// Whether `text` names a day in words a clock time is not: a weekday, a month, "today",
/// "tomorrow", or an ordinal ("the 14th"). "The 9" of offered times is an hour.
pub fn names_a_day(text: &str) -> bool {
    use crate::logic::timeparse::{month_of, weekday_of};
    let lower = text.to_lowercase();
    lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        weekday_of(w, true).is_some()
            || month_of(w).is_some()
            || matches!(w, "today" | "tomorrow" | "tonight" | "week")
            || (w.len() >= 3
                && w.starts_with(|c: char| c.is_ascii_digit())
                && ["st", "nd", "rd", "th"].iter().any(|s| w.ends_with(s)))
    })
}

/// The words try to say a clock time that did not survive the line: "at" followed by a word
/// that is no time ("tomorrow at you.", "Friday at to"), as whisper writes a short "two" or
/// "ten" it half heard. Only read when no time was understood. "At all", "at least", "at any
/// time" and the like say no time.
pub fn time_lost(text: &str) -> bool {
    const NOT_A_TIME: &[&str] = &[
        "all", "least", "most", "once", "any", "anytime", "some", "latest", "earliest", "your",
        "a", "an",
    ];
    let padded = padded_words(text);
    let words: Vec<&str> = padded.split_whitespace().collect();
    (0..words.len()).any(|i| {
        if words[i] != "at" {
            return false;
        }
        match (words.get(i + 1), words.get(i + 2)) {
            (None, _) => true,
            (Some(&"the"), Some(next)) if NOT_A_TIME.contains(next) => false,
            (Some(next), _) => !NOT_A_TIME.contains(next),
        }
    })
}

/// A meeting under way given up for a message: "No, just a message for Alex", "Actually, I'd
/// rather leave a message", "Can I leave a message instead?", "forget the meeting, I'll just
/// leave Alex a message". The words ask for a message ([`intent`]) and say it replaces what was
/// under way ("just", "instead", "rather", "only", or a "no" or "actually" before it). A topic
/// or a time that only mentions a message ("it's about the message we sent the board") is
/// none: the message words come before any "about".
pub fn prefers_message(text: &str, assistant: &str, executive: &str) -> bool {
    let w = fluent(&padded_words(text));
    let Some(at) = MESSAGE
        .iter()
        .filter_map(|m| w.find(&format!(" {m} ")))
        .min()
    else {
        return false;
    };
    let before = &w[..=at];
    let about = [
        "about",
        "regarding",
        "concerning",
        "after",
        "before",
        "when",
        "once",
    ]
    .iter()
    .any(|t| before.contains(&format!(" {t} ")));
    // "That's all" beside the switch is no goodbye: the message is what is left to do.
    let asked = intent(&w.replace(" that's all ", " "), assistant, executive);
    !about
        && asked == Some(Intent::Message)
        && (any(&w, &["just", "instead", "rather", "only"])
            || any(before, &["no", "actually", "forget"]))
}

/// The caller points at a time the agent offered ("the first one you mentioned", "the time you
/// said").
pub fn refers_to_offer(text: &str) -> bool {
    any(
        &padded_words(text),
        &[
            "you mentioned",
            "you said",
            "you offered",
            "you suggested",
            "you just said",
            "you gave",
        ],
    )
}

/// The caller is done with the call ("that's all", "never mind", "bye"), whatever was asked.
/// "That's all correct" or "that's all right" says what was read is right, not goodbye.
pub fn wants_to_end(text: &str) -> bool {
    any(
        &without_thanks(text, &without_all_right(&padded_words(text))),
        &[
            "that's all",
            "that is all",
            "bye",
            "goodbye",
            "good bye",
            "nothing else",
            "never mind",
            "forget it",
            "that'll be all",
            "that's everything",
            "that is everything",
            "all set",
            "cheers",
        ],
    )
}

/// `w` (padded words of `text`) without "cheers" where it is thanks, not goodbye: beside an
/// assent ("Spot on, cheers.") or in a turn that says more ("Brilliant, cheers. There's one
/// other thing: …"). Alone, or beside a closing ("Cheers, bye."), it stays.
fn without_thanks(text: &str, w: &str) -> String {
    if !w.contains(" cheers ") {
        return w.to_string();
    }
    let rest = w.replace(" cheers ", " ");
    let says_more = content_words(&rest) > 3;
    if yes_no(text) == YesNo::Yes || says_more {
        rest
    } else {
        w.to_string()
    }
}

/// "Cheers" beside an answer ("Seo-yeon Choi, cheers.", whisper's "You don't try cheers."):
/// thanks for the question, not goodbye, when nothing else in the words closes the call.
pub fn thanks_beside_an_answer(text: &str) -> bool {
    let w = padded_words(text);
    if !w.contains(" cheers ") {
        return false;
    }
    let rest = w.replace(" cheers ", " ");
    content_words(&rest) >= 1 && !wants_to_end(&rest)
}

/// `w` (padded words) without "that's all" where it leads an assent ("that's all correct",
/// "that is all right", "that's all good"): it judges what was read, it does not close.
fn without_all_right(w: &str) -> String {
    let mut out = w.to_string();
    for lead in ["that's all", "that is all", "thats all"] {
        for judge in [
            "correct", "right", "good", "fine", "true", "accurate", "perfect", "spot",
        ] {
            out = out.replace(&format!(" {lead} {judge} "), &format!(" all {judge} "));
        }
    }
    out
}

/// The caller wants something later than offered ("no, later", "something after that").
pub fn wants_later(text: &str) -> bool {
    any(
        &padded_words(text),
        &["later", "after that", "afterwards", "later on", "too early"],
    )
}

/// The caller wants something earlier than offered.
pub fn wants_earlier(text: &str) -> bool {
    any(
        &padded_words(text),
        &["earlier", "before that", "sooner", "too late"],
    )
}

const STOP: &[&str] = &[
    "a", "an", "the", "i", "i'm", "im", "me", "my", "you", "your", "is", "it", "it's", "to", "of",
    "and", "or", "uh", "um", "er", "oh", "so", "well", "hi", "hello", "hey", "yes", "yeah", "no",
    "ok", "okay", "please", "thanks", "thank", "just", "what", "sorry", "huh", "hm", "hmm", "mm",
    "mhm", "that", "this", "be", "was", "are", "am", "do", "can", "could", "would", "there",
];

/// Whether the caller is saying what their name is ("No, my name is …", "the name's …", "I
/// said my name was …", "the name should be …"), whether or not the name itself was heard as
/// one.
pub fn corrects_name(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "my name",
        "name is",
        "name's",
        "name was",
        "name should be",
        "name must be",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

/// How many words carry meaning (not fillers or function words).
pub fn content_words(text: &str) -> usize {
    padded_words(text)
        .split_whitespace()
        .filter(|w| !STOP.contains(w))
        .count()
}

/// The words without days and times, for questions about the office: "are you open on
/// Saturday?" asks about opening hours, "what about Monday morning?" asks about nothing the FAQ
/// knows.
pub fn without_dates(text: &str) -> String {
    const DATE_WORDS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mondays",
        "tuesdays",
        "wednesdays",
        "thursdays",
        "fridays",
        "saturdays",
        "sundays",
        "today",
        "tomorrow",
        "tonight",
        "morning",
        "afternoon",
        "evening",
        "night",
        "week",
        "weekend",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "am",
        "pm",
        "noon",
        "midnight",
        "o'clock",
    ];
    // A dropped word leaves its punctuation behind, so clauses stay apart ("next week, what's
    // the address?" → ", what's the address?").
    text.split_whitespace()
        .map(|w| {
            let bare = w
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                .to_lowercase();
            if DATE_WORDS.contains(&bare.as_str()) || bare.starts_with(|c: char| c.is_ascii_digit())
            {
                w.trim_start_matches(|c: char| c.is_alphanumeric() || c == '\'' || c == ':')
                    .to_string()
            } else {
                w.to_string()
            }
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` lower-cased wherever that keeps the character's byte length, so that an offset
/// found in the copy is an offset in `text`: "İ" (whose lower case is two characters) and the
/// Kelvin sign (whose lower case is shorter) stay as they are.
pub(crate) fn lower_keeping_offsets(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut low = c.to_lowercase();
            match (low.next(), low.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        })
        .collect()
}

/// What a meeting is about, when the caller said it: the words after "about", "to discuss",
/// "regarding", … ("a meeting about the Q3 budget" → "the Q3 budget"), up to the sentence's end.
pub fn topic(text: &str) -> Option<String> {
    // A space ahead, so a lead opens the answer too ("About the distribution deal."); offsets
    // in `lower` are one past those in `text`.
    let lower = format!(" {}", lower_keeping_offsets(text));
    let leads = [
        " to talk about ",
        " to discuss ",
        " to go over ",
        " to review ",
        " regarding ",
        " concerning ",
        " about ",
        " re ",
        " on the subject of ",
        " for the ",
    ];
    // "Thinking about this and …", "sorry about that": a lead before a pronoun leads no topic.
    let (i, lead) = leads
        .iter()
        .flat_map(|l| {
            lower
                .match_indices(l)
                .map(|(i, _)| (i, *l))
                .collect::<Vec<_>>()
        })
        .filter(|(i, l)| {
            let next = lower[i + l.len()..].split_whitespace().next().unwrap_or("");
            !NOT_A_TOPIC.contains(&next.trim_matches(|c: char| !c.is_alphanumeric()))
        })
        .min_by_key(|(i, _)| *i)?;
    let rest = &text[i + lead.len() - 1..];
    let end = rest.find(['.', '?', '!', ';']).unwrap_or(rest.len());
    let topic = rest[..end].trim().trim_end_matches(',');
    // "about 3 pm" is a time, not a topic.
    let first = topic.split_whitespace().next().unwrap_or("");
    if topic.is_empty()
        || first.starts_with(|c: char| c.is_ascii_digit())
        || content_words(topic) == 0
    {
        return None;
    }
    Some(topic.to_string())
}

/// Whether the caller asked a question (a question mark, or a question word first).
pub fn is_question(text: &str) -> bool {
    let t = text.trim();
    if t.ends_with('?') {
        return true;
    }
    let w = padded_words(t);
    let lead = w.split_whitespace().find(|x| {
        ![
            "so", "um", "uh", "and", "hi", "hello", "okay", "ok", "yeah", "well",
        ]
        .contains(x)
    });
    matches!(
        lead,
        Some(
            "what"
                | "where"
                | "when"
                | "how"
                | "who"
                | "why"
                | "which"
                | "is"
                | "are"
                | "do"
                | "does"
                | "can"
                | "could"
                | "will"
                | "would"
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_follows_its_lead_wherever_it_stands() {
        for (text, want) in [
            (
                "About the distribution deal.",
                Some("the distribution deal"),
            ),
            (
                "Regarding the audit, if possible.",
                Some("the audit, if possible"),
            ),
            (
                "I'd like a meeting about the Q3 budget.",
                Some("the Q3 budget"),
            ),
            ("To discuss the lease renewal.", Some("the lease renewal")),
            ("About 3 pm.", None),
            ("Tuesday at 3pm my time, London time.", None),
        ] {
            assert_eq!(topic(text).as_deref(), want, "{text:?}");
        }
    }

    fn name(text: &str) -> Option<(String, Option<String>)> {
        extract_name(text).map(|n| (n.name, n.company))
    }

    type NameCase<'a> = (&'a str, Option<(&'a str, Option<&'a str>)>);

    #[test]
    fn names_as_heard() {
        let cases: &[NameCase] = &[
            (
                "Hi, this is Jordan Lee from Acme Corp. I'd like to leave a message.",
                Some(("Jordan Lee", Some("Acme Corp"))),
            ),
            ("My name is Priya Patel.", Some(("Priya Patel", None))),
            ("my name is sam", Some(("Sam", None))),
            ("It's Dana.", Some(("Dana", None))),
            ("Jordan Lee.", Some(("Jordan Lee", None))),
            (
                "Jordan Lee from Contoso.",
                Some(("Jordan Lee", Some("Contoso"))),
            ),
            ("Chris Wong speaking.", Some(("Chris Wong", None))),
            ("Yeah, Jordan.", Some(("Jordan", None))),
            ("Um, Dana Kim here.", Some(("Dana Kim", None))),
            ("Sure. It's Sam Rivera.", Some(("Sam Rivera", None))),
            ("I'm calling about the contract.", None),
            ("I'd like to leave a message for Alex.", None),
            ("Yes.", None),
        ];
        for (text, want) in cases {
            let want = want.map(|(n, c)| (n.to_string(), c.map(str::to_string)));
            assert_eq!(name(text), want, "{text}");
        }
    }

    #[test]
    fn phone_numbers_as_heard() {
        let cases = [
            ("617-555-0123", Some("+16175550123")),
            ("It's 6175550123.", Some("+16175550123")),
            (
                "six one seven, five five five, zero one two three",
                Some("+16175550123"),
            ),
            ("6 1 7 5 5 5 0 1 2 3", Some("+16175550123")),
            ("617 555 oh one two three", Some("+16175550123")),
            (
                "six one seven double five five zero one two three",
                Some("+16175550123"),
            ),
            ("1 617 555 0123", Some("+16175550123")),
            (
                "It's six one seven, five five five, zero one zero three. Sorry, no, let me say that again: 617-555-0130.",
                Some("+16175550130"),
            ),
            (
                "Yes, one more thing. I want to make an appointment. Maybe on the 30th of November at 3:30 PM?",
                None,
            ),
            ("I want to talk to Alex", None),
            ("call me back", None),
            // Whisper wrote "oh one one oh" as the number 110: the zero put back (the number
            // is read back before it is kept).
            ("It's area code 857, then 555 110.", Some("+18575550110")),
            ("You can reach me at 212, 555, 127.", Some("+12125550127")),
            ("No, please call me on 212, 555-127.", Some("+12125550127")),
            ("617-555-012", Some("+16175550012")),
            // Digits lost elsewhere, or not three groups of three: asked again.
            ("212-550127.", None),
            ("617 55501.", None),
            ("212 555 12", None),
            ("555 0110", Some("5550110")),
            // A digit said three times written four times.
            ("415-5555 0191.", Some("+14155550191")),
            ("41555550191", None),
            ("415 555 0191 2", None),
        ];
        for (text, want) in cases {
            assert_eq!(extract_phone(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn withheld_caller_ids_are_not_offered() {
        assert_eq!(
            usable_caller_id("+16175550123").as_deref(),
            Some("+16175550123")
        );
        for id in ["anonymous", "+266696687", "Restricted", "", "+1"] {
            assert_eq!(usable_caller_id(id), None, "{id}");
        }
    }

    #[test]
    fn numbers_are_read_back_in_groups() {
        assert_eq!(spoken_number("+16175550123"), "6 1 7, 5 5 5, 0 1 2 3");
        assert_eq!(spoken_number("5550123"), "5 5 5, 0 1 2, 3");
    }

    #[test]
    fn yes_and_no_as_heard() {
        for y in [
            "Yes.",
            "Yeah, that's right.",
            "Yep",
            "Sure.",
            "That works.",
            "Correct.",
            "Okay, sounds good.",
            "Um, yes please.",
            "Sure, that works for me.",
            "I think so, yes.",
        ] {
            assert_eq!(yes_no(y), YesNo::Yes, "{y}");
        }
        for n in [
            "No.",
            "Nope.",
            "No, that's wrong.",
            "That's not right.",
            "No, change it.",
        ] {
            assert_eq!(yes_no(n), YesNo::No, "{n}");
        }
        for u in [
            "Hmm.",
            "What?",
            "The blue one.",
            "There's an emergency. Our servers are down right now.",
            "Please call me right away, the whole site is offline.",
            "I'm not sure what the right number is for that office",
            "Yep not correct.",
            "Yeah that's wrong.",
        ] {
            assert_eq!(yes_no(u), YesNo::Unclear, "{u}");
        }
    }

    /// A hedge ("not quite", "not exactly") answers no; "mhm" answers yes.
    #[test]
    fn hedges_are_noes_and_murmurs_are_yeses() {
        for no in [
            "Not quite.",
            "Um, not exactly.",
            "Not really, no.",
            "Hmm, not quite right.",
        ] {
            assert_eq!(yes_no(no), YesNo::No, "{no}");
        }
        for yes in ["Mhm, correct.", "Mhm.", "Mmhmm, that's it."] {
            assert_eq!(yes_no(yes), YesNo::Yes, "{yes}");
        }
    }

    /// Assent in other words is a yes; "that's all correct" judges what was read back and
    /// closes nothing, while "that's all, thanks" still does.
    #[test]
    fn assent_in_other_words_is_a_yes_and_all_correct_is_no_closing() {
        for y in [
            "You got it.",
            "Uh-huh, that's it.",
            "Yup, spot on.",
            "That's all correct.",
            "That is all right, yes.",
            "Got it, go for it.",
            "Yeah, yes, that's all correct.",
        ] {
            assert_eq!(yes_no(y), YesNo::Yes, "{y}");
        }
        for y in [
            "That's all correct.",
            "Yeah, yes, that's all correct.",
            "That is all right.",
            "That's all good, thanks.",
        ] {
            assert!(!wants_to_end(y), "{y}");
            assert_ne!(
                intent(y, "Jamie Chen", "Alex Morgan"),
                Some(Intent::Done),
                "{y}"
            );
        }
        for bye in [
            "That's all, thanks.",
            "No, that's all.",
            "That is all for tonight.",
        ] {
            assert!(wants_to_end(bye), "{bye}");
        }
        assert_eq!(yes_no("You got it wrong."), YesNo::No);
    }

    /// A booking asked as a favour or a question is a booking, even beside which number to
    /// call back on; news for the executive with the same words is still a message.
    #[test]
    fn a_day_told_of_the_past_is_told_as_past() {
        for (sentence, past) in [
            (
                "So I was at the office today and the prototype passed.",
                true,
            ),
            ("We met on Tuesday at the conference.", true),
            ("They finally signed the lease Monday, and it's done.", true),
            ("I called on Friday, nobody answered.", true),
            // Wishing, or a day still to come, anywhere in the sentence.
            ("I was hoping to meet Tuesday.", false),
            ("I called about Tuesday, is that still possible?", false),
            ("We wanted Thursday at 10.", false),
            ("I was told to call tomorrow.", false),
            // No past, or no day.
            ("Tuesday at 3 for the audit.", false),
            ("Is Alex free on Monday?", false),
            ("I was at the office and the prototype passed.", false),
            ("I need Monday at 2.", false),
        ] {
            assert_eq!(told_as_past(sentence, names_a_day), past, "{sentence}");
        }
    }

    #[test]
    fn a_booking_asked_as_a_favour_or_a_question_is_a_booking() {
        for book in [
            "Any chance Alex could squeeze me in?",
            "Could Alex see me the 4th of December at 3:30, by any chance?",
            "Would Alex have a gap on Thursday the 10th, in the morning?",
            "Does Alex have any time next week?",
            "Is there any way you could fit me in with Alex on Friday?",
            "Could Alex see me on the 4th? The number I'm ringing from is fine for a call back.",
        ] {
            assert_eq!(
                intent(book, "Jamie Chen", "Alex Morgan"),
                Some(Intent::Book),
                "{book}"
            );
        }
        for message in [
            "Could you tell Alex the auditors want to see me on Friday?",
            "Please have Alex call me back, I'm on 617-555-0123.",
        ] {
            assert_eq!(
                intent(message, "Jamie Chen", "Alex Morgan"),
                Some(Intent::Message),
                "{message}"
            );
        }
    }

    /// The ways of saying there is nothing more are closings, whatever the words.
    #[test]
    fn closings_in_other_words_end_the_call() {
        for bye in [
            "That's everything, cheers.",
            "No, I'm all set, thank you.",
            "That is everything for now.",
            "Cheers, bye.",
            "Nope, that'll do.",
        ] {
            assert!(
                wants_to_end(bye) || intent(bye, "Jamie Chen", "Alex Morgan") == Some(Intent::Done),
                "{bye}"
            );
            assert_eq!(
                intent(bye, "Jamie Chen", "Alex Morgan"),
                Some(Intent::Done),
                "{bye}"
            );
        }
    }

    /// How to call back is a number, not a request to leave a message: the request beside it
    /// decides.
    #[test]
    fn a_callback_number_beside_a_request_is_not_a_message_request() {
        let cases = [
            ("Is there any way to get half an hour with Alex? Just call me back on the number I'm on now.", Some(Intent::Book)),
            ("I'd like some time with Alex next week. You can call me at 617-555-0123.", Some(Intent::Book)),
            ("Can I set something up with Alex? Call me on this number if not.", Some(Intent::Book)),
            ("Could Alex call me back tonight?", Some(Intent::Message)),
            ("Please have Alex call me back on 617-555-0123.", Some(Intent::Message)),
        ];
        for (text, want) in cases {
            assert_eq!(intent(text, "Jamie Chen", "Alex Morgan"), want, "{text}");
        }
    }

    /// Hoping to catch or get hold of the executive asks for them, not to book.
    #[test]
    fn catching_the_executive_asks_for_them() {
        for text in [
            "Hey there, I was hoping to catch Alex.",
            "Is there any way to get hold of Alex?",
            "I'm trying to get ahold of Alex.",
        ] {
            assert_eq!(
                intent(text, "Jamie Chen", "Alex Morgan"),
                Some(Intent::Executive),
                "{text}"
            );
        }
    }

    /// A request said with hesitations (fillers, a word said twice, a restart) or without the
    /// articles a learner drops is the same request.
    #[test]
    fn requests_said_hesitantly_or_without_articles() {
        for (text, want) in [
            (
                "I have a, um, a meeting with Alex, and I, I need to change the, the time.",
                Intent::Move,
            ),
            (
                "I have meeting with Alex and I need to change for other day.",
                Intent::Move,
            ),
            (
                "Can I move a meeting? I've got one with Alex.",
                Intent::Move,
            ),
            (
                "Uh, I, I'm afraid I can't, I can't come to my, my meeting, so, um, cancel it.",
                Intent::Cancel,
            ),
            (
                "I'd like, um, I'd like to make a, an appointment with Alex.",
                Intent::Book,
            ),
            (
                "Um, well, I, uh, I was hoping to, to leave a message for Alex.",
                Intent::Message,
            ),
        ] {
            assert_eq!(
                intent(text, "Jamie Chen", "Alex Morgan"),
                Some(want),
                "{text}"
            );
        }
    }

    /// Moving or cancelling is read from the verb said of the caller's own booking, in any of
    /// the verbs people use.
    #[test]
    fn moves_and_cancels_in_other_verbs() {
        let cases = [
            (
                "Hey, I've got a meeting with Alex I need to push.",
                Intent::Move,
            ),
            ("Can we shift my appointment to Friday?", Intent::Move),
            ("I need to bump the meeting by a day.", Intent::Move),
            (
                "I've a meeting with Alex and I need to shift it.",
                Intent::Move,
            ),
            (
                "We have an appointment on Friday, can it be pushed?",
                Intent::Move,
            ),
            ("I want to prepone my meeting with Alex.", Intent::Move),
            (
                "I had booked a call for Tuesday, could we bring it forward?",
                Intent::Move,
            ),
            ("Can we prepone it to Wednesday?", Intent::Move),
            (
                "Please scrap my meeting with Alex, something came up.",
                Intent::Cancel,
            ),
            ("Could you drop my appointment on Thursday?", Intent::Cancel),
            (
                "Take it off the calendar, my meeting on Friday, please.",
                Intent::Cancel,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(
                intent(text, "Jamie Chen", "Alex Morgan"),
                Some(want),
                "{text}"
            );
        }
        // Other words for the same: another time asked for the caller's own booking, or
        // leaving it.
        for (text, want) in [
            (
                "So I've got a meeting booked with Alex, and something's come up, could we find another time?",
                Intent::Move,
            ),
            (
                "I'm supposed to be seeing Alex on Friday, can we do another day?",
                Intent::Move,
            ),
            (
                "I have an appointment on Thursday and I need a new time for it.",
                Intent::Move,
            ),
            (
                "I have to bail on my meeting with Alex, sorry, can you take me off?",
                Intent::Cancel,
            ),
            ("I need to pull out of my meeting on Monday.", Intent::Cancel),
        ] {
            assert_eq!(
                intent(text, "Jamie Chen", "Alex Morgan"),
                Some(want),
                "{text}"
            );
        }
        // Another time without a booking of one's own is a new booking.
        assert_eq!(
            intent(
                "Could I book another time with Alex next week?",
                "Jamie Chen",
                "Alex Morgan"
            ),
            Some(Intent::Book)
        );
        // The verb alone, or of something else, moves nothing.
        assert_ne!(
            intent(
                "Tell Alex the shipment is pushed to Friday.",
                "Jamie Chen",
                "Alex Morgan"
            ),
            Some(Intent::Move)
        );
    }

    /// Asking for anyone at all is asking for a person; wanting the executive to hear or know
    /// something is a message.
    #[test]
    fn anybody_is_a_person_and_needing_alex_to_hear_is_a_message() {
        for text in [
            "Is there anybody there I could actually talk to?",
            "Can I talk to anyone tonight?",
        ] {
            assert_eq!(
                intent(text, "Jamie Chen", "Alex Morgan"),
                Some(Intent::Person),
                "{text}"
            );
        }
        for text in [
            "So basically I just need Alex to hear that the visit is off.",
            "I want Alex to know the lease is signed.",
            "Just make sure Alex knows the keys are with the concierge.",
        ] {
            assert_eq!(
                intent(text, "Jamie Chen", "Alex Morgan"),
                Some(Intent::Message),
                "{text}"
            );
        }
    }

    /// A topic's lead before a pronoun ("thinking about this", "sorry about that", "we talked
    /// about it") tells what the caller did; the request after it is still a request, and the
    /// topic is what a later lead names.
    #[test]
    fn a_lead_before_a_pronoun_leads_no_topic() {
        for text in [
            "Long story short, I was on the train thinking about this and, um, I think I need to get a meeting with Alex.",
            "Sorry about that, I'd like to sit down with Alex next week.",
            "We talked about it last week, so can I get some time with Alex?",
            "I've been worrying about everything, I need a meeting with Alex.",
        ] {
            assert_eq!(
                intent(text, "Jamie Chen", "Alex Morgan"),
                Some(Intent::Book),
                "{text}"
            );
        }
        assert_eq!(
            topic("I was thinking about this and I need a meeting about the budget."),
            Some("the budget".to_string())
        );
        assert_eq!(topic("Sorry about that. Thanks."), None);
        // A lead before a topic still holds the booking words inside it.
        assert_eq!(
            intent(
                "Could Alex call me about the board meeting?",
                "Jamie Chen",
                "Alex Morgan"
            ),
            Some(Intent::Message)
        );
        assert_eq!(
            topic("Sorry about that. It's about the lease."),
            Some("the lease".to_string())
        );
    }

    /// A courtesy title before the executive's name ("Mr. Alex", "Mister Alex") is the
    /// executive named: a learner's "please you tell Mr. Alex that …" is a message.
    #[test]
    fn a_title_before_the_executives_name_is_the_name() {
        for text in [
            "Also I have one more thing. Please you tell Mr. Alex that the supplier visit is pushed to Thursday.",
            "Kindly let Mr. Alex know the shipment arrived.",
            "Please ask Mister Alex to ring me.",
            "Can you tell Ms. Alex that the keys are at reception?",
        ] {
            assert_eq!(
                intent(text, "Jamie Chen", "Alex Morgan"),
                Some(Intent::Message),
                "{text}"
            );
        }
        // Another's title is left alone, and a title changes nothing the name alone would not.
        for (text, want) in [
            (
                "Mr. Brown asked me to book a meeting with Alex.",
                Some(Intent::Book),
            ),
            ("Is Mr. Alex around tonight?", Some(Intent::Executive)),
            ("Mr. Smith here, it's about nothing much.", None),
        ] {
            assert_eq!(intent(text, "Jamie Chen", "Alex Morgan"), want, "{text}");
        }
    }

    /// A booking held in the progressive ("I am having meeting with Alex") is the caller's own,
    /// and a new date asked for it moves it.
    #[test]
    fn a_booking_held_in_the_progressive_or_given_a_new_date_moves() {
        for text in [
            "I am having meeting with Mr. Alex, I need to change it to other day.",
            "I'm having a meeting with Alex on Friday, can we find another date?",
            "We are having an appointment Thursday and it needs a new date.",
            "My meeting with Alex needs a new date.",
        ] {
            assert_eq!(
                intent(text, "Jamie Chen", "Alex Morgan"),
                Some(Intent::Move),
                "{text}"
            );
        }
        for (text, want) in [
            (
                "I'm having a great week, can I book a meeting with Alex?",
                Some(Intent::Book),
            ),
            (
                "Could I book a new date with Alex next week?",
                Some(Intent::Book),
            ),
        ] {
            assert_eq!(intent(text, "Jamie Chen", "Alex Morgan"), want, "{text}");
        }
        assert_ne!(
            intent(
                "Tell Alex the launch meeting has a new date.",
                "Jamie Chen",
                "Alex Morgan"
            ),
            Some(Intent::Move)
        );
    }

    /// A sentence that only names a booking ("Meeting with Alex.") names no new one.
    #[test]
    fn a_sentence_that_only_names_a_booking() {
        for text in [
            "Meeting with Alex.",
            "Hi. Meeting with Mr. Alex.",
            "My appointment on Friday at 3.",
            "The meeting on Tuesday 1st.",
        ] {
            assert!(only_names_a_booking(text, "Alex Morgan"), "{text}");
        }
        for text in [
            "I'd like a new meeting with Alex.",
            "Book a meeting with Alex.",
            "Meeting about the budget.",
            "Cancel.",
        ] {
            assert!(!only_names_a_booking(text, "Alex Morgan"), "{text}");
        }
    }
}
