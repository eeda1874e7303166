//! Callers' names as whisper writes them: introductions ("This is Morgan Reyes from Northwind"),
//! bare answers ("Siobhan."), spelled letters ("S-I-O-B-H-A-N", "S as in Sam, I, O…"),
//! returning callers ("it's Priya again"), and whether two spellings are one person.
//!
//! Names may be of any origin and may look like common words (Will, Grace, Dang Van Minh), so
//! a word is a name by its place in the sentence, not by a dictionary. No staff name is special
//! here: "This is Morgan Reyes" is a caller even when the executive is Alex Morgan, and asking
//! for someone ("I'd like to speak to Alex Morgan", "is Alex there?") is never an introduction,
//! by its framing.
//!
//! Text is read as words (tokens cut from the transcript itself); offsets found in a lowercased
//! copy are never used to slice the original, so any input is safe. Pure: no IO.

use rphonetic::DoubleMetaphone;

/// A caller's name and, when they said it, their company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFound {
    /// The name as heard (or spelled), each word capitalised: "Morgan Reyes", "Ji-woo Park".
    pub name: String,
    /// The company they said they are from or with: "Acme Health", "the Globe".
    pub company: Option<String>,
    /// The caller says they called before ("it's Priya again", "it's me, Priya").
    pub returning: bool,
    /// At least one word of the name was spelled out letter by letter (that spelling is used).
    pub spelled: bool,
}

/// One whitespace-separated word of the transcript.
#[derive(Debug, Clone)]
struct Tok {
    /// Without surrounding punctuation, as written (case kept).
    word: String,
    /// `word` lowercased (for comparison only, never for slicing).
    low: String,
    /// Ends a clause: the raw word ended with `,` `.` `!` `?` `;` `:`.
    ends_clause: bool,
    /// Ends a sentence: `.` `!` `?` `;`.
    ends_sentence: bool,
    /// Ends with a question mark.
    question: bool,
    /// Ends with a full stop.
    dot: bool,
    /// Part of a spelled-out run, already used.
    used: bool,
}

fn tokens(text: &str) -> Vec<Tok> {
    let text: String = text
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '`' => '\'',
            c => c,
        })
        .collect();
    let mut out: Vec<Tok> = Vec::new();
    for raw in text.split_whitespace() {
        let word = raw
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
            .trim_matches(|c: char| c == '\'' || c == '-');
        // A hesitation is no word of the sentence ("My name is, uh, Siobhan Gallagher"); the
        // pause it ends stays with the word before it.
        if HESITATIONS.contains(&word.to_lowercase().as_str()) {
            if let Some(prev) = out.last_mut() {
                prev.ends_clause |= raw.ends_with([',', '.', '!', '?', ';', ':']);
            }
            continue;
        }
        out.extend(token(raw, word));
    }
    out
}

/// Sounds a caller makes while thinking, never part of what they say.
const HESITATIONS: &[&str] = &["um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "mm"];

/// The token for one whitespace-separated piece of an utterance, `word` its letters.
fn token(raw: &str, word: &str) -> Option<Tok> {
    let last = raw.chars().last().unwrap_or(' ');
    let ends_sentence = matches!(last, '.' | '!' | '?' | ';')
        // "S.I.O.B.H.A.N." or "Dr." end in a dot without ending the sentence.
        && !(last == '.' && word.len() <= 2 && word.chars().all(char::is_alphabetic));
    let t = Tok {
        word: word.to_string(),
        low: word.to_lowercase(),
        ends_clause: matches!(last, ',' | '.' | '!' | '?' | ';' | ':'),
        ends_sentence,
        question: last == '?',
        dot: last == '.',
        used: false,
    };
    (!word.is_empty() || t.ends_clause).then_some(t)
}

/// Words a caller puts before an answer or an introduction.
const FILLERS: &[&str] = &[
    "yes",
    "yeah",
    "yep",
    "sure",
    "ok",
    "okay",
    "um",
    "uh",
    "er",
    "erm",
    "hi",
    "hello",
    "hey",
    "so",
    "well",
    "oh",
    "ah",
    "there",
    "good",
    "morning",
    "afternoon",
    "evening",
    "right",
];

/// Words that are never part of a name.
const NOT_NAME: &[&str] = &[
    "calling",
    "trying",
    "looking",
    "just",
    "here",
    "there",
    "again",
    "speaking",
    "from",
    "with",
    "and",
    "or",
    "but",
    "about",
    "a",
    "an",
    "the",
    "i",
    "i'm",
    "im",
    "i'd",
    "i'll",
    "i've",
    "me",
    "my",
    "mine",
    "your",
    "our",
    "his",
    "her",
    "their",
    "its",
    "it's",
    "it",
    "this",
    "that",
    "that's",
    "these",
    "those",
    "hi",
    "hello",
    "hey",
    "yes",
    "yeah",
    "yep",
    "no",
    "nope",
    "okay",
    "ok",
    "sure",
    "so",
    "well",
    "um",
    "uh",
    "er",
    "oh",
    "good",
    "morning",
    "evening",
    "afternoon",
    "night",
    "thanks",
    "thank",
    "you",
    "please",
    "sorry",
    "not",
    "would",
    "like",
    "want",
    "to",
    "leave",
    "message",
    "for",
    "need",
    "can",
    "could",
    "is",
    "was",
    "are",
    "am",
    "be",
    "been",
    "speak",
    "talk",
    "at",
    "in",
    "on",
    "of",
    "by",
    "as",
    "if",
    "who",
    "what",
    "when",
    "where",
    "why",
    "how",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "shall",
    "should",
    "we",
    "we're",
    "they",
    "he",
    "she",
    "him",
    "them",
    "us",
    "still",
    "also",
    "really",
    "actually",
    "back",
    "returning",
    "interested",
    "wondering",
    "hoping",
    "going",
    "gonna",
    "wanna",
    "glad",
    "fine",
    "great",
    "busy",
    "late",
    "never",
    "right",
    "correct",
    "wrong",
    "someone",
    "somebody",
    "anyone",
    "nobody",
    "nothing",
    "office",
    "number",
    "phone",
    "line",
    "regarding",
    "concerning",
    "re",
    "because",
    "since",
    "up",
    "out",
    "over",
    "off",
    "into",
    "today",
    "tomorrow",
    "tonight",
    "yesterday",
    "noon",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "september",
    "october",
    "november",
    "december",
    "o'clock",
    "pm",
    "available",
    "free",
    "urgent",
    "important",
    "all",
    "one",
    "only",
    "mister",
];

/// Titles before a name: dropped.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "doctor",
    "professor",
    "prof",
];

/// Lowercase words that may sit inside a name ("Maria de la Cruz", "Ludwig van Beethoven").
const PARTICLES: &[&str] = &[
    "de", "la", "del", "der", "den", "da", "di", "do", "dos", "das", "du", "van", "von", "bin",
    "ibn", "al", "el", "le", "ter", "ten", "y", "ben", "st",
];

/// Month names that are also given names: a name only when no date follows ("June 3rd").
const MONTH_NAMES: &[&str] = &["april", "may", "june", "july", "august"];

/// Nouns a possessive name is followed by when it is not the caller ("Alex Morgan's office").
fn is_name_word(t: &Tok) -> bool {
    !t.used
        && t.word.chars().next().is_some_and(char::is_alphabetic)
        && !NOT_NAME.contains(&t.low.as_str())
        && !t.word.chars().any(|c| c.is_ascii_digit())
}

fn starts_upper(t: &Tok) -> bool {
    t.word.chars().next().is_some_and(char::is_uppercase)
}

/// A name word as it is written down: the first letter capitalised, the rest as heard.
fn capitalise(w: &str) -> String {
    let mut cs = w.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().collect::<String>() + cs.as_str(),
        None => String::new(),
    }
}

/// Up to four name words from `toks[i..]`, stopping at punctuation or a word that is not a
/// name; returns the words and the index after them.
fn take_name(toks: &[Tok], mut i: usize) -> Option<(Vec<String>, usize)> {
    while toks
        .get(i)
        .is_some_and(|t| TITLES.contains(&t.low.as_str()) && !t.ends_sentence)
    {
        i += 1;
    }
    let mut words: Vec<String> = Vec::new();
    while let Some(t) = toks.get(i) {
        if words.len() == 4 || !is_name_word(t) {
            break;
        }
        let particle = PARTICLES.contains(&t.low.as_str()) && !starts_upper(t);
        if particle {
            // Only inside a name, before another name word ("de la Cruz").
            let mut k = i + 1;
            while toks.get(k).is_some_and(|n| {
                !n.ends_clause && PARTICLES.contains(&n.low.as_str()) && !starts_upper(n)
            }) {
                k += 1;
            }
            let next_is_name = !t.ends_clause
                && toks[i..k].iter().all(|n| !n.ends_clause)
                && toks
                    .get(k)
                    .is_some_and(|n| is_name_word(n) && starts_upper(n));
            if words.is_empty() || !next_is_name {
                break;
            }
            words.push(t.word.clone());
        } else {
            if MONTH_NAMES.contains(&t.low.as_str())
                && toks
                    .get(i + 1)
                    .is_some_and(|n| n.word.starts_with(|c: char| c.is_ascii_digit()))
            {
                break;
            }
            words.push(capitalise(&t.word));
        }
        i += 1;
        if t.ends_clause || possessive_of_other(toks, i) {
            break;
        }
    }
    if words.is_empty() || possessive_of_other(toks, i) {
        return None;
    }
    Some((words, i))
}

/// A name and its repetition in full: "Priya, Priya Raghunathan", "Dang. Dang Van Minh."
fn take_full_name(toks: &[Tok], i: usize) -> Option<(Vec<String>, usize)> {
    let (words, end) = take_name(toks, i)?;
    if toks[end - 1].ends_clause {
        if let Some((more, more_end)) = take_name(toks, end) {
            if more.len() > words.len() && same_person(&words.join(" "), &more.join(" ")) {
                return Some((more, more_end));
            }
        }
    }
    Some((words, end))
}

/// "Alex Morgan's office", "Alex's brother": a possessive before a noun names someone else.
fn possessive_of_other(toks: &[Tok], i: usize) -> bool {
    let Some(last) = i.checked_sub(1).and_then(|p| toks.get(p)) else {
        return false;
    };
    last.low.ends_with("'s")
        && !last.ends_clause
        && toks.get(i).is_some_and(|n| {
            !n.used
                && n.word.chars().next().is_some_and(char::is_lowercase)
                && !matches!(
                    n.low.as_str(),
                    "from" | "with" | "at" | "here" | "again" | "calling" | "speaking" | "and"
                )
        })
}

