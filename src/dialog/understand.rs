//! Understanding what whisper heard: names, phone numbers, yes and no.
//!
//! Input is a transcript, not typed text: digits may arrive as "617-555-0123", "6 1 7" or
//! "six one seven", names are usually capitalised, punctuation is whisper's guess.

/// A caller's name and, when they said it, their company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFound {
    pub name: String,
    pub company: Option<String>,
}

const NAME_LEADS: &[&str] = &[
    "my name is ",
    "my name's ",
    "name is ",
    "name's ",
    "this is ",
    "i'm ",
    "i am ",
    "it's ",
    "it is ",
    "call me ",
    "speaking",
];

/// Words a caller puts before an answer.
const FILLERS: &[&str] = &[
    "yes", "yeah", "yep", "sure", "ok", "okay", "um", "uh", "er", "hi", "hello", "so", "well", "oh",
];

/// Words that are never part of a name.
const NOT_NAME: &[&str] = &[
    "calling",
    "trying",
    "looking",
    "just",
    "here",
    "from",
    "with",
    "and",
    "about",
    "a",
    "an",
    "the",
    "i",
    "i'm",
    "hi",
    "hello",
    "hey",
    "yes",
    "yeah",
    "no",
    "okay",
    "ok",
    "sure",
    "so",
    "well",
    "um",
    "uh",
    "good",
    "morning",
    "evening",
    "afternoon",
    "thanks",
    "thank",
    "you",
    "please",
    "sorry",
    "calling.",
    "not",
    "sure.",
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
    "it",
    "this",
    "that",
    "alex",
    "morgan",
    "speak",
    "talk",
    "at",
];

fn clean_word(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
}

fn looks_like_name_word(w: &str) -> bool {
    let c = clean_word(w);
    !c.is_empty()
        && c.chars().next().is_some_and(|ch| ch.is_alphabetic())
        && !NOT_NAME.contains(&c.to_lowercase().as_str())
}

fn capitalise(w: &str) -> String {
    let mut cs = w.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().collect::<String>() + cs.as_str(),
        None => String::new(),
    }
}

/// Up to three name words at the start of `s`, stopping at punctuation or a non-name word.
fn take_name(s: &str) -> Option<String> {
    let mut words = Vec::new();
    for raw in s.split_whitespace() {
        if words.len() == 3 || !looks_like_name_word(raw) {
            break;
        }
        words.push(capitalise(clean_word(raw)));
        if raw.ends_with([',', '.', '!', '?', ';']) {
            break;
        }
    }
    (!words.is_empty()).then(|| words.join(" "))
}

fn take_company(s: &str) -> Option<String> {
    let lower = s.to_lowercase();
    for lead in [" from ", " with ", " at "] {
        if let Some(i) = lower.find(lead) {
            let rest = &s[i + lead.len()..];
            let mut words = Vec::new();
            for raw in rest.split_whitespace() {
                let c = clean_word(raw);
                let starts_upper = c.chars().next().is_some_and(|ch| ch.is_uppercase());
                if words.len() == 4 || c.is_empty() || !(starts_upper || c == "&") {
                    break;
                }
                words.push(c.to_string());
                if raw.ends_with([',', '.', '!', '?', ';']) {
                    break;
                }
            }
            if !words.is_empty() {
                return Some(words.join(" "));
            }
        }
    }
    None
}

/// Finds the caller's name ("This is Jordan Lee from Acme", "my name is jordan", or a bare
/// "Jordan Lee." given as an answer).
pub fn extract_name(text: &str) -> Option<NameFound> {
    let lower = text.to_lowercase();
    for lead in NAME_LEADS {
        if let Some(i) = lower.find(lead) {
            if *lead == "speaking" {
                // "Jordan Lee speaking"
                let before = &text[..i];
                let words: Vec<&str> = before.split_whitespace().collect();
                let start = words.len().saturating_sub(2);
                if let Some(name) = take_name(&words[start..].join(" ")) {
                    return Some(NameFound {
                        name,
                        company: take_company(text),
                    });
                }
                continue;
            }
            // The lead must start a word.
            if i > 0 && lower.as_bytes()[i - 1].is_ascii_alphabetic() {
                continue;
            }
            if let Some(name) = take_name(&text[i + lead.len()..]) {
                return Some(NameFound {
                    name,
                    company: take_company(&text[i..]),
                });
            }
        }
    }
    // A bare answer to "may I have your name": one to three name-like words, after any
    // filler ("Yeah, Jordan.", "Um, Dana Kim here.").
    let mut trimmed = text.trim().trim_end_matches(['.', '!', '?']);
    loop {
        let first = trimmed.split_whitespace().next().unwrap_or("");
        let bare = clean_word(first).to_lowercase();
        if !first.is_empty() && FILLERS.contains(&bare.as_str()) {
            trimmed = trimmed[first.len()..].trim_start_matches([',', ' ']);
        } else {
            break;
        }
    }
    for tail in [" here", " speaking"] {
        if trimmed.to_lowercase().ends_with(tail) {
            trimmed = &trimmed[..trimmed.len() - tail.len()];
        }
    }
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    let (head, tail) = match trimmed.to_lowercase().find(" from ") {
        Some(i) => (&trimmed[..i], Some(&trimmed[i..])),
        None => (trimmed, None),
    };
    let head_words: Vec<&str> = head.split_whitespace().collect();
    if !head_words.is_empty()
        && head_words.len() <= 3
        && head_words.iter().all(|w| looks_like_name_word(w))
    {
        let _ = words;
        return Some(NameFound {
            name: head_words
                .iter()
                .map(|w| capitalise(clean_word(w)))
                .collect::<Vec<_>>()
                .join(" "),
            company: tail.and_then(take_company),
        });
    }
    None
}

fn digit_word(w: &str) -> Option<char> {
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
            digits.extend(w.chars().filter(char::is_ascii_digit));
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
pub fn extract_phone(text: &str) -> Option<String> {
    let d = spoken_digits(text);
    match d.len() {
        10 => Some(format!("+1{d}")),
        11 if d.starts_with('1') => Some(format!("+{d}")),
        12..=15 => Some(format!("+{d}")),
        7..=9 => Some(d),
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
/// "sure", "that works").
pub fn yes_no(text: &str) -> YesNo {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let phrase = |p: &str| lower.contains(p);
    let no = has("no")
        || has("nope")
        || has("nah")
        || has("wrong")
        || has("incorrect")
        || phrase("not right")
        || phrase("not correct")
        || phrase("isn't right")
        || phrase("that's not")
        || phrase("change");
    let yes = has("yes")
        || has("yeah")
        || has("yep")
        || has("yup")
        || has("sure")
        || has("correct")
        || has("right")
        || has("perfect")
        || has("exactly")
        || has("absolutely")
        || has("ok")
        || has("okay")
        || has("fine")
        || phrase("that works")
        || phrase("sounds good")
        || phrase("go ahead")
        || phrase("it is")
        || phrase("that's it");
    match (yes, no) {
        (_, true) => YesNo::No,
        (true, false) => YesNo::Yes,
        _ => YesNo::Unclear,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("I want to talk to Alex", None),
            ("call me back", None),
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
        for u in ["Hmm.", "What?", "The blue one."] {
            assert_eq!(yes_no(u), YesNo::Unclear, "{u}");
        }
    }
}