/// A company named right after the name ("from Northwind", "with Acme Health", "calling from
/// the Globe") or anywhere in the sentence after "I'm from / I'm with / calling from".
fn take_company(toks: &[Tok], after_name: usize) -> Option<String> {
    let mut i = after_name;
    // Skip "here", "again", "calling", "speaking" directly after the name.
    while toks.get(i).is_some_and(|t| {
        (t.used || matches!(t.low.as_str(), "here" | "again" | "calling" | "speaking"))
            && !toks[i.saturating_sub(1)].ends_sentence
    }) {
        i += 1;
    }
    let lead_at = |j: usize| {
        toks.get(j)
            .is_some_and(|t| matches!(t.low.as_str(), "from" | "with" | "at" | "of"))
    };
    let start = if i > 0 && toks[i - 1].ends_sentence {
        None
    } else if lead_at(i) {
        Some(i + 1)
    } else {
        // Later in the same sentence: "…, and I'm calling from Acme".
        let mut found = None;
        let mut j = i;
        while let Some(t) = toks.get(j) {
            let prev = j.checked_sub(1).map(|p| toks[p].low.as_str());
            if matches!(t.low.as_str(), "from" | "with")
                && matches!(prev, Some("calling" | "i'm" | "am" | "work" | "here"))
            {
                found = Some(j + 1);
                break;
            }
            if t.ends_sentence {
                break;
            }
            j += 1;
        }
        found
    }?;
    let mut words: Vec<String> = Vec::new();
    let mut j = start;
    while let Some(t) = toks.get(j) {
        if words.len() == 5 || t.used || t.word.is_empty() {
            break;
        }
        let connector = matches!(t.low.as_str(), "the" | "of" | "and" | "for" | "&");
        let upper = starts_upper(t)
            && !NOT_NAME.contains(&t.low.as_str())
            && !MONTH_NAMES.contains(&t.low.as_str());
        let upper_next = toks.get(j + 1).is_some_and(starts_upper);
        if upper || t.word == "&" || (connector && upper_next && !t.ends_clause) {
            words.push(t.word.clone());
        } else {
            break;
        }
        j += 1;
        if t.ends_clause {
            break;
        }
    }
    while words.last().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "the" | "of" | "and" | "for" | "&"
        )
    }) {
        words.pop();
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// Leads that introduce the caller, as lowercase word sequences; `true` for weak leads, after
/// which only a capitalised word is a name ("I'm Dana", not "I'm sure").
const LEADS: &[(&[&str], bool)] = &[
    (&["my", "name", "is"], false),
    (&["my", "name's"], false),
    (&["my", "good", "name", "is"], false),
    // "Oh, my name, Tomasz Kowalczyk."
    (&["my", "name"], true),
    (&["myself"], true),
    (&["the", "name", "is"], false),
    (&["the", "name's"], false),
    (&["name", "is"], false),
    (&["name's"], false),
    // What the name ought to be, at a read-back: "No, the name should be Siobhan Gallagher."
    (&["name", "should", "be"], false),
    (&["name", "must", "be"], false),
    (&["call", "me"], false),
    (&["it's", "me"], false),
    (&["it", "is", "me"], false),
    (&["this", "is"], true),
    (&["it's"], true),
    (&["it", "is"], true),
    (&["i'm"], true),
    (&["i", "am"], true),
];

fn lead_at(toks: &[Tok], i: usize, lead: &[&str]) -> bool {
    lead.iter().enumerate().all(|(k, w)| {
        toks.get(i + k)
            .is_some_and(|t| !t.used && t.low == *w && (k + 1 == lead.len() || !t.ends_clause))
    })
}

/// Whether `toks[i]` starts a clause (the utterance's start, after punctuation, or after
/// greetings and fillers that do).
fn clause_start(toks: &[Tok], i: usize) -> bool {
    let mut j = i;
    loop {
        if j == 0 {
            return true;
        }
        let prev = &toks[j - 1];
        if prev.ends_clause || prev.used {
            return true;
        }
        if FILLERS.contains(&prev.low.as_str()) {
            j -= 1;
        } else {
            return false;
        }
    }
}

/// Name found at `toks[i..]`, with what follows it.
fn found_at(toks: &[Tok], i: usize, returning: bool) -> Option<NameFound> {
    let (words, end) = take_full_name(toks, i)?;
    let again = toks.get(end).is_some_and(|t| t.low == "again")
        || (toks.get(end).is_some_and(|t| t.low == "here")
            && toks.get(end + 1).is_some_and(|t| t.low == "again"));
    Some(NameFound {
        name: words.join(" "),
        company: take_company(toks, end),
        returning: returning || again,
        spelled: false,
    })
}

/// Labels callers put before one part of their name, as lowercase words: the given name's
/// (`true`) and the family name's (`false`). The last word may carry "'s" ("Surname's
/// Krishnan", "last name's Krishnan").
const PART_LABELS: &[(&[&str], bool)] = &[
    (&["first", "name"], true),
    (&["given", "name"], true),
    (&["christian", "name"], true),
    (&["forename"], true),
    (&["surname"], false),
    (&["last", "name"], false),
    (&["family", "name"], false),
];

/// The part of the name a label at `toks[i]` introduces, said or spelled after it in the same
/// sentence ("First name Wang", "Surname's Brooks", "last name is Krishnan", "Family name: Fang",
/// "Last name, K R I S H N A N"): whether it is the given name, and its words. Only a label at a
/// clause's start or after "and" (with "my" before it at most): "we're on a first name basis"
/// names no one.
fn part_at(toks: &[Tok], i: usize) -> Option<(bool, Vec<String>)> {
    let (label, given) = PART_LABELS.iter().find(|(label, _)| {
        label.iter().enumerate().all(|(k, w)| {
            toks.get(i + k).is_some_and(|t| {
                let last = k + 1 == label.len();
                (t.low == *w || (last && t.low == format!("{w}'s"))) && (last || !t.ends_clause)
            })
        })
    })?;
    let mut start = i;
    while start > 0 && matches!(toks[start - 1].low.as_str(), "my" | "his" | "her") {
        start -= 1;
    }
    let after_and = start > 0 && toks[start - 1].low == "and";
    let end = i + label.len();
    if !(clause_start(toks, start) || after_and) || toks[end - 1].ends_sentence {
        return None;
    }
    let mut j = end;
    if toks
        .get(j)
        .is_some_and(|t| t.low == "is" && !t.ends_sentence)
    {
        j += 1;
    }
    let t = toks.get(j)?;
    if t.used {
        // Spelled, not said: the letters are the part.
        let (letters, _) = spelled_at(toks, j)?;
        return Some((*given, vec![capitalise(&letters)]));
    }
    let (words, _) = take_name(toks, j)?;
    // "Surname Fang first name Wang": the next label ends the part.
    let words: Vec<String> = words
        .into_iter()
        .enumerate()
        .take_while(|(k, _)| {
            k == &0
                || !PART_LABELS
                    .iter()
                    .any(|(l, _)| lead_at(toks, j + k, &l[..1]))
        })
        .map(|(_, w)| w)
        .collect();
    Some((*given, words))
}

/// Whether `clause` only says one labelled part of the caller's name ("Surname's Brooks",
/// "First name Taylor", "and my last name is Krishnan"): no message in it.
pub fn says_name_part(clause: &str) -> bool {
    let toks = tokens(clause);
    let Some(i) = toks
        .iter()
        .position(|t| !matches!(t.low.as_str(), "and" | "my" | "so" | "oh" | "no" | ""))
    else {
        return false;
    };
    let Some((_, words)) = part_at(&toks, i) else {
        return false;
    };
    let label = PART_LABELS
        .iter()
        .find(|(l, _)| lead_at(&toks, i, &l[..1]))
        .map_or(1, |(l, _)| l.len());
    let said = toks[i..].iter().filter(|t| !t.word.is_empty()).count();
    said <= label + 1 + words.len()
}

/// A name said in labelled parts, in either order ("Surname Fang. First name Wang.", "Last name
/// Krishnan, first name Deepa", "Family name Li, given name Wei"): written given name first
/// ("Wang Fang"). With `whole`, both parts must be said; else one part alone is the name as far
/// as it goes.
fn labelled_parts(toks: &[Tok], whole: bool) -> Option<NameFound> {
    let mut given: Option<Vec<String>> = None;
    let mut family: Option<Vec<String>> = None;
    for i in 0..toks.len() {
        if let Some((is_given, words)) = part_at(toks, i) {
            let slot = if is_given { &mut given } else { &mut family };
            slot.get_or_insert(words);
        }
    }
    if whole && (given.is_none() || family.is_none()) {
        return None;
    }
    let words: Vec<String> = given.into_iter().chain(family).flatten().collect();
    (!words.is_empty()).then(|| NameFound {
        name: words.join(" "),
        company: None,
        returning: false,
        spelled: false,
    })
}

fn introduction(toks: &[Tok]) -> Option<NameFound> {
    if let Some(found) = labelled_parts(toks, true) {
        return Some(found);
    }
    for i in 0..toks.len() {
        // "Dana Kim here", "Morgan Ellis speaking", "Daniel Brooks is my name", at the start
        // of a clause.
        if clause_start(toks, i) && toks[i].word.starts_with(char::is_uppercase) {
            if let Some((words, end)) = take_name(toks, i) {
                let last = &toks[end - 1];
                let low = |k: usize| toks.get(k).map(|t| t.low.as_str());
                let next = low(end);
                let is_my_name = next == Some("is")
                    && matches!(low(end + 1), Some("my" | "the"))
                    && low(end + 2).is_some_and(|w| w.starts_with("name"));
                if !last.ends_clause
                    && (matches!(next, Some("here" | "speaking")) || is_my_name)
                    && words.iter().all(|w| w.starts_with(char::is_uppercase))
                    && !toks[end].question
                {
                    return found_at(toks, i, false);
                }
            }
        }
        for (lead, weak) in LEADS {
            if !lead_at(toks, i, lead) {
                continue;
            }
            // "Myself Priya Raman, from Acme" (Indian English) introduces only at a clause's
            // start: "I'll tell Alex myself Monday" names no one.
            if lead == &["myself"] && !clause_start(toks, i) {
                continue;
            }
            let mut j = i + lead.len();
            let returning = lead.last() == Some(&"me") && lead.first() != Some(&"call");
            if returning {
                // "it's me again, Priya", "it's me, Priya Raman".
                while toks
                    .get(j)
                    .is_some_and(|t| matches!(t.low.as_str(), "again" | "um" | "uh"))
                {
                    j += 1;
                }
            }
            let Some(first) = toks.get(j) else { continue };
            if *weak && !starts_upper(first) {
                continue;
            }
            if let Some(f) = found_at(toks, j, returning) {
                return Some(f);
            }
        }
    }
    None
}

/// A bare answer to "may I have your name": after fillers, one to four name words and nothing
/// but "here", "speaking", "again" or a company after them; not a question.
fn bare_answer(toks: &[Tok]) -> Option<NameFound> {
    let open: Vec<usize> = (0..toks.len()).filter(|&i| !toks[i].used).collect();
    if open.is_empty() || toks.iter().rev().find(|t| !t.word.is_empty())?.question {
        return None;
    }
    let mut i = 0;
    while toks
        .get(i)
        .is_some_and(|t| t.used || FILLERS.contains(&t.low.as_str()) || t.word.is_empty())
    {
        i += 1;
    }
    let mut found = found_at(toks, i, false)?;
    let (words, end) = take_full_name(toks, i)?;
    // "Daniel Brooks, Dublin Bay Partners.": the company after a comma, capitalised to the end.
    if found.company.is_none() && toks[end - 1].ends_clause && !toks[end - 1].ends_sentence {
        let rest: Vec<&Tok> = toks[end..]
            .iter()
            .filter(|t| !t.word.is_empty() && !t.used)
            .collect();
        let capitalised = |t: &&Tok| {
            starts_upper(t)
                && !NOT_NAME.contains(&t.low.as_str())
                && !words.iter().any(|w| w.eq_ignore_ascii_case(&t.word))
        };
        if (1..=5).contains(&rest.len())
            && rest.iter().all(capitalised)
            && rest[..rest.len() - 1].iter().all(|t| !t.ends_clause)
            && !rest[rest.len() - 1].question
        {
            found.company = Some(
                rest.iter()
                    .map(|t| t.word.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            return Some(found);
        }
    }
    // Whatever follows must be a tail, a company, or spelling.
    let mut j = end;
    while let Some(t) = toks.get(j) {
        if t.used || t.word.is_empty() || matches!(t.low.as_str(), "here" | "speaking" | "again") {
            j += 1;
            continue;
        }
        if matches!(t.low.as_str(), "from" | "with" | "at" | "calling") && found.company.is_some() {
            return Some(found);
        }
        // "Siobhan. That's S-I-O-B-H-A-N." — the spelling carries on the answer.
        if matches!(
            t.low.as_str(),
            "that's" | "spelled" | "spelt" | "it's" | "that"
        ) && toks[j..]
            .iter()
            .skip(1)
            .all(|t| t.used || t.word.is_empty() || t.low == "is")
        {
            return Some(found);
        }
        return None;
    }
    found.company = found.company.take();
    Some(found)
}

/// A run of spelled letters starting at `toks[i]`: "S-I-O-B-H-A-N", "S, I, O, B, H, A, N",
/// "s i o b h a n", "S as in Sam, I, O…", "double L". Returns the word and the tokens it used.
fn spelled_at(toks: &[Tok], i: usize) -> Option<(String, Vec<usize>)> {
    let letter = |t: &Tok| -> Option<char> {
        let mut cs = t.word.chars();
        let c = cs.next()?;
        (c.is_alphabetic() && cs.next().is_none()).then_some(c)
    };
    // One token holding the whole spelling: "S-I-O-B-H-A-N", "S.I.O.B.H.A.N".
    let t = toks.get(i)?;
    let parts: Vec<&str> = t.word.split(['-', '.']).collect();
    if parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
    {
        return Some((parts.concat().to_lowercase(), vec![i]));
    }
    let mut letters = String::new();
    let mut used = Vec::new();
    let mut j = i;
    let mut repeat = 1;
    while let Some(t) = toks.get(j) {
        if t.low == "double" && toks.get(j + 1).and_then(letter).is_some() {
            repeat = 2;
            used.push(j);
            j += 1;
            continue;
        }
        let Some(c) = letter(t) else { break };
        for _ in 0..repeat {
            letters.extend(c.to_lowercase());
        }
        repeat = 1;
        used.push(j);
        j += 1;
        // "S as in Sam", "S for Sam".
        let said_as = |k: usize, lead: &[&str]| {
            lead.iter()
                .enumerate()
                .all(|(n, w)| toks.get(k + n).is_some_and(|t| t.low == *w))
                && toks.get(k + lead.len()).is_some_and(|w| {
                    w.low
                        .chars()
                        .next()
                        .is_some_and(|f| f.to_lowercase().eq(c.to_lowercase()))
                })
        };
        for lead in [&["as", "in"][..], &["for"][..], &["like"][..]] {
            if !t.ends_clause && said_as(j, lead) {
                used.extend(j..=j + lead.len());
                j += lead.len() + 1;
                break;
            }
        }
        if toks.get(j - 1).is_some_and(|t| t.ends_sentence) || word_ends_at_dot(&toks[i..j]) {
            break;
        }
    }
    (letters.chars().count() >= 3).then_some((letters, used))
}

/// Whether a spelling read so far (`run`, its tokens) ends a word at its last token: a lone
/// letter with a full stop, when the caller wrote most letters before it without one ("W A N,
/// G. F A N, G." is two words; "K. R. I. S. H." dots every letter and goes on, and so does
/// "M. A. R. C. U. S B. E. L. L.", one dot lost).
fn word_ends_at_dot(run: &[Tok]) -> bool {
    let single = |t: &Tok| t.word.chars().count() == 1 && t.word.chars().all(char::is_alphabetic);
    let Some((last, before)) = run.split_last() else {
        return false;
    };
    let plain = before.iter().filter(|t| single(t) && !t.dot).count();
    let dotted = before.iter().filter(|t| single(t) && t.dot).count();
    single(last) && last.dot && plain > dotted
}

/// Finds spelled words, marks their tokens used, and returns them in order.
fn take_spellings(toks: &mut [Tok]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match spelled_at(toks, i) {
            Some((word, used)) => {
                let next = used.iter().max().map_or(i + 1, |m| m + 1);
                for u in used {
                    toks[u].used = true;
                }
                out.push(capitalise(&word));
                i = next;
            }
            None => i += 1,
        }
    }
    out
}

/// Whether the utterance, besides its spelled letters and the heard name, says only words
/// that go with spelling ("that's", "my last name is", "spelled"): then the letters are the
/// name. "I'm calling from the U.S.A." spells no name.
fn only_spelling(toks: &[Tok], name: &str) -> bool {
    const WITH_SPELLING: &[&str] = &[
        "that's", "thats", "that", "is", "it's", "its", "it", "spelled", "spelt", "my", "name",
        "name's", "last", "first", "surname", "family", "and", "the", "as", "in", "so", "sorry",
        "no", "i", "said", "like", "s",
    ];
    let name_low: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    toks.iter().all(|t| {
        t.used
            || t.word.is_empty()
            || FILLERS.contains(&t.low.as_str())
            || WITH_SPELLING.contains(&t.low.as_str())
            || name_low.contains(&t.low)
    })
}

/// The heard word (not yet `taken`) that the spelled word `s` spells: the one it sounds like or
/// starts alike, the closest when several are.
fn spelled_word_of(words: &[String], taken: &[bool], s: &str) -> Option<usize> {
    let alike = |w: &str| {
        same_word(w, s)
            || (fold(w).chars().next() == fold(s).chars().next() && word_score(w, s) >= 0.6)
    };
    (0..words.len())
        .filter(|&k| !taken[k] && alike(&words[k]))
        .max_by(|&a, &b| {
            word_score(&words[a], s)
                .partial_cmp(&word_score(&words[b], s))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
}

/// Puts spelled words into the heard name: each replaces the heard word that sounds like it or
/// starts alike (the spelling wins: "Shivon, S-I-O-B-H-A-N" is Siobhan). A spelled word like no
/// heard word is added only when the utterance is about spelling ("It's Chidi, that's
/// O-K-A-F-O-R"); letters alone are the name only then too ("That's N G U Y E N").
fn apply_spelling(
    toks: &[Tok],
    found: Option<NameFound>,
    spelled: Vec<String>,
) -> Option<NameFound> {
    if spelled.is_empty() {
        return found;
    }
    let heard = found.as_ref().map_or("", |f| f.name.as_str()).to_string();
    let about_spelling = only_spelling(toks, &heard);
    let mut found = match found {
        Some(f) => f,
        None if about_spelling => NameFound {
            name: String::new(),
            company: None,
            returning: false,
            spelled: true,
        },
        None => return None,
    };
    let mut words: Vec<String> = found.name.split_whitespace().map(str::to_string).collect();
    let mut changed = false;
    let mut taken = vec![false; words.len()];
    for s in spelled {
        match spelled_word_of(&words, &taken, &s) {
            Some(k) => {
                // The same letters spelled plainly keep the heard accents ("Bartłomiej").
                if fold(&words[k]) != fold(&s) {
                    words[k] = s;
                }
                taken[k] = true;
                changed = true;
            }
            None if about_spelling => {
                words.push(s);
                taken.push(true);
                changed = true;
            }
            None => {}
        }
    }
    found.name = words.join(" ");
    found.spelled |= changed;
    (!found.name.is_empty()).then_some(found)
}

/// The caller's name when they introduce themselves ("This is Jordan Lee from Acme", "my name
/// is jordan", "Jordan Lee speaking", "it's Priya again", "S-I-O-B-H-A-N"); never a bare guess,
/// so safe on any utterance.
pub fn extract_name_lead(text: &str) -> Option<NameFound> {
    let mut toks = tokens(text);
    let mut spelled = take_spellings(&mut toks);
    without_restarts(text, &mut spelled, |s| s.as_str());
    let found = introduction(&toks).or_else(|| labelled_parts(&toks, false));
    apply_spelling(&toks, found, spelled)
}

/// Finds the caller's name: an introduction anywhere, or a bare "Jordan Lee." given as the
/// answer to "may I have your name", with any spelling.
pub fn extract_name(text: &str) -> Option<NameFound> {
    let mut toks = tokens(text);
    let mut spelled = take_spellings(&mut toks);
    without_restarts(text, &mut spelled, |s| s.as_str());
    let found = introduction(&toks)
        .or_else(|| labelled_parts(&toks, false))
        .or_else(|| bare_answer(&toks));
    apply_spelling(&toks, found, spelled)
}

/// `name` with the spelling in `answer` (the reply to "could you spell your name?") put in.
/// The answer is known to be a spelling, so it is read as [`spelled_runs`] reads it: letters
/// however whisper wrote them ("K-R-I-S-H-N-A-N", "K. R. I. S. H.", "OTINO", "S as in Sam").
/// Several words spelled ("It's CHINEDU. It's OK, ONKWO.") are the whole name; one replaces
/// the word of `name` it is like, else the last word. `None` when the answer spells nothing.
pub fn respelled(name: &str, answer: &str) -> Option<String> {
    let mut words: Vec<String> = name.split_whitespace().map(str::to_string).collect();
    let runs = joined_as_marked(spelled_runs(answer), words.len());
    if runs.len() >= 2 {
        // The same number of words as heard: each pairs with the heard word in its place.
        // More words spelled than heard ("It's Sarah", then S-R-H, M-I-T-C-H-E-L-L): a word
        // heard pairs with the letters that are it with letters lost ([`garbled_spelling`]).
        let heard = |k: usize| {
            if runs.len() == words.len() {
                return Some(words[k].as_str());
            }
            let letters = &runs[k].letters;
            words.iter().map(String::as_str).find(|w| {
                let f = fold(w);
                runs.len() > words.len()
                    && f.chars().next() == letters.chars().next()
                    && garbled_spelling(&f, letters)
            })
        };
        let spelled: Vec<String> = runs
            .iter()
            .enumerate()
            .map(|(k, r)| r.word(heard(k)))
            .collect();
        return Some(spelled.join(" "));
    }
    let run = runs.into_iter().next()?;
    if words.is_empty() {
        return Some(run.word(None));
    }
    // The whole name spelled in one breath ("M-A-R-C-U-S B-E-L-L", "M. A. R. C. U. S. B. E.
    // L. L."): one run of letters, cut where the words heard meet.
    if let Some(pieces) = split_as_heard(&run.letters, &words) {
        let spelled: Vec<String> = pieces
            .into_iter()
            .zip(&words)
            .map(|(letters, w)| {
                SpelledRun {
                    letters,
                    said: None,
                    bare: false,
                }
                .word(Some(w))
            })
            .collect();
        return Some(spelled.join(" "));
    }
    let s = capitalise(&run.letters);
    let k =
        spelled_word_of(&words, &vec![false; words.len()], &s).or(words.len().checked_sub(1))?;
    let spelled = run.word(Some(&words[k]));
    if fold(&words[k]) != fold(&spelled) {
        words[k] = spelled;
    }
    Some(words.join(" "))
}

/// `runs` with the runs whisper parted by a full stop alone joined, when the caller marked
/// their words themselves ("It's E.M. E.K.A. It's N.W.O.S.U.": the caller said "it's" before
/// each word; whisper's full stop after "E.M." is not theirs): only when some run is parted
/// from the one before by a word, and joining every run begun bare leaves as many runs as the
/// `heard` words of the name (any number, when one word or none was heard).
fn joined_as_marked(runs: Vec<SpelledRun>, heard: usize) -> Vec<SpelledRun> {
    let bare = runs.iter().skip(1).filter(|r| r.bare).count();
    let marked = runs.iter().skip(1).any(|r| !r.bare);
    if bare == 0 || !marked || (heard >= 2 && runs.len() - bare != heard) {
        return runs;
    }
    let mut joined: Vec<SpelledRun> = Vec::new();
    for r in runs {
        match joined.last_mut() {
            Some(last) if r.bare => last.letters.push_str(&r.letters),
            _ => joined.push(r),
        }
    }
    joined
}

/// Whether `answer`, the words so far of the reply to "could you spell your name?", has spelled
/// the last word of `name` (the name heard) to its end: callers spell in order, so they are
/// done. The last run of letters must end in that word, letter for letter or nearly (a quarter
/// of its letters may differ, as a phone line confuses them), and be no shorter: "L. E." has
/// not yet spelled "Lee", and letters that spell another word leave it open.
pub fn spelling_complete(name: &str, answer: &str) -> bool {
    let Some(last) = name.split_whitespace().last() else {
        return false;
    };
    let Some(run) = spelled_runs(answer).pop() else {
        return false;
    };
    let want = fold(last);
    let n = want.chars().count();
    let letters: Vec<char> = run.letters.chars().collect();
    if n < 2 || letters.len() < n {
        return false;
    }
    let tail: String = letters[letters.len() - n..].iter().collect();
    strsim::levenshtein(&tail, &want) * 4 <= n
}

/// `letters` cut into one piece per word of `words` (two or three), when they spell the words
/// run together better than any one word alone: each piece within a quarter of its letters of
/// the word heard in its place (the cut that costs fewest edits), and nearer than the best word
/// alone. `None` for a spelling of one word.
fn split_as_heard(letters: &str, words: &[String]) -> Option<Vec<String>> {
    if !(2..=3).contains(&words.len()) {
        return None;
    }
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let chars: Vec<char> = letters.chars().collect();
    let piece = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let n = chars.len();
    let mut best: Option<(usize, Vec<String>)> = None;
    let mut consider = |cuts: &[usize]| {
        let mut bounds = vec![0];
        bounds.extend_from_slice(cuts);
        bounds.push(n);
        let pieces: Vec<String> = bounds.windows(2).map(|w| piece(w[0], w[1])).collect();
        let ok = pieces
            .iter()
            .zip(&folded)
            .all(|(p, w)| strsim::levenshtein(p, w) * 4 <= w.chars().count().max(p.len()));
        let cost: usize = pieces
            .iter()
            .zip(&folded)
            .map(|(p, w)| strsim::levenshtein(p, w))
            .sum();
        if ok && best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, pieces));
        }
    };
    for i in 2..n.saturating_sub(1) {
        if words.len() == 2 {
            consider(&[i]);
        } else {
            for j in i + 2..n.saturating_sub(1) {
                consider(&[i, j]);
            }
        }
    }
    let (cost, pieces) = best?;
    let alone = folded
        .iter()
        .map(|w| strsim::levenshtein(letters, w))
        .min()
        .unwrap_or(usize::MAX);
    (cost < alone).then_some(pieces)
}

/// One word spelled in an answer to "could you spell it?", and the word said just before the
/// letters, if any ("Sarah, S-A-R-A-H").
#[derive(Debug, Clone, PartialEq)]
struct SpelledRun {
    /// The letters as heard, folded as [`fold`] folds a name word ("É" → "e").
    letters: String,
    said: Option<String>,
    /// Begun right after the run before it, with no word between: only whisper's full stop
    /// or comma parts them ("E.M. E.K.A.").
    bare: bool,
}

impl SpelledRun {
    /// The word written: the letters, unless they are a word said with them (`said`, or the
    /// word `heard` earlier in its place) as whisper mishears fast spelling. Whisper hears a
    /// whole word better than its letters, so the word said is kept when the letters are
    /// that word misheard ([`garbled_spelling`]: "Sarah SARH", "Morgan MORGAM", "Taylor
    /// TAYLLR", "Daniel … NIL"). A spelling that sounds like the word said is the caller's
    /// own spelling of it and wins ("Caitlin, K-A-I-T-L-I-N").
    /// Of two words whisper made of the letters garbled, the one nearer them is kept ("Cormax"
    /// said, "Cormac" heard before, "CORMSC" spelled: Cormac).
    ///
    /// A word heard alike twice, said with its letters and heard before in its place, is kept
    /// over letters fewer than its own and at most half of them off: two hearings of the word
    /// outweigh a spelling that lost letters ("Taylor" heard, "Taylor C.Y.L.O.A.").
    fn word(&self, heard: Option<&str>) -> String {
        let letters = without_name_heard_as_letter(&self.unstuttered(heard));
        let letters = letters.as_str();
        if let (Some(said), Some(heard)) = (self.said.as_deref(), heard) {
            let f = fold(said);
            let n = f.chars().count();
            if same_word(said, heard)
                && letters.chars().count() < n
                && 2 * strsim::levenshtein(&f, letters) <= n
            {
                return said.to_string();
            }
        }
        let mut garbled: Option<(usize, &str)> = None;
        for w in self.said.as_deref().into_iter().chain(heard) {
            let f = fold(w);
            if f == letters || misheard_spelling(&f, letters) {
                return w.to_string();
            }
            // Another spelling of the same sound, vowels and all ("Caitlin", "Kaitlin"); a
            // vowel heard as a consonant is a slip ("Taylor", "TAYLLR").
            let vowels = |s: &str| s.chars().filter(|c| "aeiouy".contains(*c)).count();
            let (kw, kl) = (keys(&f), keys(letters));
            if kw.iter().any(|k| kl.contains(k)) && vowels(&f) == vowels(letters) {
                continue;
            }
            let distance = strsim::levenshtein(&f, letters);
            if garbled_spelling(&f, letters) && garbled.is_none_or(|(d, _)| distance < d) {
                garbled = Some((distance, w));
            }
        }
        match garbled {
            Some((_, w)) => w.to_string(),
            // Letters no name is written with ("NBLATTN", "LDEDX", "HHADDADDD") are whisper
            // losing the spelling, not the caller's: the word heard is nearer the name.
            None if unpronounceable(letters) => self
                .said
                .as_deref()
                .into_iter()
                .chain(heard)
                .min_by_key(|w| strsim::levenshtein(&fold(w), letters))
                .map_or_else(|| capitalise(letters), str::to_string),
            None => capitalise(&self.first_letter_as_heard(letters, heard)),
        }
    }

    /// The letters with their first letter taken from the word said or heard in their place
    /// when both are consonants of the E-set (B, C, D, G, P, T, V, Z), whose names a phone
    /// line blurs ("bee", "see", "dee"), while a word's first sound is heard as part of the
    /// word, and the word goes on as the letters do (its second letter the same or alike):
    /// "C-Y-R-N-E" beside "Bion" heard is Byrne; "V-E-N-K-A-T" beside "Bank" stays.
    fn first_letter_as_heard(&self, letters: &str, heard: Option<&str>) -> String {
        const E_SET: &str = "bcdgptvz";
        let l: Vec<char> = letters.chars().collect();
        if l.len() < 2 || !E_SET.contains(l[0]) {
            return letters.to_string();
        }
        let word = self
            .said
            .as_deref()
            .into_iter()
            .chain(heard)
            .map(fold)
            .next()
            .unwrap_or_default();
        let w: Vec<char> = word.chars().collect();
        let alike = |a: char, b: char| {
            a == b
                || ALIKE_LETTERS
                    .iter()
                    .any(|set| set.contains(a) && set.contains(b))
        };
        if w.len() >= 2 && w[0] != l[0] && E_SET.contains(w[0]) && alike(w[1], l[1]) {
            std::iter::once(w[0])
                .chain(l[1..].iter().copied())
                .collect()
        } else {
            letters.to_string()
        }
    }

    /// The letters with a pair whisper wrote twice running said once ("M.E.M.E.N.S.A." for
    /// M-E-N-S-A-H), when that brings them nearer the word said or heard in their place; a
    /// name that holds a pair twice stays ("Mamadou" heard, M-A-M-A-D-O-U spelled).
    fn unstuttered(&self, heard: Option<&str>) -> String {
        let c: Vec<char> = self.letters.chars().collect();
        let Some(k) = (0..c.len().saturating_sub(3)).find(|&k| c[k..k + 2] == c[k + 2..k + 4])
        else {
            return self.letters.clone();
        };
        let once: String = c[..k + 2].iter().chain(&c[k + 4..]).collect();
        let nearer = self.said.as_deref().into_iter().chain(heard).any(|w| {
            let f = fold(w);
            strsim::levenshtein(&f, &once) < strsim::levenshtein(&f, &self.letters)
        });
        if nearer {
            once
        } else {
            self.letters.clone()
        }
    }
}

/// How each letter's name is said, written as a word ("why" for Y), for hearing a word said as
/// a letter.
const LETTER_NAMES: [&str; 26] = [
    "ay",
    "bee",
    "see",
    "dee",
    "ee",
    "ef",
    "jee",
    "aitch",
    "eye",
    "jay",
    "kay",
    "el",
    "em",
    "en",
    "oh",
    "pee",
    "cue",
    "ar",
    "ess",
    "tee",
    "you",
    "vee",
    "doubleyou",
    "ex",
    "why",
    "zee",
];

/// The letters without a first letter that is the word said before them, heard as the letter
/// whose name it sounds like ("Wei, W, E, I" heard "Y W E I"; "Kay, K, A, Y" heard "K K A Y"):
/// when the letters cannot be a name ([`unpronounceable`]) and the rest can, and the letter's
/// name sounds like the rest. Other letters as they are.
fn without_name_heard_as_letter(letters: &str) -> String {
    let mut cs = letters.chars();
    let (Some(first), rest) = (cs.next(), cs.as_str()) else {
        return letters.to_string();
    };
    let name = (first.is_ascii_lowercase()).then(|| LETTER_NAMES[(first as u8 - b'a') as usize]);
    let sounds_like = name.is_some_and(|n| {
        let (kn, kr) = (keys(n), keys(rest));
        kn.iter().any(|k| kr.contains(k))
    });
    if rest.chars().count() >= 2
        && unpronounceable(letters)
        && !unpronounceable(rest)
        && sounds_like
    {
        rest.to_string()
    } else {
        letters.to_string()
    }
}

/// Consonant pairs that begin names somewhere in the world, within a word's first cluster
/// ("Krzysztof" kr·rz, "Ndlovu" nd·dl, "Tshabalala" ts·sh, "Mbeki", "Nwosu", "Gbenga",
/// "Bjorn", "Hmong", "Schmidt" sc·ch·hm, "Szczepanski").
const ONSET_PAIRS: &[&str] = &[
    "bh", "bj", "bl", "br", "bz", "ch", "cl", "cr", "cz", "dh", "dj", "dl", "dm", "dn", "dr", "dv",
    "dw", "dz", "fj", "fl", "fr", "gb", "gd", "gh", "gl", "gn", "gr", "gw", "hl", "hm", "hr", "hw",
    "jh", "kh", "kj", "kl", "kn", "kp", "kr", "ks", "kv", "kw", "ll", "mb", "mc", "mh", "ml", "mn",
    "mp", "mt", "mw", "nd", "ng", "nh", "nj", "nk", "nt", "nw", "nz", "ph", "pl", "pr", "ps", "pt",
    "rh", "rz", "sc", "sh", "sj", "sk", "sl", "sm", "sn", "sp", "sr", "st", "sv", "sw", "sz", "th",
    "tj", "tl", "tr", "ts", "tv", "tw", "tz", "vl", "vr", "wh", "wl", "wr", "xh", "zb", "zc", "zd",
    "zg", "zh", "zl", "zm", "zn", "zw",
];

/// Whether letters heard as a spelling cannot be a name word as written in the Latin script:
/// no vowel ("DV", "MRR"; "Ng" is a name), a letter three times running ("DDD"), a doubled
/// consonant or a doubled h, j, q, w, x or y that names do not begin or hold ("HH…", "…YY…"),
/// a stop before x ("LEDX"), or a first consonant cluster no name starts with ("NBL…", "LD…",
/// "ZMGL…").
fn unpronounceable(letters: &str) -> bool {
    let c: Vec<char> = letters.chars().collect();
    let vowel = |k: usize| "aeiou".contains(c[k]) || (c[k] == 'y' && k > 0);
    if c.len() < 2 {
        return false;
    }
    if !(0..c.len()).any(vowel) {
        return letters != "ng";
    }
    if c.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        return true;
    }
    if c[0] == c[1] && !vowel(0) && c[0] != 'l' {
        return true;
    }
    if c.windows(2)
        .any(|w| w[0] == w[1] && "hjqwxy".contains(w[0]))
    {
        return true;
    }
    // X is already "ks": no name writes a stop before it ("LEDX" for A-L-E-X).
    if c.windows(2)
        .any(|w| "bcdgkpt".contains(w[0]) && w[1] == 'x')
    {
        return true;
    }
    let onset = (0..c.len()).take_while(|&k| !vowel(k)).count();
    (1..onset).any(|k| {
        let pair: String = c[k - 1..=k].iter().collect();
        !ONSET_PAIRS.contains(&pair.as_str())
    })
}

/// Letter names that sound alike on a phone line: the E-set (B, C, D, E, G, P, T, V, Z), M and
/// N, F and S (and X), A, J and K, I and Y, Q, U and W.
const ALIKE_LETTERS: &[&str] = &["bcdegptvz", "mn", "fsx", "ajk", "iy", "quw"];

/// Whether `letters`, heard of a spelling of `word` and not merely [`misheard_spelling`], are
/// still more likely whisper's slip than a different spelling: no vowel at all ("BRLL" for
/// Brooks); the word with letters lost (at least half of it left: "NIL" of Daniel); or a few
/// edits apart (at most one in three letters: "TAYLLR", "KYLOR" for Taylor), unless the letters
/// are a [`clean_spelling`] of it. Letters far from the word are a spelling.
fn garbled_spelling(word: &str, letters: &str) -> bool {
    let n = word.chars().count();
    if n < 3 {
        return false;
    }
    let vowels = |s: &str| s.chars().any(|c| "aeiouy".contains(c));
    if vowels(word) && !vowels(letters) {
        return true;
    }
    if letters.chars().count() >= 3 && 2 * letters.chars().count() >= n && in_order(letters, word) {
        return true;
    }
    strsim::levenshtein(word, letters) <= n / 3 && !clean_spelling(word, letters)
}

/// Whether `letters`, a few edits from the word heard, are a whole spelling of a name in their
/// own right rather than whisper losing letters: no fewer letters and no fewer vowel sounds
/// than the word, written as a name can be, and mostly differing from it by letters whose
/// names do not sound alike. Whisper makes a word it knows of a name said ("Chengdu" for
/// Chinedu, "Olegandro" for Alejandro) more often than it writes another letter of a spelling
/// than one that sounds like it; its slips on letters lose them ("SARH", "KYLOR"), hear a vowel
/// as a consonant ("TAYLLR", "CORMSC"), which leaves fewer vowels, or hear a letter as one of
/// its like-sounding set ("FICVCATRICK" for Fitzpatrick: T-C, Z-V, P-C).
fn clean_spelling(word: &str, letters: &str) -> bool {
    letters.chars().count() >= word.chars().count()
        && vowel_groups(letters) >= vowel_groups(word)
        && !unpronounceable(letters)
        && 2 * unlike_edits(word, letters) >= strsim::levenshtein(word, letters)
}

/// The edits between two words that are not one letter heard as a like-sounding one
/// ([`ALIKE_LETTERS`]): a Levenshtein distance where such a substitution is free.
fn unlike_edits(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let alike = |x: char, y: char| {
        x == y
            || ALIKE_LETTERS
                .iter()
                .any(|set| set.contains(x) && set.contains(y))
    };
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(!alike(x, y));
            row[j + 1] = sub.min(prev[j + 1] + 1).min(row[j] + 1);
        }
        prev = row;
    }
    prev[b.len()]
}

/// How many runs of vowels a folded word holds (its syllables, roughly): "chinedu" 3,
/// "chengdu" 2, "taylor" 2 ("ay" is one).
fn vowel_groups(word: &str) -> usize {
    let c: Vec<char> = word.chars().collect();
    let vowel = |k: usize| "aeiou".contains(c[k]) || (c[k] == 'y' && k > 0);
    (0..c.len())
        .filter(|&k| vowel(k) && (k == 0 || !vowel(k - 1)))
        .count()
}

/// Whether `letters`, heard of a spelling of `word`, differ from it only as whisper mishears
/// fast letters: one letter lost (of four or more), or one letter heard as a like-sounding one.
fn misheard_spelling(word: &str, letters: &str) -> bool {
    let (w, l): (Vec<char>, Vec<char>) = (word.chars().collect(), letters.chars().collect());
    let same_prefix = w.iter().zip(&l).take_while(|(a, b)| a == b).count();
    if w.len() == l.len() + 1 && l.len() >= 4 {
        return w[same_prefix + 1..] == l[same_prefix..];
    }
    if w.len() == l.len() && l.len() >= 4 && same_prefix < w.len() {
        let (a, b) = (w[same_prefix], l[same_prefix]);
        return w[same_prefix + 1..] == l[same_prefix + 1..]
            && ALIKE_LETTERS
                .iter()
                .any(|set| set.contains(a) && set.contains(b));
    }
    false
}

/// The letters a token holds when it is spelling: "S", "HU-O-N-G", "J.I.W.O", "OK", "CHEN".
/// Not a written word ("Sarah", "I'm"), and not the pronoun "I" or the article "a" unless
/// `beside_letters` (the token before or after is letters: "a B-E-B-O-Y-O" was "A, B, E…").
fn letters_of(t: &Tok, beside_letters: bool) -> Option<String> {
    let parts: Vec<&str> = t.word.split(['-', '.']).filter(|p| !p.is_empty()).collect();
    // Two letters, the second a capital, beside letters ("T, aY, L") are no written word
    // either ("We", "No" are).
    let mixed_pair = |p: &str| {
        let c: Vec<char> = p.chars().collect();
        beside_letters && c.len() == 2 && c[0].is_lowercase() && c[1].is_uppercase()
    };
    let all_letters = !parts.is_empty()
        && parts.iter().all(|p| p.chars().all(char::is_alphabetic))
        && parts
            .iter()
            .all(|p| p.chars().count() == 1 || p.chars().all(char::is_uppercase) || mixed_pair(p));
    if !all_letters {
        return None;
    }
    let letters = fold(&parts.concat());
    if letters.is_empty() {
        return None;
    }
    let ambiguous = matches!(t.word.as_str(), "I" | "a" | "A" | "an");
    if ambiguous && !beside_letters {
        return None;
    }
    Some(if t.word == "an" { "a".into() } else { letters })
}

/// A word whisper joined to the letters that spell it ("Fitzpatrick-F-I-T-Z-P-A-T-R-I-C-K",
/// "buy-and-B-Y-R-N-E") as two tokens: the word said, then the letters. Other tokens as
/// they are.
fn split_word_from_letters(t: Tok) -> Vec<Tok> {
    let parts: Vec<&str> = t.word.split('-').collect();
    let single = |p: &&str| p.chars().count() == 1 && p.chars().all(char::is_alphabetic);
    let Some(first_letter) = parts.iter().position(single) else {
        return vec![t];
    };
    let letters_after = parts[first_letter..].iter().all(single);
    let words_before = parts[..first_letter]
        .iter()
        .all(|p| p.chars().count() > 1 && p.chars().all(|c| c.is_alphabetic() || c == '\''));
    if first_letter == 0 || parts.len() - first_letter < 2 || !letters_after || !words_before {
        return vec![t];
    }
    let word = parts[..first_letter].join("-");
    let letters = parts[first_letter..].join("-");
    let said = Tok {
        low: word.to_lowercase(),
        word,
        ends_clause: false,
        ends_sentence: false,
        question: false,
        dot: false,
        used: false,
    };
    vec![
        said,
        Tok {
            low: letters.to_lowercase(),
            word: letters,
            ..t
        },
    ]
}

/// The words spelled in an answer known to be a spelling, in order. Letters run together
/// across commas and dotted letters ("T, A, Y", "S. A. R."); a run ends at a written word, at
/// the end of a sentence ("CHINEDU.", "H.;") or at a comma after dashed letters.
/// "S as in Sam" and "double L" count as letters. Runs of one letter are dropped.
fn spelled_runs(answer: &str) -> Vec<SpelledRun> {
    let mut runs = runs_as_written(answer);
    without_restarts(answer, &mut runs, |r| r.letters.as_str());
    runs
}

/// `spelled` (words spelled in `answer`, in order) without the spellings the caller began
/// again: "K R I... sorry, you cut out, K R I S H N A N" is one word, the later. Only when the
/// answer says so ("sorry", "again", whisper's "..."): "John Johnson" spelled is two words.
fn without_restarts<T>(answer: &str, spelled: &mut Vec<T>, letters: impl Fn(&T) -> &str) {
    let low = answer.to_lowercase();
    let begun_again = [
        "sorry",
        "again",
        "start over",
        "i mean",
        "cut out",
        "...",
        "…",
    ]
    .iter()
    .any(|cue| low.contains(cue));
    if !begun_again {
        return;
    }
    let mut k = 0;
    while k + 1 < spelled.len() {
        let (a, b) = (letters(&spelled[k]), letters(&spelled[k + 1]));
        if b.len() > a.len() && b.starts_with(a) {
            spelled.remove(k);
        } else {
            k += 1;
        }
    }
}

/// The runs of letters in `answer` as whisper wrote them ([`spelled_runs`] without its
/// restarts).
fn runs_as_written(answer: &str) -> Vec<SpelledRun> {
    let toks: Vec<Tok> = tokens(answer)
        .into_iter()
        .flat_map(split_word_from_letters)
        .collect();
    let plain: Vec<Option<String>> = toks.iter().map(|t| letters_of(t, false)).collect();
    let is_letters = |k: usize| plain.get(k).is_some_and(Option::is_some);
    let mut runs: Vec<SpelledRun> = Vec::new();
    let mut run = String::new();
    let mut said: Option<String> = None;
    let mut last_word: Option<String> = None;
    let mut repeat = 1;
    let mut k = 0;
    // Words (not letters) since the last run ended, and whether the run being read began
    // with none.
    let mut gap = 0;
    let mut bare = false;
    // Where the run being read began, for [`word_ends_at_dot`].
    let mut run_from = 0;
    let end =
        |run: &mut String, said: &mut Option<String>, runs: &mut Vec<SpelledRun>, bare: bool| {
            if run.chars().count() >= 2 {
                runs.push(SpelledRun {
                    letters: std::mem::take(run),
                    said: said.take(),
                    bare,
                });
            }
            run.clear();
            *said = None;
        };
    while k < toks.len() {
        let t = &toks[k];
        let beside = (k > 0 && is_letters(k - 1)) || is_letters(k + 1);
        if t.low == "double" && is_letters(k + 1) {
            repeat = 2;
            k += 1;
            continue;
        }
        // "M-A or C-U-S", "B-R-E then N-A-N": letters whisper wrote as words ([`letter_words`]).
        if let Some((letters, used)) = letter_words(&toks, k, &is_letters) {
            if run.is_empty() {
                bare = gap == 0 && !runs.is_empty();
                // "V-E-N-K-A-T. They are a M-A-N": the word goes on past whisper's full stop.
                match runs.pop() {
                    Some(r)
                        if k > 0
                            && letters_of(&toks[k - 1], true)
                                .is_some_and(|l| r.letters.ends_with(&l)) =>
                    {
                        run = r.letters;
                        said = r.said;
                        bare = r.bare;
                    }
                    Some(r) => {
                        runs.push(r);
                        said = last_word.take();
                    }
                    None => said = last_word.take(),
                }
            }
            run.push_str(letters);
            k += used;
            continue;
        }
        // "OKO and KWO", "it's in G U Y E N": the letter N heard as a word. Not "and" after a
        // word said with its letters: "D-A-N-I-E-L, Daniel, and B-R-O-O-K-S" goes on to the
        // next word.
        let joins_words = t.low == "and" && run.is_empty() && last_word.is_some();
        if matches!(t.low.as_str(), "and" | "in" | "en")
            && is_letters(k + 1)
            && !t.ends_clause
            && !joins_words
        {
            if run.is_empty() {
                said = last_word.take();
                bare = gap == 0 && !runs.is_empty();
            }
            run.push('n');
            k += 1;
            continue;
        }
        // "Y W E I CHEN C H E": capitals followed by letters that begin them are the word
        // said before its spelling, not letters.
        if let Some(word) = said_in_capitals(&toks, k) {
            end(&mut run, &mut said, &mut runs, bare);
            gap += 1;
            last_word = Some(word);
            k += 1;
            continue;
        }
        match letters_of(t, beside) {
            Some(letters) => {
                if run.is_empty() {
                    said = last_word.take();
                    bare = gap == 0 && !runs.is_empty();
                    run_from = k;
                }
                for _ in 0..repeat {
                    run.push_str(&letters);
                }
                repeat = 1;
                let at = k;
                k += 1;
                // "S as in Sam", "S for Sam": the word only confirms the letter.
                for lead in [&["as", "in"][..], &["for"][..], &["like"][..]] {
                    let matches = lead
                        .iter()
                        .enumerate()
                        .all(|(n, w)| toks.get(k + n).is_some_and(|t| t.low == *w));
                    if matches && !t.ends_clause {
                        k += lead.len() + 1;
                        break;
                    }
                }
                // `tokens` does not end a sentence at a lone dotted letter ("S."). A word
                // spelled out with dashes or dots ends at a comma ("C-H-I-N-E-D-U, O-K-…",
                // "C.Y.L.O.A., M.E.N.S.A."), and so do capitals ending a word begun before them
                // when such a word follows ("OLSUWA-SE UN, BAK-ARE": whisper groups one word's
                // letters). Capitals whisper ran together may go on after one ("OK, ONKWO",
                // "CHI, NEDU", "OK, F-O-R").
                let grouped = |t: &Tok| {
                    t.word.contains(['-', '.'])
                        && letters_of(t, false).is_some_and(|l| l.chars().count() >= 2)
                };
                let before_grouped = letters.chars().count() >= 2
                    && run.chars().count() > letters.chars().count()
                    && toks.get(k).is_some_and(&grouped);
                let at_dot = word_ends_at_dot(&toks[run_from.min(at)..=at]);
                if t.ends_sentence || (t.ends_clause && (grouped(t) || before_grouped)) || at_dot {
                    end(&mut run, &mut said, &mut runs, bare);
                    gap = 0;
                }
            }
            None => {
                end(&mut run, &mut said, &mut runs, bare);
                gap += 1;
                last_word = (starts_upper(t) && is_name_word(t) && !letter_hybrid(&t.word))
                    .then(|| t.word.clone());
                k += 1;
            }
        }
    }
    end(&mut run, &mut said, &mut runs, bare);
    runs
}

/// The word said at `toks[k]` when whisper wrote it in capitals just before its own letters
/// ("CHEN C H E", "WEI W-E-I"): three capitals or more, one word, followed by single letters
/// (two or more) that begin it. "JAMIE." or "OK, ONKWO" are letters.
fn said_in_capitals(toks: &[Tok], k: usize) -> Option<String> {
    let t = toks.get(k)?;
    let caps = t.word.chars().count() >= 3 && t.word.chars().all(|c| c.is_uppercase());
    if !caps || t.ends_sentence {
        return None;
    }
    let mut next = String::new();
    for n in &toks[k + 1..] {
        let single = n.word.split(['-', '.']).all(|p| p.chars().count() == 1)
            && n.word.chars().any(char::is_alphabetic);
        if !single {
            break;
        }
        next.push_str(&fold(&n.word));
        if n.ends_sentence {
            break;
        }
    }
    let word = fold(&t.word);
    (next.chars().count() >= 2 && word.starts_with(&next[..2.min(next.len())]))
        .then(|| capitalise(&word))
}

/// Letters whisper wrote as words inside a spelling, at `toks[k]`: "or" between letters is R
/// ("M-A or C-U-S", "KAT or ZYNA"), "by" between letters is I ("OT by ENO"), "then" before
/// letters is N ("B-R-E then N-A-N", "It's then I-A-M-H"), "they are" after or before letters
/// is A, R ("P. They are K.", "V-E-N-K-A-T. They are a M-A-N"). The letters and how many
/// tokens they take.
fn letter_words(
    toks: &[Tok],
    k: usize,
    is_letters: &dyn Fn(usize) -> bool,
) -> Option<(&'static str, usize)> {
    let t = toks.get(k)?;
    let before = k > 0 && is_letters(k - 1) && !toks[k - 1].ends_clause;
    match t.low.as_str() {
        "or" if before && is_letters(k + 1) && !t.ends_clause => Some(("r", 1)),
        // "OT by ENO": I, as "by" rhymes with it.
        "by" if before && is_letters(k + 1) && !t.ends_clause => Some(("i", 1)),
        "then" if is_letters(k + 1) && !t.ends_clause => Some(("n", 1)),
        "they"
            if toks
                .get(k + 1)
                .is_some_and(|n| n.low == "are" && !t.ends_clause)
                && ((k > 0 && is_letters(k - 1)) || is_letters(k + 2)) =>
        {
            Some(("ar", 2))
        }
        _ => None,
    }
}

/// Whether a word whisper wrote is half letters, half word ("A-Life" for "Aoife, A-O-I-F-E",
/// "O-Kay"): a single letter joined by a hyphen to the rest. It is whisper hearing the
/// spelling begin, not the name said, so it is no word said with the letters ("Ji-woo",
/// "Al-Sayed", "Jean-Luc" are names: no part of them is one letter).
fn letter_hybrid(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    parts.len() >= 2
        && parts.iter().any(|p| p.chars().count() == 1)
        && parts.iter().any(|p| p.chars().count() > 1)
}

// ---- Sounding alike ----

/// A name word folded to plain ASCII lowercase letters, for comparison ("García" → "garcia",
/// "Bartłomiej" → "bartlomiej", "Elie's" → "elies").
fn fold(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars().flat_map(char::to_lowercase) {
        let s = match c {
            'a'..='z' => {
                out.push(c);
                continue;
            }
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ậ'
            | 'ắ' | 'ặ' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' | 'ð' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ế' | 'ề' | 'ễ' | 'ệ' => {
                "e"
            }
            'ğ' => "g",
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' | 'ị' => "i",
            'ł' | 'ľ' | 'ĺ' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'ơ' | 'ọ' | 'ố' | 'ồ' | 'ộ' | 'ớ'
            | 'ờ' | 'ợ' => "o",
            'œ' => "oe",
            'ř' => "r",
            'ś' | 'š' | 'ş' | 'ș' => "s",
            'ß' => "ss",
            'ť' | 'ţ' | 'ț' => "t",
            'þ' => "th",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' | 'ư' | 'ụ' | 'ủ' | 'ứ' | 'ừ' | 'ự' => {
                "u"
            }
            'ý' | 'ÿ' | 'ỳ' | 'ỹ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            _ => "",
        };
        out.push_str(s);
    }
    out
}

/// Respellings that bring a name closer to how English speakers (and whisper) write its sound:
/// Irish "bh"/"mh" as "v" (Siobhan, Niamh), a Vietnamese initial "Ngu" as "W" (Nguyen, said
/// "Win"), and Pinyin "x"/"q"/"zh".
fn respell(w: &str) -> Vec<String> {
    let mut out = vec![w.to_string()];
    let v = w.replace("bh", "v").replace("mh", "v");
    if v != w {
        out.push(v);
    }
    if let Some(rest) = w.strip_prefix("ngu") {
        out.push(format!("w{rest}"));
        out.push(format!("nu{rest}"));
    }
    if let Some(rest) = w.strip_prefix('x') {
        out.push(format!("sh{rest}"));
    }
    if let Some(rest) = w.strip_prefix('q') {
        out.push(format!("ch{rest}"));
    }
    if let Some(rest) = w.strip_prefix("zh") {
        out.push(format!("j{rest}"));
    }
    out
}

/// `text` with each run of words that sounds like one of `places` and shares a word with it
/// written as the place is ("the peer road office" → "the Pier Road office"): every word the
/// same or of the same sound, at least one the same letter for letter.
pub fn as_known_places(text: &str, places: &[String]) -> String {
    let mut raws: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    let core = |raw: &str| {
        raw.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    for place in places {
        let words: Vec<&str> = place.split_whitespace().collect();
        let n = words.len();
        if n < 2 || raws.len() < n {
            continue;
        }
        for start in 0..=raws.len() - n {
            let window = &raws[start..start + n];
            let heard: Vec<String> = window.iter().map(|r| core(r)).collect();
            let same = words
                .iter()
                .zip(&heard)
                .filter(|(w, h)| w.to_lowercase() == **h)
                .count();
            let alike = words.iter().zip(&heard).all(|(w, h)| {
                w.to_lowercase() == *h || {
                    let (a, b) = (sound_keys(w), sound_keys(h));
                    a.iter().any(|k| k.len() >= 2 && b.contains(k))
                }
            });
            // Only words inside one clause: "a peer, Road …" is two things.
            let one_clause = window[..n - 1]
                .iter()
                .all(|r| !r.ends_with([',', '.', ';', ':', '!', '?']));
            if same >= 1 && same < n && alike && one_clause {
                for (k, w) in words.iter().enumerate() {
                    let raw = &raws[start + k];
                    // The word between its punctuation: found where it starts, as the
                    // punctuation before it has no letters.
                    let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
                    if let Some(at) = raw.find(word) {
                        let fixed = format!("{}{w}{}", &raw[..at], &raw[at + word.len()..]);
                        raws[start + k] = fixed;
                    }
                }
            }
        }
    }
    raws.join(" ")
}

/// The sound of a lowercase word (a name, a place), as [`keys`] hears it: its Double Metaphone
/// codes. Non-letters are dropped first.
pub(crate) fn sound_keys(word: &str) -> Vec<String> {
    keys(&fold(word))
}

/// Double Metaphone codes of a folded word and its respellings, with the sibilants S and X
/// ("sh") merged: Irish and Pinyin write one where English hears the other.
fn keys(folded: &str) -> Vec<String> {
    let dm = DoubleMetaphone::new(Some(6));
    let mut out = Vec::new();
    for w in respell(folded) {
        let r = dm.double_metaphone(&w);
        for code in [r.primary(), r.alternate()] {
            let code = code.replace('X', "S");
            if !code.is_empty() && !out.contains(&code) {
                out.push(code);
            }
        }
    }
    out
}

/// How alike two name words are, 0 to 1 (for picking the closest; not a decision).
fn word_score(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(&fold(a), &fold(b))
}

/// Whether two name words are one name as heard: the same letters, or the same sound (a
/// shared phonetic key) and spelled not too differently, or spelled nearly alike.
fn same_word(a: &str, b: &str) -> bool {
    let (fa, fb) = (fold(a), fold(b));
    if fa.is_empty() || fb.is_empty() {
        return false;
    }
    if fa == fb {
        return true;
    }
    let jw = strsim::jaro_winkler(&fa, &fb);
    let (ka, kb) = (keys(&fa), keys(&fb));
    let shared = ka.iter().filter(|k| kb.contains(k)).map(|k| k.len()).max();
    match shared {
        // A short key ("NN") says little: the spelling must agree more.
        Some(n) if n >= 3 => jw >= 0.6,
        Some(_) => {
            let best = respell(&fa)
                .iter()
                .flat_map(|x| respell(&fb).into_iter().map(move |y| (x.clone(), y)))
                .map(|(x, y)| strsim::jaro_winkler(&x, &y))
                .fold(jw, f64::max);
            best >= 0.72
        }
        None => jw >= 0.94 && fa.len().min(fb.len()) >= 5,
    }
}

fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && !PARTICLES.contains(&w.to_lowercase().as_str()))
        .map(|w| {
            let w = w.to_string();
            match w.strip_suffix("'s") {
                // "Elie's" is how whisper writes Eilís: keep the s, drop the apostrophe.
                Some(stem) => format!("{stem}s"),
                None => w,
            }
        })
        .collect()
}

/// Whether every word of the shorter name matches a different word of the longer one.
fn covers(short: &[String], long: &[String]) -> bool {
    let mut taken = vec![false; long.len()];
    short.iter().all(
        |s| match (0..long.len()).find(|&k| !taken[k] && same_word(s, &long[k])) {
            Some(k) => {
                taken[k] = true;
                true
            }
            None => false,
        },
    )
}

/// Whether two heard names are one person: every word of the shorter sounds like a word of the
/// longer ("Shivon" and "Siobhan Kelly", "Priya Ramen" and "Priya Raman", "Minh Dang" and "Dang
/// Van Minh"); "Chen" is not "Chang", "Morgan" is not "Megan".
pub fn same_person(a: &str, b: &str) -> bool {
    let (wa, wb) = (name_words(a), name_words(b));
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    if wa.len() <= wb.len() {
        covers(&wa, &wb)
    } else {
        covers(&wb, &wa)
    }
}

/// The name to keep after hearing `heard`, given the name understood `earlier` on the call and
/// the persona's contacts. A known contact's listed spelling wins when the name (heard, or heard
/// together with the earlier one) is that contact, all of its words matched ("Priya Ramen" →
/// "Priya Raman"); a lone given name never picks a contact. When `heard` and `earlier` are the
/// same person, the later spelling is kept for the words both have (the caller repeating their
/// name is usually correcting or spelling it) and the fuller name's other words are kept
/// ("Shivon Kelly" then "Siobhan" → "Siobhan Kelly"). A different name replaces the earlier
/// one. `None` when `heard` has no name word. A name the caller spelled should not be replaced
/// by a later unspelled hearing: the dialog checks [`NameFound::spelled`] before calling this.
pub fn reconcile(heard: &str, earlier: Option<&str>, contacts: &[&str]) -> Option<String> {
    let hw = name_words(heard);
    if hw.is_empty() {
        return None;
    }
    let heard_clean: Vec<String> = heard
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let merged = match earlier.filter(|e| same_person(heard, e)) {
        Some(e) => {
            let ew: Vec<String> = e.split_whitespace().map(str::to_string).collect();
            if ew.len() > heard_clean.len() {
                let mut taken = vec![false; heard_clean.len()];
                ew.iter()
                    .map(|w| {
                        let hit = (0..heard_clean.len())
                            .find(|&k| !taken[k] && same_word(w, &heard_clean[k]));
                        match hit {
                            Some(k) => {
                                taken[k] = true;
                                heard_clean[k].clone()
                            }
                            None => w.clone(),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                heard_clean.join(" ")
            }
        }
        None => heard_clean.join(" "),
    };
    let mw = name_words(&merged);
    if mw.len() >= 2 {
        if let Some(c) = contacts.iter().find(|c| {
            let cw = name_words(c);
            cw.len() <= mw.len() && covers(&cw, &mw) && covers(&mw[..cw.len().min(mw.len())], &cw)
        }) {
            return Some(c.to_string());
        }
    }
    Some(merged)
}

// ---- Spelling with words, and whether a spelling needs checking ----

/// The NATO spelling alphabet, which some callers use without "as in": "November, Golf, Oscar".
const NATO: [&str; 26] = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
    "uniform", "victor", "whiskey", "xray", "yankee", "zulu",
];

/// Words callers spell with, each standing for its first letter: the NATO, police and British
/// spelling alphabets and the everyday words people reach for ("A as in apple", "S for
/// sugar"), with whisper's own spellings of some ("alfa", "whisky").
const SPELLING_WORDS: &[&str] = &[
    "alpha",
    "alfa",
    "apple",
    "adam",
    "able",
    "alice",
    "andrew",
    "bravo",
    "boy",
    "bob",
    "baker",
    "benjamin",
    "brother",
    "butter",
    "charlie",
    "cat",
    "charles",
    "carol",
    "chicago",
    "delta",
    "david",
    "dog",
    "daniel",
    "denmark",
    "echo",
    "edward",
    "emma",
    "egg",
    "easy",
    "elephant",
    "foxtrot",
    "frank",
    "freddie",
    "fox",
    "father",
    "france",
    "golf",
    "george",
    "girl",
    "green",
    "hotel",
    "harry",
    "henry",
    "hat",
    "house",
    "helen",
    "india",
    "ice",
    "ida",
    "igloo",
    "ireland",
    "italy",
    "ink",
    "juliet",
    "juliett",
    "john",
    "jack",
    "james",
    "johnny",
    "kilo",
    "kite",
    "king",
    "kate",
    "kangaroo",
    "lima",
    "larry",
    "lemon",
    "london",
    "lincoln",
    "lucy",
    "mike",
    "mary",
    "mother",
    "monkey",
    "michael",
    "november",
    "nancy",
    "nora",
    "nuts",
    "nelson",
    "oscar",
    "orange",
    "ocean",
    "oliver",
    "olive",
    "octopus",
    "papa",
    "peter",
    "paul",
    "pizza",
    "penguin",
    "quebec",
    "queen",
    "romeo",
    "robert",
    "roger",
    "rabbit",
    "richard",
    "sierra",
    "sam",
    "sugar",
    "snake",
    "sarah",
    "samuel",
    "tango",
    "tom",
    "thomas",
    "tommy",
    "tiger",
    "uniform",
    "umbrella",
    "uncle",
    "union",
    "unicorn",
    "victor",
    "violin",
    "violet",
    "victoria",
    "vinegar",
    "whiskey",
    "whisky",
    "william",
    "water",
    "walter",
    "xray",
    "xylophone",
    "yankee",
    "yellow",
    "young",
    "yoyo",
    "york",
    "zulu",
    "zebra",
    "zoo",
    "zero",
];

/// The letter a word of a spelling stands for, as whisper wrote it: a spelling word
/// ([`SPELLING_WORDS`]) whole, run on from what came before it ("Infernancy" for "N for Nancy",
/// "Zindlima" for "as in Lima"), or misheard but near one in letters or
/// sound ("Leema", "Seabro" for zebra, "Pango" for tango, "Zinciera" for "as in Sierra"). The
/// second value is how sure: 1 for a word found whole, else how alike the words are
/// (Jaro-Winkler, at least 0.8 when they sound alike).
fn spelling_word(tok: &str) -> Option<(char, f64)> {
    let first = |w: &str| w.chars().next();
    if SPELLING_WORDS.contains(&tok) {
        return first(tok).map(|c| (c, 1.0));
    }
    // Run on: the longest tail of four letters or more that is a spelling word.
    let n = tok.len();
    if n < 3 {
        return None;
    }
    for k in 1..n.saturating_sub(3) {
        let tail = &tok[k..];
        if SPELLING_WORDS.contains(&tail) {
            return first(tail).map(|c| (c, 1.0));
        }
    }
    // Near one: the whole word, else what follows "as in", "in" or "for" run into it
    // ("Zinntugar", "Entangled").
    let tails = std::iter::once(tok).chain((1..n.saturating_sub(3)).filter_map(|k| {
        let (head, tail) = tok.split_at(k);
        let joined = [
            "zin", "zinn", "zen", "fer", "for", "fur", "fere", "fo", "fi",
        ]
        .iter()
        .any(|j| head.ends_with(j));
        // "Entangled" for "in Tango".
        let after_in = ["in", "en"].contains(&head) && tail.len() >= 5;
        (joined || after_in).then_some(tail)
    }));
    let mut best: Option<(f64, char)> = None;
    for heard in tails {
        if best.is_some() {
            break;
        }
        let heard_keys = keys(heard);
        for w in SPELLING_WORDS {
            if heard.len().abs_diff(w.len()) > 2 {
                continue;
            }
            let jw = strsim::jaro_winkler(heard, w);
            let same_start = first(heard) == first(w);
            let sounds = keys(w)
                .iter()
                .any(|key| key.len() >= 2 && heard_keys.contains(key));
            let near = (same_start && jw >= 0.8)
                || (jw >= 0.85 && heard.len() >= 5)
                || (sounds && jw >= 0.6);
            let score = if sounds { jw.max(0.8) } else { jw };
            if near && best.is_none_or(|(b, _)| score > b) {
                best = first(w).map(|c| (score, c));
            }
        }
    }
    best.map(|(score, c)| (c, score))
}

/// Letter names as whisper may write them before "for": "bee", "see", "and" for N, "are".
const LETTER_SOUNDS: &[&str] = &[
    "a", "eh", "bee", "be", "see", "sea", "dee", "gee", "aitch", "eye", "jay", "kay", "el", "em",
    "en", "and", "an", "oh", "pee", "cue", "queue", "are", "our", "ess", "tee", "tea", "you",
    "vee", "ex", "why", "zed", "zee",
];

/// Words that start the next word of a name spelled with words: "…, and the last name is A as
/// in apple", "then", "space".
const NEXT_WORD: &[&[&str]] = &[
    &["last", "name"],
    &["surname"],
    &["family", "name"],
    &["second", "name"],
    &["middle", "name"],
    &["then"],
    &["space"],
    &["new", "word"],
];

/// Words that join a letter to its word, as whisper writes "as in": "is in", "as an", "Azin",
/// "Zen" ("for" and "like" only right after a letter).
const AS_IN: &[&str] = &[
    "as", "is", "has", "was", "azin", "asin", "isin", "azen", "zen", "zin", "zinn",
];

/// The letters of a name spelled with a word for each letter ("N as in Nancy, G as in George",
/// "S for Sam", "November, Golf, Oscar"), one string for each word of the name. Whisper hears a
/// word far better than a letter name, and writes the rest as it likes ("Dave is in John",
/// "Alazin Apple", "Amazon Mary", "M. Azin Mary", "S.A. Zinciera", "Infernancy"), so the
/// answer is cut into pieces of one letter each (at commas and full stops, after a spelling
/// word that more follows, before a second letter joined to its word) and each gives its
/// letter ([`piece_letter`]). A letter alone before its word ("M. Azin Mary") is that word's;
/// alone elsewhere it is a letter spelled plainly. `None` unless at least two pieces join a
/// letter to a word, or three end on a spelling word, or three NATO words are said alone.
fn words_spelling(answer: &str) -> Option<Vec<String>> {
    // Whisper writes "D as in David" as "D.S. and David" and "S as in Sierra" as "S.A. Zinciera"
    // or "M.A.S. in Mary": the dotted A and S after the letter are "as", not letters.
    let said: Vec<&str> = answer.split(' ').collect();
    let answer = said
        .iter()
        .enumerate()
        .map(|(k, w)| letter_then_as(w, said.get(k + 1).copied()))
        .collect::<Vec<_>>()
        .join(" ");
    let pieces: Vec<Vec<String>> = answer
        .split([',', ';', '.', '!', '?', ':'])
        .map(|p| {
            p.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
                .map(|w| fold(w.trim_matches(['\'', '-'])))
                .filter(|w| !w.is_empty())
                .flat_map(|w| for_run_in(&w).unwrap_or_else(|| vec![w]))
                .collect::<Vec<String>>()
        })
        .filter(|p| !p.is_empty())
        .flat_map(|p| one_letter_pieces(&p))
        .collect();
    let letter = |t: &str| t.chars().count() == 1 || LETTER_SOUNDS.contains(&t);
    // Whisper writes Alpha "Alfa".
    let nato = |t: &str| {
        NATO.iter()
            .position(|n| *n == t || (*n == "alpha" && t == "alfa"))
    };
    // A letter joined to its word: "N as in Nancy", "Alazin Apple", "S for Sam".
    // "Bakare, spelling is B-A-K-A-R-E", "that is B-A-K…", "the surname is …": "is" after
    // words that introduce a spelling joins no letter to a word ("Dave is in John" still does).
    const INTRODUCE: &[&str] = &[
        "spelling", "spelled", "spelt", "spell", "spells", "that", "this", "it", "which", "name",
        "surname",
    ];
    let joined = |p: &[String]| {
        (0..p.len().saturating_sub(1)).any(|j| {
            let t = p[j].as_str();
            (j == 1 && and_joins(p))
                || AS_IN.contains(&t) && !(j > 0 && INTRODUCE.contains(&p[j - 1].as_str()))
                || (t.len() > 4 && (t.ends_with("zin") || t.ends_with("zen")))
                || (matches!(t, "for" | "like") && j > 0 && letter(&p[j - 1]))
        })
    };
    let said_alone = pieces
        .iter()
        .filter(|p| p.iter().all(|t| nato(t).is_some()))
        .map(Vec::len)
        .sum::<usize>();
    // "H. For Harry": the letter alone, its word in the next piece.
    let letter_then_word = pieces
        .windows(2)
        .filter(|w| matches!(w[0].as_slice(), [one] if letter(one)) && continues(&w[1]))
        .count();
    let ending_on_a_word = pieces
        .iter()
        .filter(|p| p.len() >= 2 && p.last().and_then(|t| whole_spelling_word(t)).is_some())
        .count();
    if pieces.iter().filter(|p| joined(p)).count() + letter_then_word < 2
        && said_alone < 3
        && ending_on_a_word < 3
    {
        return None;
    }
    let mut words: Vec<String> = vec![String::new()];
    let mut carried: Option<char> = None;
    for (i, piece) in pieces.iter().enumerate() {
        // "and the last name is O is an Orange": a new word begins after the marker; what
        // came before it ("Infin November and the last name is …") ends the word before.
        let mut rest: &[String] = piece;
        let mut k = 0;
        while k < rest.len() {
            let Some(m) = NEXT_WORD.iter().find(|m| {
                m.iter()
                    .enumerate()
                    .all(|(n, w)| rest.get(k + n).is_some_and(|t| t == w))
            }) else {
                k += 1;
                continue;
            };
            let mut before: Vec<String> = rest[..k]
                .iter()
                .filter(|t| !matches!(t.as_str(), "and" | "the" | "my" | "is"))
                .cloned()
                .collect();
            // "In the last name is …" (whisper's "And"): one word that is neither a letter
            // nor a spelling word spells nothing.
            if let [one] = before.as_slice() {
                if !letter(one) && spelling_word(one).is_none() {
                    before.clear();
                }
            }
            if let (Some(c), Some(w)) = (piece_letter(&before, carried.take()), words.last_mut()) {
                w.push(c);
            }
            if words.last().is_some_and(|w| !w.is_empty()) {
                words.push(String::new());
            }
            rest = &rest[k + m.len()..];
            if rest.first().is_some_and(|t| t == "is") {
                rest = &rest[1..];
            }
            k = 0;
        }
        if rest.len() >= 2 && rest.iter().all(|t| nato(t).is_some()) {
            // "November Golf Oscar" in one breath.
            for n in rest.iter().filter_map(|t| nato(t)) {
                if let Some(w) = words.last_mut() {
                    w.push(char::from(b'a' + n as u8));
                }
            }
            continue;
        }
        let said = carried.take();
        let got = match rest {
            [] => None,
            [one] => match nato(one) {
                Some(n) => Some(char::from(b'a' + n as u8)),
                // "M. Azin Mary": the letter said before its word.
                None if letter(one) && pieces.get(i + 1).is_some_and(|p| continues(p)) => {
                    carried = letter_of_sound(one);
                    None
                }
                None if letter(one) => one.chars().next(),
                // "W. Fiwisky": the letter said, then its word.
                None if said.is_some() => piece_letter(rest, said),
                // "Infernancy": "N for" run into the word. A word alone is no letter ("Daniel:
                // D for Daniel, …").
                None => spelling_word(one)
                    .filter(|(_, sure)| *sure >= 1.0 && !SPELLING_WORDS.contains(&one.as_str()))
                    .map(|(c, _)| c),
            },
            _ => piece_letter(rest, said),
        };
        if let (Some(c), Some(w)) = (got, words.last_mut()) {
            w.push(c);
        }
    }
    words.retain(|w| !w.is_empty());
    Some(words)
}

/// Whether a piece goes on from a letter before it: "M. Azin Mary", "S. For Sam", "K. Azenkai",
/// "S. and Sam".
fn continues(p: &[String]) -> bool {
    let Some(first) = p.first() else {
        return false;
    };
    (first == "and" && and_joins(p))
        || p.len() >= 2
        && (AS_IN.contains(&first.as_str())
            || matches!(first.as_str(), "for" | "like")
            || first.ends_with("zin")
            || first.ends_with("zen"))
        || run_on(first).is_some()
        // "W. Fiwisky", "K. Focillo": a word alone after the letter, "for" run into it.
        || (p.len() == 1
            && first.len() >= 3
            && !LETTER_SOUNDS.contains(&first.as_str())
            && !NATO.contains(&first.as_str()))
}

/// Whether a piece is a letter joined to its word by "and", as whisper writes "as in" ("S and
/// Sam", "Estes and Sierra", "Aiz and India"; "and Sam" after "S."): "and" then one spelling
/// word that ends the piece, after the letter, a letter run into "as" ("Estes", "Aiz",
/// "Elis"), or nothing. "Sarah and Tom" or "and the last name" join no letter.
fn and_joins(p: &[String]) -> bool {
    let word_ends = |j: usize| {
        p.get(j).is_some_and(|t| t == "and")
            && p.len() == j + 2
            && spelling_word(&p[j + 1]).is_some_and(|(_, alike)| alike >= 0.8)
    };
    let letter_before =
        |t: &str| t.chars().count() == 1 || LETTER_SOUNDS.contains(&t) || letter_run_into_as(t);
    word_ends(0) || (word_ends(1) && letter_before(&p[0]))
}

/// A letter's name with "as" run into it, as whisper writes "S as" "Estes", "I as" "Aiz", "L
/// as" "Elis", "R as" "Arz": the word less its final s or z (and a vowel before it) is a letter's
/// name.
fn letter_run_into_as(t: &str) -> bool {
    let Some(head) = t.strip_suffix(['s', 'z']) else {
        return false;
    };
    let head = match head.strip_suffix(['a', 'e', 'i']) {
        Some(h) if !h.is_empty() => h,
        _ => head,
    };
    letter_of_sound(head).is_some() || matches!(head, "est" | "es" | "ess" | "ef" | "ex")
}

/// "For" run into the letter before it, as whisper writes "I for India" "Eiferendia" and "Y
/// for yellow" "Wiferello": the letter's sound, "for", and what is left of the word when three
/// letters or more are ("Wifere Yankee" leaves its word to the next). Not an everyday word
/// that holds "for" ("before", "offer").
fn for_run_in(t: &str) -> Option<Vec<String>> {
    const WORDS: &[&str] = &[
        "before",
        "offer",
        "differ",
        "refer",
        "prefer",
        "therefore",
        "inform",
        "perform",
        "comfort",
        "effort",
        "afford",
        "forward",
        "format",
        "infer",
        "confer",
        "transfer",
    ];
    if WORDS.contains(&t) {
        return None;
    }
    ["fer", "for"].iter().find_map(|join| {
        let i = t.find(join)?;
        let (sound, rest) = (&t[..i], &t[i + join.len()..]);
        if sound.is_empty() || sound.len() > 3 {
            return None;
        }
        // A letter's name run into "for" loses its end: "ei" (I), "wi" (Y), "em" (M).
        let letter = letter_of_sound(sound).or(match sound {
            "ei" | "ai" => Some('i'),
            "wi" | "wai" | "wy" => Some('y'),
            "ar" => Some('r'),
            "el" => Some('l'),
            "em" => Some('m'),
            "en" => Some('n'),
            "es" => Some('s'),
            "ex" => Some('x'),
            _ => None,
        })?;
        let mut out = vec![letter.to_string(), "for".to_string()];
        if rest.chars().count() >= 3 {
            out.push(rest.to_string());
        }
        Some(out)
    })
}

/// "As in" run into the word after it, as whisper writes "Zindlima", "Azenkai": the word, if
/// `t` is one.
fn run_on(t: &str) -> Option<&str> {
    [
        "aazin", "azin", "asin", "azen", "zinn", "zine", "zin", "zen",
    ]
    .iter()
    .find_map(|z| t.strip_prefix(z).filter(|w| w.len() >= 2))
}

/// A spelling word said whole ([`spelling_word`]), not one near it: its letter.
fn whole_spelling_word(t: &str) -> Option<char> {
    spelling_word(t)
        .filter(|(_, alike)| *alike >= 1.0)
        .map(|(c, _)| c)
}

/// A piece of a spelling with words cut where a second letter begins: after a spelling word
/// that more words follow ("of her Adam and for November"), unless it is whisper's writing of
/// the letter before "as in" run on ("Emma Zinnmigh" for "M as in Mike"), and before a letter
/// joined to its word when one came before ("I for I W for William").
fn one_letter_pieces(piece: &[String]) -> Vec<Vec<String>> {
    let is_join = |t: &str| AS_IN.contains(&t) || matches!(t, "for" | "like");
    let mut out = Vec::new();
    let mut start = 0;
    let mut joined_before = false;
    for k in 0..piece.len() {
        let t = piece[k].as_str();
        // "… I W for William": a letter and its join begin the next piece.
        if k > start
            && joined_before
            && piece.get(k + 1).is_some_and(|n| is_join(n))
            && letter_of_sound(t).is_some()
        {
            out.push(piece[start..k].to_vec());
            start = k;
            joined_before = false;
        }
        if is_join(t) && k > start {
            joined_before = true;
        }
        let ends_here = k + 1 < piece.len()
            && whole_spelling_word(t).is_some()
            && piece.get(k + 1).is_none_or(|n| run_on(n).is_none())
            && piece[k + 1..]
                .iter()
                .any(|n| is_join(n) || run_on(n).is_some() || n.len() > 4 && n.ends_with("zin"));
        if ends_here {
            out.push(piece[start..=k].to_vec());
            start = k + 1;
            joined_before = false;
        }
    }
    if start < piece.len() {
        out.push(piece[start..].to_vec());
    }
    out
}

/// One word of an answer with "as" written as dotted letters after the letter spelled ("S.A.",
/// "H.S.", "M.A.S.", "C.A.'s", a comma after it kept) as that letter and "as"; other words as
/// they are. Right before the words that join a letter to its word ("B.E. as in Boy", "N.E. is
/// in …"), a dotted E after the letter is the letter's own sound drawn out, and the letter is
/// said alone.
fn letter_then_as(word: &str, next: Option<&str>) -> String {
    let body = word.trim_end_matches([',', ';']);
    let tail = &word[body.len()..];
    let mut cs = body.chars();
    let Some(letter) = cs.next().filter(char::is_ascii_uppercase) else {
        return word.to_string();
    };
    let rest: Vec<char> = cs.collect();
    // "C.A.'s": the dotted A and the "'s" after it are "as" together.
    let rest = match rest.strip_suffix(&['\'', 's']) {
        Some(r) if r.len() >= 2 => r,
        _ => &rest,
    };
    let pairs = rest.strip_suffix(&['.']).unwrap_or(rest);
    let dotted = |allowed: &[char]| {
        !pairs.is_empty()
            && pairs.len() % 2 == 0
            && pairs
                .chunks(2)
                .all(|p| p[0] == '.' && allowed.contains(&p[1]))
    };
    let joins_next = next.is_some_and(|n| {
        let n = n.trim_end_matches([',', ';', '.']).to_lowercase();
        AS_IN.contains(&n.as_str())
    });
    if dotted(&['A', 'S']) {
        format!("{letter} as{tail}")
    } else if joins_next && dotted(&['E']) {
        format!("{letter}{tail}")
    } else {
        word.to_string()
    }
}

/// The letter said as a word before the word it is spelled with ("Kay for Hilo", "Why is in
/// Yankee"), if `t` is one.
fn letter_of_sound(t: &str) -> Option<char> {
    if t.chars().count() == 1 {
        return t.chars().next();
    }
    if let Some(k) = LETTER_NAMES.iter().position(|n| *n == t) {
        return Some(char::from(b'a' + k as u8));
    }
    // Other writings of the names ([`LETTER_NAMES`] has one each).
    Some(match t {
        "eh" => 'a',
        "be" => 'b',
        "sea" => 'c',
        "eff" => 'f',
        "gee" => 'g',
        "kaye" => 'k',
        "elle" => 'l',
        "owe" => 'o',
        "pea" => 'p',
        "queue" => 'q',
        "are" => 'r',
        "tea" => 't',
        "hugh" => 'u',
        "zed" => 'z',
        _ => return None,
    })
}

/// The letter a piece of a spelling with words gives ("N as in Nancy", "Dave is in John",
/// "Kay for Hilo", "Emma Zinemary"), `said` the letter said alone just before it ("M. Azin
/// Mary"). A spelling word said whole decides, the last after the word joining it to its
/// letter. Else the letter said (alone before, before the join, or first) and a word near a
/// spelling word: the word when the two agree or are letters the ear confuses ("C for Seabro"
/// is Z as in zebra), else the letter said ("I for Eyes"). Else the first letter of the last
/// word, "as in" run into it set aside.
fn piece_letter(piece: &[String], said: Option<char>) -> Option<char> {
    let join = piece.iter().position(|t| {
        AS_IN.contains(&t.as_str())
            || matches!(t.as_str(), "for" | "like")
            || (t.len() > 4 && (t.ends_with("zin") || t.ends_with("zen")))
            || run_on(t).is_some()
    });
    let after = join.map_or(0, |j| j + 1);
    let run_into = join.and_then(|j| run_on(&piece[j]));
    let words = run_into
        .into_iter()
        .chain(piece[after..].iter().map(String::as_str));
    if let Some(c) = words
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find_map(whole_spelling_word)
    {
        return Some(c);
    }
    let last = match piece.last() {
        Some(t) if after >= piece.len() => run_into.unwrap_or(t),
        Some(t) => t.as_str(),
        None => return said,
    };
    // Nothing but the joining words: no letter ("N. For the last name is …").
    if after >= piece.len() && run_into.is_none() {
        return None;
    }
    let near = spelling_word(last);
    // Whisper writes "M as in" as "Emma Zin…", "I as" as "Aya".
    let sound = |t: &str| match t {
        "emma" | "amazon" => Some('m'),
        "aya" => Some('i'),
        "ela" | "elas" | "elle" => Some('l'),
        "bea" => Some('b'),
        // "He is a neckl" for "E as in Echo".
        "he" => Some('e'),
        _ => letter_of_sound(t),
    };
    let said = said
        .or_else(|| join.filter(|j| *j > 0).and_then(|j| sound(&piece[j - 1])))
        .or_else(|| (piece.len() >= 2).then(|| sound(&piece[0])).flatten());
    let alike =
        |a: char, b: char| a == b || ALIKE_LETTERS.iter().any(|g| g.contains(a) && g.contains(b));
    match (near, said) {
        // A word very like a spelling word ("robber" for Robert) outweighs the letter heard
        // ("I was an robber": whisper writes many a letter before "as" as "I").
        (Some((n, jw)), Some(s)) if jw >= 0.88 || (jw >= 0.8 && alike(n, s)) => return Some(n),
        (_, Some(s)) => return Some(s),
        (Some((n, _)), None) => return Some(n),
        (None, None) => {}
    }
    ["zine", "zin"]
        .iter()
        .find_map(|z| last.strip_prefix(z).filter(|w| w.len() >= 3))
        .unwrap_or(last)
        .chars()
        .next()
}

/// `name` as spelled with a word for each letter in `answer` ([`words_spelling`]): as many
/// words spelled as heard replace them all; one run of letters is cut where the words heard
/// meet, or replaces the word of `name` it is like (else the last). `None` when the answer
/// spells nothing with words.
pub fn respelled_with_words(name: &str, answer: &str) -> Option<String> {
    let spelled = words_spelling(answer)?;
    let mut words: Vec<String> = name.split_whitespace().map(str::to_string).collect();
    if spelled.len() >= 2 || words.len() <= 1 {
        // Word by word with the name as it stood: letters no name is written with
        // ("KLORSHAAA", whisper losing a word or two) keep the word spelled before.
        let same_shape = spelled.len() == words.len();
        return Some(
            spelled
                .iter()
                .enumerate()
                .map(|(k, w)| match words.get(k) {
                    Some(before)
                        if same_shape
                            && (unpronounceable(w) || lost_letters(w, before))
                            && !unpronounceable(&fold(before)) =>
                    {
                        before.clone()
                    }
                    _ => capitalise(w),
                })
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    let letters = &spelled[0];
    if let Some(pieces) = split_as_heard(letters, &words) {
        return Some(
            pieces
                .iter()
                .map(|w| capitalise(w))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    let s = capitalise(letters);
    let k =
        spelled_word_of(&words, &vec![false; words.len()], &s).or(words.len().checked_sub(1))?;
    words[k] = s;
    Some(words.join(" "))
}

/// Whether a word spelled with words (`spelled`) is a longer word heard (`before`) with
/// letters lost: one letter left ("U" when "L as in Larry, I as in ice" were not heard), or
/// the word's letters in order with some missing and at least half of them left ("SRH" of
/// Sarah when both "A as in Adam" were heard "Eisenhower"). A shorter word that leaves out
/// more, or has letters of its own, is a correction, and taken ("Kim" for "Minjunkim").
fn lost_letters(spelled: &str, before: &str) -> bool {
    let before = fold(before);
    let (n, m) = (spelled.chars().count(), before.chars().count());
    if n == 1 {
        return m >= 2;
    }
    n < m && 2 * n >= m && in_order(spelled, &before)
}

/// Whether every letter of `letters` stands in `word`, in order (`word` with letters lost).
fn in_order(letters: &str, word: &str) -> bool {
    let mut rest = word.chars();
    letters.chars().all(|c| rest.any(|w| w == c))
}

/// `name` with the letters of `answer` put in as spelled, a correction of a spelling read
/// back: unlike [`respelled`], letters near a word heard are not taken for whisper's slip of it
/// ("No, it's O-T-I-E-N-O" replaces "Otino"). One word spelled replaces the word of `name` it
/// is like (else the last); several replace the whole name.
pub fn respelled_as_corrected(name: &str, answer: &str) -> Option<String> {
    let plain = respelled("", answer)?;
    let spelled: Vec<&str> = plain.split_whitespace().collect();
    let mut words: Vec<String> = name.split_whitespace().map(str::to_string).collect();
    if spelled.len() != 1 || words.len() <= 1 {
        return Some(plain);
    }
    let k = spelled_word_of(&words, &vec![false; words.len()], spelled[0])
        .or(words.len().checked_sub(1))?;
    words[k] = spelled[0].to_string();
    Some(words.join(" "))
}

/// Whether the name taken from a spelling (`taken`, from the name heard `heard` and the
/// answer `answer`) needs no checking: the letters spelled are the whole name or its last
/// word letter for letter, and the name heard is the same. Letters that differ from the name
/// heard, or were mended or set aside as whisper's slips, are read back to the caller.
pub fn spelling_sure(heard: &str, answer: &str, taken: &str) -> bool {
    let heard: Vec<String> = heard.split_whitespace().map(fold).collect();
    let taken: Vec<String> = taken.split_whitespace().map(fold).collect();
    let runs = spelled_runs(answer);
    // A word is sure when its letters were spelled and it was said so too, before the
    // spelling or with it ("Krishnan, K. R. I. S. H. N. A. N.").
    let sure = |w: &String| {
        runs.iter().any(|r| {
            &r.letters == w
                && (heard.contains(w) || r.said.as_deref().map(fold).as_ref() == Some(w))
        })
    };
    let Some(last) = taken.last() else {
        return false;
    };
    sure(last) && taken.iter().all(|w| sure(w) || heard.contains(w))
}

/// The letters of `name` to read back, word by word: "N, G, O, Z, I, then A, D, E, Y, E, M, I".
pub fn letters_read_back(name: &str) -> String {
    name.split_whitespace()
        .map(|w| {
            fold(w)
                .to_uppercase()
                .chars()
                .map(String::from)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(", then ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expect "Name" , "Name | Company", "Name | Company | again", "Name | | again", or "" for
    /// no name.
    fn check(input: &str, expect: &str) {
        let got = match extract_name(input) {
            None => String::new(),
            Some(n) => {
                let mut s = n.name.clone();
                if n.company.is_some() || n.returning {
                    s.push_str(&format!(" | {}", n.company.as_deref().unwrap_or("")));
                }
                if n.returning {
                    s.push_str(" | again");
                }
                s
            }
        };
        let expect = expect.replace(" |  |", " | |");
        let got = got.replace(" |  |", " | |");
        assert_eq!(got, expect, "{input:?}");
    }

    #[test]
    fn names_that_share_a_word_with_staff() {
        for (input, expect) in [
            ("This is Morgan Reyes.", "Morgan Reyes"),
            ("Hi, it's Alex Chen.", "Alex Chen"),
            (
                "Morgan Ellis here, calling about the lease.",
                "Morgan Ellis",
            ),
            (
                "Morgan Ellis here from Acme Health.",
                "Morgan Ellis | Acme Health",
            ),
            ("Yeah, Morgan.", "Morgan"),
            ("My name is Alex Morgan Junior.", "Alex Morgan Junior"),
            ("Jamie Ortiz speaking.", "Jamie Ortiz"),
            ("I'd like to speak to Alex Morgan.", ""),
            ("Is Alex there?", ""),
            ("Is this Alex Morgan's office?", ""),
            ("This is Alex Morgan's office?", ""),
            ("I'm calling for Alex Morgan.", ""),
            ("Alex Morgan?", ""),
            ("Alex Morgan, please.", ""),
            ("I'm Alex's brother.", ""),
            ("I'd like to leave a message for Alex.", ""),
            ("Hey Alex, it's Morgan.", "Morgan"),
            (
                "Hello, I'm trying to reach Alex Morgan. My name is Morgan Reyes.",
                "Morgan Reyes",
            ),
            ("Can you tell Alex that Morgan Reyes called?", ""),
            ("Is this Alex Morgan?", ""),
            ("Could I talk to Jamie, it's urgent.", ""),
            ("I want to talk to Alex. Morgan Ellis here.", "Morgan Ellis"),
        ] {
            check(input, expect);
        }
    }

    #[test]
    fn the_offices_places_are_written_as_the_office_writes_them() {
        let places = ["Pier Road".to_string(), "Harbor Street".to_string()];
        for (heard, want) in [
            (
                "The sign lease for the peer road office is ready.",
                "The sign lease for the Pier Road office is ready.",
            ),
            (
                "It's on Harbour Street, right?",
                "It's on Harbor Street, right?",
            ),
            ("The Pier Road office.", "The Pier Road office."),
            // Sounding alike is not enough: one word must be the same.
            ("A peer rode in.", "A peer rode in."),
            // Nor across a clause.
            (
                "I asked a peer, road works delayed me.",
                "I asked a peer, road works delayed me.",
            ),
            ("The road is clear.", "The road is clear."),
            ("«İpeer road»!", "«İpeer road»!"),
            ("(peer road)…", "(Pier Road)…"),
        ] {
            assert_eq!(as_known_places(heard, &places), want, "{heard}");
        }
    }

    #[test]
    fn hesitations_and_a_missing_verb_leave_the_name_whole() {
        for (input, expect) in [
            ("My name is, uh, Siobhan Gallagher.", "Siobhan Gallagher"),
            ("Um, I'm, er, Tomasz Kowalczyk.", "Tomasz Kowalczyk"),
            (
                "It's, uh, um, Priya Raman from, uh, Acme Health.",
                "Priya Raman | Acme Health",
            ),
            ("Oh, my name, Tomasz Kowalczyk.", "Tomasz Kowalczyk"),
            ("My name, uh, Ngozi Adeyemi.", "Ngozi Adeyemi"),
            // "My name" before no name is no introduction.
            ("Did you get my name?", ""),
            ("My name should be on the booking.", ""),
        ] {
            check(input, expect);
        }
    }

    #[test]
    fn introductions_ask_for_no_one() {
        use crate::logic::dialog::understand::{intent, Intent};
        let ask = |t: &str| intent(t, "Jamie Chen", "Alex Morgan");
        for t in [
            "This is Morgan Reyes.",
            "Hi, it's Alex Chen.",
            "Morgan Ellis here.",
            "It's Jamie Ortiz.",
        ] {
            assert_eq!(ask(t), None, "{t}");
        }
        assert_eq!(ask("Is Alex there?"), Some(Intent::Executive));
        assert_eq!(
            ask("I'd like to speak to Alex Morgan."),
            Some(Intent::Executive)
        );
    }

    #[test]
    fn names_of_many_origins() {
        for (input, expect) in [
            ("Hi, this is Siobhan from Northwind.", "Siobhan | Northwind"),
            ("My name is Nguyen.", "Nguyen"),
            ("It's Oluwaseun.", "Oluwaseun"),
            (
                "This is Xiaoming with Acme Health.",
                "Xiaoming | Acme Health",
            ),
            ("Priya Raghunathan.", "Priya Raghunathan"),
            ("Yes, Bartłomiej Nowak.", "Bartłomiej Nowak"),
            ("aoife", "Aoife"),
            (
                "This is Chidi Okafor calling from the Globe.",
                "Chidi Okafor | the Globe",
            ),
            (
                "My name is José García, from Banco Sol.",
                "José García | Banco Sol",
            ),
            ("Kwame Mensah here.", "Kwame Mensah"),
            ("Hi, I'm Ji-woo Park.", "Ji-woo Park"),
            ("Dang Van Minh.", "Dang Van Minh"),
            ("Uh, Dang. Dang Van Minh.", "Dang Van Minh"),
            ("This is Priya, Priya Raghunathan.", "Priya Raghunathan"),
            (
                "Hi there, this is Kwame Mensah with Acme Health, returning Alex's call.",
                "Kwame Mensah | Acme Health",
            ),
            (
                "Good evening, my name is Oluwaseun Adeyemi and I'm calling from Lagos Partners.",
                "Oluwaseun Adeyemi | Lagos Partners",
            ),
            (
                "Hello, it's Xiaoming Li from Northwind.",
                "Xiaoming Li | Northwind",
            ),
            (
                "Hi, I am Ji-woo Park, from Seoul Bio.",
                "Ji-woo Park | Seoul Bio",
            ),
            ("Hi, it's Elie's from the Globe.", "Elie's | the Globe"),
            ("I'm free on Monday.", ""),
            ("It's me.", ""),
            ("My name is Maria de la Cruz.", "Maria de la Cruz"),
            ("This is Will Rich from Acme.", "Will Rich | Acme"),
            ("It's Grace.", "Grace"),
            ("This is Dr. Chidi Okafor.", "Chidi Okafor"),
            ("my name is sean o'brien", "Sean O'brien"),
            ("It's June Park.", "June Park"),
            ("It's June 3rd I wanted.", ""),
            (
                "This is Jordan Lee and I'm calling from Acme Corp.",
                "Jordan Lee | Acme Corp",
            ),
            ("This is Dana, I'd like a meeting with Alex.", "Dana"),
            ("I'm calling about the contract.", ""),
            ("Yes.", ""),
            ("It's about the invoice.", ""),
        ] {
            check(input, expect);
        }
    }

    #[test]
    fn spelled_names_win() {
        for (input, expect) in [
            ("S-I-O-B-H-A-N", "Siobhan"),
            ("s i o b h a n", "Siobhan"),
            ("That's N G U Y E N.", "Nguyen"),
            ("S as in Sam, I, O, B, H, A, N.", "Siobhan"),
            ("S, I, O, B, H, A, N.", "Siobhan"),
            ("Siobhan, S-I-O-B-H-A-N.", "Siobhan"),
            ("Shivon, S-I-O-B-H-A-N.", "Siobhan"),
            ("It's Shivon Kelly, that's S-I-O-B-H-A-N.", "Siobhan Kelly"),
            (
                "My name is Priya Ragunathan, R-A-G-H-U-N-A-T-H-A-N.",
                "Priya Raghunathan",
            ),
            ("Win. N-G-U-Y-E-N.", "Nguyen"),
            // A spelling begun again is the later one; two spelled words are two words.
            (
                "It's Deepa Krishnan, last name K R I... sorry, you cut out, K R I S H N A N.",
                "Deepa Krishnan",
            ),
            ("It's John Johnson, J-O-H-N, J-O-H-N-S-O-N.", "John Johnson"),
            ("E I L I S", "Eilis"),
            ("M A double T", "Matt"),
            ("S.I.O.B.H.A.N.", "Siobhan"),
            ("It's Bartłomiej, B-A-R-T-L-O-M-I-E-J.", "Bartłomiej"),
            ("Yeah, hi, this is Aoife, A-O-I-F-E.", "Aoife"),
            ("It's Chidi, that's O-K-A-F-O-R.", "Chidi Okafor"),
            (
                "This is Siobhan, S-I-O-B-H-A-N, from Northwind.",
                "Siobhan | Northwind",
            ),
            ("This is Dana from I B M.", "Dana"),
            ("I'm calling from the U.S.A.", ""),
            ("My last name is N-G-U-Y-E-N.", "Nguyen"),
            ("Yes, it's Nguyen, N G U Y E N.", "Nguyen"),
        ] {
            check(input, expect);
        }
    }

    /// The answer to "could you spell your name?", as whisper writes it, put into the name
    /// heard before.
    #[test]
    fn spelling_answers_as_heard() {
        for (heard, answer, expect) in [
            (
                "Chinedu Okonkwo",
                "It's CHINEDU. It's OK, ONKWO.",
                "Chinedu Okonkwo",
            ),
            (
                "Chinedu Okonkwo",
                "C-H-I-N-E-D-U, O-K-O-N-K-W-O.",
                "Chinedu Okonkwo",
            ),
            (
                "Sara Mitchel",
                "Sarah SARH, Mitchell MITCHELL.",
                "Sarah Mitchell",
            ),
            ("Way Chen", "It's W-E-I. It's CHEN.", "Wei Chen"),
            // More words spelled than heard: the word heard pairs with its letters, some lost;
            // other letters are a word of their own.
            ("Sarah", "S-R-H, M-I-T-C-H-E-L-L.", "Sarah Mitchell"),
            ("Sarah", "S-A-R-A-H, N-G.", "Sarah Ng"),
            ("Morgan", "Morgan, MORGAM.", "Morgan"),
            ("Caitlin", "Caitlin, K-A-I-T-L-I-N.", "Kaitlin"),
            ("Okonkwo", "OKO and KWO.", "Okonkwo"),
            // Letters garbled where the word was heard right: the word stays.
            (
                "Taylor Brooks",
                "Taylor T, A, Y, L, L, R, Brooks, B, R, L, K, S.",
                "Taylor Brooks",
            ),
            (
                "Daniel Brooks",
                "It's the NIL. It's BROOKS.",
                "Daniel Brooks",
            ),
            (
                "Deepa Karshan",
                "It's the EEPA. It's K-R-I-S-H-N-A-N.",
                "Deepa Krishnan",
            ),
            (
                "Priya Ragunathan",
                "R-A-G-H-U-N-A-T-H-A-N.",
                "Priya Raghunathan",
            ),
            (
                "Shivon Kelly",
                "S as in Sam, I, O, B, H, A, N.",
                "Siobhan Kelly",
            ),
            (
                "Morgan Fitzpatrick",
                "Morgan, M-O-R-G-A-N, Fitzpatrick-F-I-T-Z-P-A-T-R-I-C-K.",
                "Morgan Fitzpatrick",
            ),
            (
                "Cormac Byrne",
                "Cormax C-O-R-M-S-C, buy-and-B-Y-R-N-E.",
                "Cormac Byrne",
            ),
            ("Mat", "M A double T.", "Matt"),
            ("", "N-G-U-Y-E-N.", "Nguyen"),
            // Letters no name is written with are whisper's loss: the word heard stays.
            (
                "Alex Oileron",
                "It's the LDED X. It's a YE-L-A-R-N.",
                "Alex Ayelarn",
            ),
            ("Omar Hauded", "It's OMR, the fate of DDAB.", "Omar Hauded"),
            // The word heard pairs with its letters, two lost ("A-L-S-U-A" of Akosua).
            (
                "Akosua",
                "A, a, L, S, U, A, both N, B, L, A, T, T, N.",
                "Akosua Nblattn",
            ),
            (
                "Emeka Nwosu",
                "It's C-M-E-K-A. It's N-W-O-S-U.",
                "Emeka Nwosu",
            ),
            // "aY": whisper's way with two letters in a row.
            (
                "Taylor",
                "Taylor T, aY, L, O, R, Brooks, B, R, L, L.",
                "Taylor Brooks",
            ),
            ("Dana", "I'm not sure what you mean.", ""),
            ("Dana", "Yes.", ""),
            // The whole name in one run of letters: cut where the words heard meet.
            ("Marcus Bell", "M-A-R-C-U-S B-E-L-L.", "Marcus Bell"),
            (
                "Marcus Bell",
                "M. A. R. C. U. S. B. E. L. L.",
                "Marcus Bell",
            ),
            ("Markus Bell", "M A R C U S, B E L L.", "Marcus Bell"),
            ("Marcus Bell", "M-A-R-K-U-S B-E-L.", "Markus Bel"),
            (
                "Ana Maria Lopez",
                "A-N-A M-A-R-I-A L-O-P-E-S.",
                "Ana Maria Lopes",
            ),
            // One word spelled stays one word.
            ("Marcus Bell", "M-A-R-K-U-S.", "Markus Bell"),
            // A word whisper wrote half as a letter ("A-Life") is the spelling beginning, not
            // the name said: the letters are the name.
            (
                "",
                "A-Life A-O-I-F-E. Brennan B-R-E-N-N-A-N.",
                "Aoife Brennan",
            ),
            ("", "O-Kay O-K-A-Y.", "Okay"),
            ("Jean-Luc", "Jean-Luc J-E-A-N-L-U-C.", "Jean-Luc"),
            // Letters whisper wrote as words: "then" N, "or" R, "they are" A, R.
            ("Brandon", "Brandon B-R-E then N-A-N.", "Brennan"),
            (
                "Aoife",
                "A-O-I-F-E. Brandon B.R.E. then N-A-N.",
                "Aoife Brennan",
            ),
            ("", "It's then I-A-M-H.", "Niamh"),
            (
                "Marcus Webb",
                "It's M-A or C-U-S. It's W-E-B-B.",
                "Marcus Webb",
            ),
            ("", "It's KAT or ZYNA.", "Katrzyna"),
            ("Jiwoo", "It's JIWOO. It's P. They are K.", "Jiwoo Park"),
            (
                "Arjun Bank",
                "It's the RJ UN. It's V-E-N-K-A-T. They are a M-A-N.",
                "Arjun Venkataraman",
            ),
            ("", "P, they are K.", "Park"),
            // One word's letters whisper parted with a full stop, where the caller said a word
            // before each of theirs: joined. Not where nothing marks the words, nor to fewer
            // words than heard.
            (
                "Eka Wuzu",
                "It's E.M. E.K.A. It's N.W.O.S.U.",
                "Emeka Nwosu",
            ),
            ("Eka", "It's E.M. E.K.A. It's N.W.O.S.U.", "Emeka Nwosu"),
            (
                "Joan Lee",
                "First name J.O. A.N.N.E., last name L.E.E.",
                "Joanne Lee",
            ),
            ("Jo Lee", "J.O. L.E.E.", "Jo Lee"),
            ("Ed Mills", "It's E.D. It's M.I.L.L.S.", "Ed Mills"),
        ] {
            let got = respelled(heard, answer).unwrap_or_default();
            assert_eq!(got, expect, "{heard:?} spelled {answer:?}");
        }
    }

    /// The name a careful listener makes of whisper's words, when the letters and the word
    /// heard disagree: each class with several phrasings.
    #[test]
    fn names_recovered_from_what_whisper_heard() {
        for (heard, answer, expect) in [
            // A whole clean spelling beats a word whisper made of the name a few edits away.
            (
                "Chengdu Okonkwo",
                "Chengdu, CHI, NEDU. Aconquo, OKO and KWO.",
                "Chinedu Okonkwo",
            ),
            ("Chengdu", "It's C-H-I-N-E-D-U.", "Chinedu"),
            (
                "Olegandro Ruiz",
                "It's a LEJ-A-N-D-R-O. It's our U-I-Z.",
                "Alejandro Ruiz",
            ),
            ("Olegandro", "A, L, E, J, A, N, D, R, O.", "Alejandro"),
            // …but letters heard as like-sounding ones, lost or turned consonant stay slips.
            (
                "Morgan Fitzpatrick",
                "Morgan, MORGAM. The Sputric FICV-C-A-T-R-I-C-K.",
                "Morgan Fitzpatrick",
            ),
            ("Cormac", "C-O-R-M-S-C.", "Cormac"),
            // A comma after letters grouped by dashes or dots ends a word, and so do capitals
            // ending a word before such a group; capitals beginning a word go on.
            (
                "",
                "All the way soon, OLSUWA-SE UN, BAK-ARE.",
                "Olsuwaseun Bakare",
            ),
            ("", "OLU-WA-SE UN, B-A-K-A-R-E.", "Oluwaseun Bakare"),
            ("Marcus Bell", "M.A.R.C.U.S., B.E.L.L.", "Marcus Bell"),
            (
                "Grace Oliver",
                "It's G-R-A-C-E. It's OK, F-O-R.",
                "Grace Okfor",
            ),
            ("Chinedu", "CHI, NEDU.", "Chinedu"),
            // The word heard twice (before, and said with its letters) outweighs letters that
            // lost some; a pair whisper wrote twice is said once when the word heard is nearer.
            (
                "Taylor Mentor",
                "Taylor C.Y.L.O.A., M.E.M.E.N.S.A.",
                "Taylor Mensa",
            ),
            ("Taylor", "Taylor, T-Y-L-O-A.", "Taylor"),
            ("Tailor", "Taylor, K-Y-L-O.", "Taylor"),
            ("Mentor", "M-E-M-E-N-S-A-H.", "Mensah"),
            ("Mamadou", "M-A-M-A-D-O-U.", "Mamadou"),
            ("", "M-A-M-A-D-O-U.", "Mamadou"),
            // The word said before its letters, written in capitals or as the letter it sounds
            // like, is no letter.
            ("", "Y W E I CHEN C H E", "Wei Chen"),
            ("", "CHEN C H E N.", "Chen"),
            ("", "K K A Y.", "Kay"),
            ("", "Y W E I.", "Wei"),
            ("", "Y-V-O-N-N-E.", "Yvonne"),
            ("", "It's JAMIE. It's OK, ONKWO.", "Jamie Okonkwo"),
            // "by" between letters is I.
            (
                "Jamie Oceano",
                "It's JAMIE. It's OT by ENO.",
                "Jamie Otieno",
            ),
            ("", "It's O, T by E, N, O.", "Otieno"),
            ("", "It's by the way S-M-I-T-H.", "Smith"),
            // An E-set first letter is the one the word heard begins with.
            (
                "Cormac Bion",
                "The C-O-R-M-S-P, the C-Y-R-N-E.",
                "Cormac Byrne",
            ),
            ("Bion", "C-Y-R-N-E.", "Byrne"),
            ("Kelly", "C-E-L-L-Y.", "Celly"),
            ("Ocean", "T-I-E-N-O.", "Tieno"),
            // A stop before X is no name's spelling: the word heard stays.
            (
                "Alex Noicki",
                "It's the LEDX. It's in OWIC, KI.",
                "Alex Nowicki",
            ),
            ("Alex", "A-L-D-X.", "Alex"),
            ("Max", "M-A-X.", "Max"),
        ] {
            let got = respelled(heard, answer).unwrap_or_default();
            assert_eq!(got, expect, "{heard:?} spelled {answer:?}");
        }
        assert!(clean_spelling("chengdu", "chinedu"));
        assert!(clean_spelling("olegandro", "alejandro"));
        for (word, letters) in [
            ("taylor", "tayllr"),
            ("cormac", "cormsc"),
            ("taylor", "kylor"),
            ("fitzpatrick", "ficvcatrick"),
        ] {
            assert!(!clean_spelling(word, letters), "{word} {letters}");
        }
    }

    /// Letters that cannot be a written name word, and names of many origins that can.
    #[test]
    fn unpronounceable_spellings() {
        for garbage in [
            "nblattn",
            "ldedx",
            "ddab",
            "mrr",
            "dv",
            "hhaddaddd",
            "zmgldaddyemi",
            "liqyyant",
            "ledx",
            "aldxeloydlaran",
        ] {
            assert!(unpronounceable(garbage), "{garbage}");
        }
        for name in [
            "ng",
            "nwosu",
            "ndlovu",
            "mbeki",
            "krzysztof",
            "szczepanski",
            "tshabalala",
            "lloyd",
            "aaron",
            "nguyen",
            "gbenga",
            "bjorn",
            "schmidt",
            "okonkwo",
            "siobhan",
            "yusuf",
            "adeyemi",
            "xiaoping",
            "zhou",
            "hmong",
            "al",
            "alex",
            "baxter",
            "dixon",
            "marx",
            "maxwell",
        ] {
            assert!(!unpronounceable(name), "{name}");
        }
    }

    /// Whisper's slips on fast letters keep the word said; a real respelling does not.
    #[test]
    fn misheard_letters_are_told_from_a_respelling() {
        assert!(misheard_spelling("sarah", "sarh"));
        assert!(misheard_spelling("morgan", "morgam"));
        assert!(misheard_spelling("peter", "beter"));
        assert!(!misheard_spelling("caitlin", "kaitlin"));
        assert!(!misheard_spelling("ana", "an"));
        assert!(!misheard_spelling("morgan", "morgul"));
    }

    #[test]
    fn returning_callers() {
        for (input, expect) in [
            ("Hi, it's Priya again.", "Priya | | again"),
            ("Marcus here again.", "Marcus | | again"),
            ("It's me, Grace Okafor.", "Grace Okafor | | again"),
            (
                "Hey, it's me again, Priya Raman from Harborview.",
                "Priya Raman | Harborview | again",
            ),
            ("Priya again.", "Priya | | again"),
        ] {
            check(input, expect);
        }
    }

    #[test]
    fn any_text_is_safe() {
        for input in [
            "İ",
            "İİİ here",
            "This is İlker",
            "K",
            "It's \u{212A}elvin",
            "\u{212A} \u{212A} \u{212A}",
            "'",
            "-",
            "it's",
            "this is",
            "S-",
            "-S-",
            "my name is ,",
            "., ., .",
            "İstanbul'dan \u{212A}emal here",
            "ẞ İ \u{212A}",
            "🙂 this is 🙂",
            "a-b-c-",
            "double",
            "S as in",
        ] {
            let _ = extract_name(input);
            let _ = extract_name_lead(input);
            let _ = reconcile(input, Some(input), &[input]);
        }
        check("This is İlker Kaya.", "İlker Kaya");
        check("It's \u{212A}wame.", "\u{212A}wame");
        assert!(same_person("\u{212A}wame", "Kwame"));
    }

    #[test]
    fn lowercase_leads_are_not_names() {
        for (input, expect) in [
            ("i'm sure", ""),
            ("it's fine", ""),
            ("my name is sam", "Sam"),
            ("call me Dana", "Dana"),
            ("Um, Dana Kim here.", "Dana Kim"),
            ("Jordan Lee from Contoso.", "Jordan Lee | Contoso"),
        ] {
            check(input, expect);
        }
    }

    /// A name spelled in part, then heard fuller: `reconcile` with the spelling as the later
    /// hearing keeps the spelled words and takes the rest as heard.
    #[test]
    fn a_fuller_hearing_keeps_the_spelled_words() {
        for (spelled, heard, want) in [
            ("Omar", "Omer Hadid", Some("Omar Hadid")),
            ("Siobhan", "Shivon Kelly", Some("Siobhan Kelly")),
            ("Kelly", "Shivon Kelly", Some("Shivon Kelly")),
            // Nothing added, or someone else: the spelling as it was.
            ("Omar Haddad", "Omar Hadid", Some("Omar Haddad")),
            ("Omar", "Omar", Some("Omar")),
            ("Omar", "Priya Raman", Some("Omar")),
            ("", "Priya Raman", None),
        ] {
            assert_eq!(
                reconcile(spelled, Some(heard), &[]).as_deref(),
                want,
                "{spelled} + {heard}"
            );
        }
    }

    #[test]
    fn same_person_by_sound() {
        for (a, b, want) in [
            ("Elie's", "Eilish", true),
            ("Elie's", "Eilís", true),
            ("Ramen", "Raman", true),
            ("Shivon", "Siobhan", true),
            ("Nwen", "Nguyen", true),
            ("Win", "Nguyen", true),
            ("Priya Ramen", "Priya Raman", true),
            ("Tailor Brooks", "Taylor Brooks", true),
            ("Minh Dang", "Dang Van Minh", true),
            ("Siobhan", "Siobhan Kelly", true),
            ("Okafur", "Okafor", true),
            ("Raghunatan", "Raghunathan", true),
            ("Jose Garcia", "José García", true),
            ("Shaoming", "Xiaoming", true),
            ("Chen", "Chang", false),
            ("Morgan", "Megan", false),
            ("Alex Chen", "Alex Morgan", false),
            ("Nina", "Nguyen", false),
            ("Dana", "Jordan Kim", false),
            ("Oluwaseun", "Olusegun", false),
            ("Grace Okafor", "Chidi Okafor", false),
            ("Mark", "Marcus", false),
            ("", "Priya", false),
        ] {
            assert_eq!(same_person(a, b), want, "{a} / {b}");
            assert_eq!(same_person(b, a), want, "{b} / {a}");
        }
    }

    #[test]
    fn reconciles_across_turns_and_contacts() {
        let contacts = ["Priya Raman", "Grace Okafor", "Taylor Brooks"];
        for (heard, earlier, want) in [
            ("Priya Ramen", None, Some("Priya Raman")),
            ("Tailor Brooks", None, Some("Taylor Brooks")),
            ("Ramen", Some("Priya Raman"), Some("Priya Raman")),
            ("Siobhan", Some("Shivon Kelly"), Some("Siobhan Kelly")),
            ("Priya", None, Some("Priya")),
            ("Chidi Okafor", None, Some("Chidi Okafor")),
            ("Dana Kim", Some("Siobhan"), Some("Dana Kim")),
            ("", Some("Siobhan"), None),
        ] {
            assert_eq!(
                reconcile(heard, earlier, &contacts).as_deref(),
                want,
                "{heard} / {earlier:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,60}", other in "[a-zA-Zİ\u{212A}łé' -]{0,20}") {
            let _ = extract_name(&text);
            let _ = extract_name_lead(&text);
            let _ = same_person(&text, &other);
            let _ = reconcile(&text, Some(&other), &[other.as_str()]);
            let _ = respelled_with_words(&other, &text);
            let _ = as_known_places(&text, &[format!("{other} Road"), other.clone()]);
        }
    }

    #[test]
    fn a_word_for_each_letter_spells_by_the_words_first_letters() {
        for (answer, words) in [
            ("N as in Nancy, G as in George, O as in Oscar.", vec!["ngo"]),
            ("S for Sam, I for India, O for orange.", vec!["sio"]),
            ("November, Golf, Oscar, Zulu, India.", vec!["ngozi"]),
            // The letter name misheard, or heard as a word: the word decides.
            ("and as in Nancy, B as in George, oh as in Oscar", vec!["ngo"]),
            ("Jay as in John, Eye as in India, X as in x-ray", vec!["jix"]),
            // As whisper wrote joe's and kumo's words on the phone line.
            (
                "Dave is in John, I is an Apple, Amazon Mary, I is an India, he is an Edward, and \
                 the last name is O is an Orange, he is in Tom, I is an I is, O is an Oscar.",
                vec!["jamie", "otio"],
            ),
            (
                "Jay Azin John, Alazin Apple, M. Azin Mary, Aya Zen India, E. Azin Edward, and the \
                 last name is O. Azin Orange, T. Azin Tom, Aya Zen Ice, N. Azin Nancy, O. Azin \
                 Oscar.",
                vec!["jamie", "otino"],
            ),
            (
                "S. For Sam, I for India, O for Orange, Be for Boy, H for Harry, and for Nancy.",
                vec!["siobhn"],
            ),
            // "For" run into the letter before it ("Eiferendia" for "I for India").
            (
                "P for Peter, Arthur Romeo, Eiferendia, Wifere Yankee, A for Apple, and for \
                 November, K for Kite, A for Apple, and the last name is Eifereye, Wiferello, \
                 Eiferemma, Arthur Robert.",
                vec!["priyanka", "iyer"],
            ),
            (
                "Allison Oscar, Emma Zinemary, as an Adam, are as an Robert, and the last name is \
                 H.S. and Harry, as an Adam, D.S. and Dog, D.S. and David, as an Adam.",
                vec!["omar", "hadda"],
            ),
            (
                "And for November, G for George, Over Oscar, C for Zebra. I for India, and the last \
                 name is of for Apple, D for David, Wifer Yankie, D for Echo, and for Mike.",
                vec!["ngozi", "adyem"],
            ),
            (
                "And as an Nancy, G is in George, O is an Oscar, C is in Zebra, I is an India, and \
                 the last name is as an apple, D is in David, he is an Edward, Y is in Yellow.",
                vec!["ngozi", "adey"],
            ),
            (
                "A as in apple, B as in boy, and the last name is C as in cat, D as in dog.",
                vec!["ab", "cd"],
            ),
            (
                "A as in apple, B as in boy, and then C as in cat, D as in dog. Surname: E as in \
                 Edward, F as in Frank.",
                vec!["ab", "cd", "ef"],
            ),
            // As whisper wrote the corpus callers after the resample fix (2026-12-07):
            // "as" written as dotted letters, "as in" run into the word.
            (
                "S.A. Zinciera, I.A. Zinn Ice, or was in orange, B.A. Zinn Bravo, H.A. Zinn Harry, \
                 A.A. Zinn Apple, N.A. Zinn Nancy, and the last name is G.A. Zinn Golf. A.A. Zinn \
                 Apple, Elasim Lima, Elasim Lemon.",
                vec!["siobhan", "gall"],
            ),
            (
                "S.A.S. in Sam, I.A. in Ice, and the last name is G.A. in Golf. A.A. in Adam, Ela \
                 Zindleri, Ela Zindlima.",
                vec!["si", "gall"],
            ),
            // A misheard word near a spelling word, against the letter said before it.
            (
                "And for November, G for George, Over Oscar, C for Seabro. I for Eyes.",
                vec!["ngozi"],
            ),
            // Two letters in one piece; a letter alone, its word in the next piece.
            (
                "T for Tom, Arthur Romillo, of her Adam and for November.",
                vec!["tran"],
            ),
            (
                "H. For Harry, U. For uniform, O. For Orange, N. For November, G. For George, N. \
                 For the last name is N. For November, G. For George, U. For uniform.",
                vec!["huong", "ngu"],
            ),
            (
                "Jay Per John, I for I W for William, Oprah Oscar, Oprah Orange.",
                vec!["jiwoo"],
            ),
            // "For" run into the word, no joining word heard apart.
            (
                "People Peter, Arfor Romeo, Ifor India, Wifer Yankee, Afor Apple, and the last \
                 name is Ifor I. Wifer Yellow, E. For Emma, Arfor Robert.",
                vec!["priya", "iyer"],
            ),
            (
                "Over Orange, Elfer Larry, Ufer Umbrella, W. Fiwisky, Infernancy.",
                vec!["oluwn"],
            ),
            // "M as in Mike" written "Emma Zinnmigh"; "I as an robber", "he has entangled".
            ("Emma Zinnmigh, I as an India and as in November.", vec!["min"]),
            // "As in" heard "and", or "is" with "in" lost; "as" run into the letter ("Estes",
            // "Aiz", "Elis") or written as dotted letters ("C.A.'s"); a drawn-out letter
            // before its join ("B.E. as in Boy"); whisper's "In" for "And" before the last name.
            (
                "S. and Sam, Aiz and India, Oiz and Oscar, B.E. as in Boy, H.S. in Hotel, Aiz \
                 and Adam, N.E. as in November.",
                vec!["siobhan"],
            ),
            (
                "Estes and Sierra, Arz and Romato, H. is in hotel. In the last name is Thomas \
                 and Mary, I as an I, T. is in Tom, C. is in Charlie, H. is in Harry, he is a \
                 neckl, Elis and Lemon, Elis and Larry.",
                vec!["srh", "mitchell"],
            ),
            (
                "Elasin Larry, U.S. in uniform, C.A.'s in Cat, I.A.'s in India, A.A.'s in Adam.",
                vec!["lucia"],
            ),
            ("T and Tom, O and Oscar, M and Mary.", vec!["tom"]),
            (
                "I was an robber, he has entangled, he has an Zebra, I as an Apple.",
                vec!["rtza"],
            ),
        ] {
            assert_eq!(words_spelling(answer), Some(words.iter().map(|w| w.to_string()).collect()), "{answer}");
        }
        // One letter with a word, or none, is no spelling with words.
        for answer in [
            "N as in Nancy.",
            "Thanks for calling, it's for Alex.",
            "It's N-G-O-Z-I.",
            "As in the one I gave before.",
            // "And" between names or clauses joins no letter to a word.
            "Sarah and Tom, Mary and Harry.",
            "James and Harry, Chris and George.",
        ] {
            assert_eq!(words_spelling(answer), None, "{answer}");
        }
    }

    #[test]
    fn a_name_spelled_with_words_replaces_the_words_heard() {
        let cases = [
            (
                "Jamie Oceano",
                "J as in John, A as in apple, M as in Mary, I as in India, E as in egg, and the \
                 last name is O as in orange, T as in Tom, I as in ice, E as in egg, N as in \
                 Nancy, O as in Oscar.",
                "Jamie Otieno",
            ),
            // The last name alone, like the word heard in its place.
            (
                "Jamie Oceano",
                "O as in orange, T as in Tom, I as in ice, E as in egg, N as in Nancy, O as in \
                 Oscar.",
                "Jamie Otieno",
            ),
            // The whole name in one run: cut where the words heard meet.
            (
                "Ana Lee",
                "A as in apple, N as in Nancy, A as in apple, L as in Larry, E as in egg, E as in \
                 Edward.",
                "Ana Lee",
            ),
            ("", "S for Sam, I for India, O for orange.", "Sio"),
            // Whisper losing words of one name ("K.S. and K.L. O.R. is in Robert"): letters no
            // name is written with keep the word spelled before; the other word is replaced.
            (
                "Dbvpa Krishnan",
                "D.S. and David, he is an Emma, he is an Edward, T.S. and Papa, I does an Adam, \
                 and the last name is K.S. and K.L. O.R. is in Robert, I is an I.S. and sugar, \
                 H.S. and Hotel, and as an Anci, I does an Adam, and as an Anci.",
                "Deepa Krishnan",
            ),
            // Whisper losing most of one word's letters ("L as in Larry, I as in ice" unheard):
            // the word heard stays rather than one letter.
            (
                "Li Young",
                "He was an umbrella and the last name is why is in Yankee, and as in November, \
                 she is in George.",
                "Li Young",
            ),
            // Letters of the word heard with some lost (both "A as in Adam" unheard): the
            // well-formed word heard stays. Letters of their own, or far fewer, are taken.
            (
                "Sarah Mitchell",
                "S as in Sierra, R as in Romeo, H as in Hotel, and the last name is M as in Mary, \
                 I as in India, T as in Tom, C as in Charlie, H as in Harry, E as in Echo, L as \
                 in Lima, L as in Lima.",
                "Sarah Mitchell",
            ),
            (
                "Sara Mitchel",
                "S as in Sierra, A as in Adam, R as in Romeo, A as in Adam, H as in Hotel, and the \
                 last name is M as in Mary, I as in India, T as in Tom, C as in Charlie, H as in \
                 Harry, E as in Echo, L as in Lima, L as in Lima.",
                "Sarah Mitchell",
            ),
            (
                "Jonathan Lee",
                "J as in John, O as in Oscar, N as in Nancy, and the last name is L as in Lima, E \
                 as in Echo, E as in Echo.",
                "Jon Lee",
            ),
        ];
        for (name, answer, want) in cases {
            assert_eq!(
                respelled_with_words(name, answer).as_deref(),
                Some(want),
                "{name} / {answer}"
            );
        }
    }

    #[test]
    fn a_spelling_is_sure_only_when_the_letters_are_the_name_heard() {
        for (heard, answer, taken) in [
            ("Sarah Miller", "S-A-R-A-H, M-I-L-L-E-R.", "Sarah Miller"),
            ("Sarah Miller", "Miller, M. I. L. L. E. R.", "Sarah Miller"),
            ("Jordan Lee", "L-E-E.", "Jordan Lee"),
        ] {
            assert!(spelling_sure(heard, answer, taken), "{answer}");
        }
        for (heard, answer, taken) in [
            // The letters changed the name heard.
            ("Jamie Oceano", "J-A-M-I-E, O-T-I-E-N-O.", "Jamie Otieno"),
            // The letters garbled and set aside: the name heard kept, unchecked.
            ("Sarah Miller", "S-A-R-H, M-I-L-R.", "Sarah Miller"),
            // Only part of the name spelled, and not its last word.
            ("Sarah Miller", "S-A-R-A-H.", "Sarah Miller"),
            // Nothing heard before the letters.
            ("", "S-A-R-A-H.", "Sarah"),
        ] {
            assert!(!spelling_sure(heard, answer, taken), "{answer}");
        }
    }

    #[test]
    fn letters_are_read_back_word_by_word() {
        assert_eq!(
            letters_read_back("Ngozi Adeyemi"),
            "N, G, O, Z, I, then A, D, E, Y, E, M, I"
        );
        assert_eq!(
            letters_read_back("José O'Neil"),
            "J, O, S, E, then O, N, E, I, L"
        );
        assert_eq!(letters_read_back(""), "");
    }
}
