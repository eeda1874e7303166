//! Date and time expressions in a caller's words → the date, clock time and part of day asked for.
//!
//! Owns the reading of what a caller said ("next Tuesday at half past 3", "the 12th",
//! "tomorrow afternoon", "130") into a [`When`]. Input is what whisper writes: mixed case,
//! stray punctuation, digits glued to "pm", numbers spelled as words.
//!
//! **Architecture Invariant:** pure — no IO and no clock; "now" is an argument, so tests and the
//! dialog can fix the day. It never guesses a date from a time or a time from a date.
//!
//! It deliberately does *not* validate against a calendar (past dates, opening hours, time zones):
//! the dialog confirms what was understood with the caller.
//!
//! Conventions (chosen to match how callers talk and the SGD booking data):
//! - a bare weekday is the next such day after today ("Friday" said on a Friday is a week on);
//!   "this Friday" may be today; "this coming Friday" is never today;
//! - "next Tuesday" and "Tuesday next week" are the Tuesday of the following Monday–Sunday week;
//! - a day of the month that has passed ("the 3rd" on the 20th) is next month's; a named month
//!   that has passed this year is next year's;
//! - a clock time without am/pm and without a part of day is read as business hours:
//!   1–7 → afternoon/evening, 8–11 → morning, 12 → noon, and [`When::meridiem_inferred`] is set.
//! - British "Tuesday week" / "a week on Tuesday" is a week after the coming Tuesday (as "a week
//!   from Tuesday"); "the Monday after next" is the Monday after next week's;
//! - "end of next week" / "end of the week" is that week's Friday, a day without a time;
//! - "first thing Monday" is Monday morning without a clock time: the parser knows no opening
//!   hour, and the dialog offers the morning's first free time, the opening hour when free;
//! - British "half 3" is 3:30 ("half past 3"), never 2:30;
//! - "not this coming Monday but the one after" (or "…, the following one") is a week after
//!   that Monday; what follows "but" is not negated ("not Tuesday but Wednesday");
//! - a learner's "10 and half", "2 and a half in the afternoon" is 10:30, 2:30 (never before a
//!   unit: "2 and a half hours"); "10 sharp", "2 on the dot" is that hour; Australian
//!   "the arvo" is the afternoon;
//! - of two times, the first is meant, unless the caller takes it back between them ("11:30,
//!   no, hang on, scratch that, 2:30", "at 3, I mean 4");
//! - the 24-hour clock in words ("thirteen thirty", "fourteen hundred hours") is that time, and
//!   in digits with "hours" after a time's lead or beside a day ("at 1530 hours"), or written
//!   the French way ("15h30").

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

/// A part of the day a caller names without a clock time ("tomorrow afternoon").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayPart {
    /// 09:00–12:00.
    Morning,
    /// 12:00–17:00.
    Afternoon,
    /// 17:00–21:00; also "tonight" and "night".
    Evening,
}

impl DayPart {
    /// The span of bookable wall-clock time this part of the day stands for, start to end.
    pub fn range(self) -> (NaiveTime, NaiveTime) {
        let (start, end) = match self {
            DayPart::Morning => (9, 12),
            DayPart::Afternoon => (12, 17),
            DayPart::Evening => (17, 21),
        };
        (hm(start, 0), hm(end, 0))
    }
}

/// What a caller asked for: any of a date, a clock time and a part of the day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct When {
    /// The calendar date named, resolved against "now".
    pub date: Option<NaiveDate>,
    /// The clock time named, in 24-hour wall-clock time.
    pub time: Option<NaiveTime>,
    /// Named part of day (morning/afternoon/evening/tonight), also set when a time is given with it.
    pub part: Option<DayPart>,
    /// True when the time's am/pm was not said and was inferred (e.g. "at 3" → 15:00).
    pub meridiem_inferred: bool,
}

impl When {
    /// True when nothing about a date or time was understood.
    pub fn is_empty(&self) -> bool {
        self.date.is_none() && self.time.is_none() && self.part.is_none()
    }
}

/// Parse the date and time a caller asked for, relative to `now` (local wall-clock time in the executive's zone).
pub fn parse(text: &str, now: NaiveDateTime) -> When {
    let toks = respell(Toks::new(tokenize(text)));
    let today = now.date();
    let mut used = vec![false; toks.t.len()];
    let date = pick(&toks, find_dates(&toks, today, &mut used), true).map(|c| c.val);
    let parts = find_parts(&toks);
    let time = pick(&toks, find_times(&toks, &used), false);

    let mut when = When {
        date,
        ..When::default()
    };
    if when.date.is_none() && parts.iter().any(|p| p.today) {
        when.date = Some(today);
    }
    if let Some((at, _)) =
        relative_time(&toks, now).filter(|(_, score)| time.is_none_or(|c| c.score <= *score))
    {
        when.time = Some(at.time());
        when.date = when.date.or(Some(at.date()));
        return when;
    }
    match time {
        Some(c) => {
            // The part of day said nearest the time, if it can go with the hour; one said
            // further away ("Tomorrow evening. Anything at 7?") still sets am/pm.
            let explicit = c.val.meridiem.is_some() || c.val.exact;
            let near = parts
                .iter()
                .filter(|p| !explicit || (p.pos + 5 >= c.start && p.pos <= c.end + 5))
                .filter(|p| explicit || p.part.fits(c.val.hour))
                .min_by_key(|p| p.pos.abs_diff(c.start).min(p.pos.abs_diff(c.end)));
            let (t, inferred) = resolve_clock(c.val, near.map(|p| p.part));
            when.time = Some(t);
            when.meridiem_inferred = inferred;
            when.part = near.map(|p| p.part.day_part());
        }
        None => when.part = parts.first().map(|p| p.part.day_part()),
    }
    when
}

/// "in 2 hours", "in half an hour", "45 minutes from now": a moment counted from now.
fn relative_time(t: &Toks, now: NaiveDateTime) -> Option<(NaiveDateTime, u8)> {
    (0..t.len()).find_map(|i| {
        let has_in = t.is(i, &["in"]);
        let q = i + isize::from(has_in);
        let (count, unit_at) = if t.is(q, &["half"]) && t.is(q + 1, &["an", "a"]) {
            (0.5, q + 2)
        } else if t.is(q, &["an", "a"]) {
            (1.0, q + 1)
        } else {
            let (n, _) = t.int(q).filter(|(n, _)| *n <= 600)?;
            (f64::from(n), q + 1)
        };
        let from_now = t.is(unit_at + 1, &["from"]) && t.is(unit_at + 2, &["now"]);
        if !(has_in || from_now) {
            return None;
        }
        let minutes = match t.w(unit_at) {
            "hour" | "hours" | "hr" | "hrs" => count * 60.0,
            "minute" | "minutes" | "min" | "mins" if count >= 1.0 => count,
            _ => return None,
        };
        Some((now + Duration::minutes(minutes as i64), 4))
    })
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Word,
    /// A whole number, written in digits or spelled ("forty five").
    Int {
        value: u32,
        digits: usize,
        spelled: bool,
    },
    /// "3:30", "15:30", "2.30".
    Clock {
        hour: u32,
        minute: u32,
        colon: bool,
        padded: bool,
    },
    /// "4th", "twenty-first".
    Ordinal {
        day: u32,
        spelled: bool,
    },
    /// "3/10", "3/10/2019", "2019-03-10".
    NumDate {
        month: u32,
        day: u32,
        year: Option<i32>,
    },
    /// A number that is neither of the above ("2.5", "555-1234" pieces are Ints).
    Other,
    Punct,
}

#[derive(Debug, Clone)]
struct Tok {
    /// Lower-case text.
    text: String,
    kind: Kind,
    /// The caller's text began with a capital letter (whisper capitalises names).
    cap: bool,
}

/// Rewrites spellings that span punctuation ("p.m.", "o'clock") into single words.
fn normalize(text: &str) -> Vec<char> {
    let src: Vec<char> = text
        .chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '`' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            _ => c,
        })
        .collect();
    let lower: Vec<char> = src.iter().map(|c| c.to_ascii_lowercase()).collect();
    const SUBS: [(&str, &str); 22] = [
        // Whisper's "at 4", "at 2": "at for this Thursday", "it to on December 9th", "a two on
        // the 9th" ("at for" and "to on" are no English of their own; "book it for Thursday"
        // stays as it is).
        ("at for", "at 4"),
        ("at to", "at 2"),
        ("it to on", "at 2 on"),
        ("it too on", "at 2 on"),
        ("it for on", "at 4 on"),
        ("a two on", "at 2 on"),
        // Whisper's "half past": "half, pass 6", "half pass three", "half, past three".
        ("half, pass", "half past"),
        ("half pass", "half past"),
        ("half, past", "half past"),
        ("quarter pass", "quarter past"),
        ("quarter, past", "quarter past"),
        ("o'clock", "oclock"),
        ("o\"clock", "oclock"),
        ("o clock", "oclock"),
        ("a. m.", "am"),
        ("p. m.", "pm"),
        ("a.m.", "am"),
        ("p.m.", "pm"),
        ("a.m", "am"),
        ("p.m", "pm"),
        ("a m.", "am"),
        ("p m.", "pm"),
    ];
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    'outer: while i < src.len() {
        let boundary = i == 0 || !lower[i - 1].is_alphabetic();
        if boundary {
            for (pat, rep) in SUBS {
                let p: Vec<char> = pat.chars().collect();
                let end = i + p.len();
                if end <= lower.len()
                    && lower[i..end] == p[..]
                    && (end == lower.len() || !(lower[end].is_alphabetic() || lower[end] == '-'))
                {
                    out.push(' ');
                    out.extend(rep.chars());
                    out.push(' ');
                    i = end;
                    continue 'outer;
                }
            }
        }
        let c = src[i];
        // "forty-five", "twenty-first": a hyphen between letters separates words.
        if c == '-'
            && i > 0
            && src[i - 1].is_alphabetic()
            && src.get(i + 1).is_some_and(|n| n.is_alphabetic())
        {
            out.push(' ');
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

fn tokenize(text: &str) -> Vec<Tok> {
    let s = normalize(text);
    let mut toks = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() {
            let mut j = i;
            while j < s.len()
                && (s[j].is_alphabetic()
                    || (s[j] == '\'' && s.get(j + 1).is_some_and(|n| n.is_alphabetic())))
            {
                j += 1;
            }
            let mut w: String = s[i..j].iter().collect::<String>().to_lowercase();
            if let Some(stem) = w.strip_suffix("'s") {
                w = stem.to_string();
            }
            // Whisper glues a spelled hour to am/pm: "Tenam", "sevenpm".
            let glued = ["am", "pm"].iter().find_map(|m| {
                let stem = w.strip_suffix(m)?;
                unit_value(stem)
                    .filter(|v| *v <= 12)
                    .map(|_| (stem.to_string(), m.to_string()))
            });
            if let Some((hour, mer)) = glued {
                toks.push(Tok {
                    text: hour,
                    kind: Kind::Word,
                    cap: c.is_uppercase(),
                });
                toks.push(Tok {
                    text: mer,
                    kind: Kind::Word,
                    cap: false,
                });
                i = j;
                continue;
            }
            toks.push(Tok {
                text: w,
                kind: Kind::Word,
                cap: c.is_uppercase(),
            });
            i = j;
        } else if c.is_ascii_digit() {
            let mut j = i;
            while j < s.len()
                && (s[j].is_ascii_digit()
                    || (":./-".contains(s[j]) && s.get(j + 1).is_some_and(|n| n.is_ascii_digit())))
            {
                j += 1;
            }
            let num: String = s[i..j].iter().collect();
            let mut k = j;
            while k < s.len() && s[k].is_alphabetic() {
                k += 1;
            }
            let suffix: String = s[j..k].iter().collect::<String>().to_lowercase();
            // The French way of writing a clock time: "15h30", "9h30" (hour, "h", minutes).
            let minutes: String = s[k..].iter().take_while(|c| c.is_ascii_digit()).collect();
            if suffix == "h" && num.len() <= 2 && minutes.len() == 2 {
                if let (Ok(hour), Ok(minute)) = (num.parse::<u32>(), minutes.parse::<u32>()) {
                    if hour <= 23 && minute <= 59 {
                        toks.push(Tok {
                            text: format!("{num}h{minutes}"),
                            kind: Kind::Clock {
                                hour,
                                minute,
                                colon: true,
                                padded: false,
                            },
                            cap: false,
                        });
                        i = k + 2;
                        continue;
                    }
                }
            }
            let pieces = number_tokens(&num);
            match (pieces.as_slice(), suffix.as_str()) {
                (
                    [Tok {
                        kind: Kind::Int { value, .. },
                        ..
                    }],
                    "st" | "nd" | "rd" | "th",
                ) => {
                    toks.push(Tok {
                        text: num.clone(),
                        kind: Kind::Ordinal {
                            day: *value,
                            spelled: false,
                        },
                        cap: false,
                    });
                }
                _ => {
                    toks.extend(pieces);
                    if !suffix.is_empty() {
                        toks.push(Tok {
                            text: suffix,
                            kind: Kind::Word,
                            cap: false,
                        });
                    }
                }
            }
            i = k;
        } else {
            toks.push(Tok {
                text: c.to_string(),
                kind: Kind::Punct,
                cap: false,
            });
            i += 1;
        }
    }
    merge_spelled(toks)
}

/// Reads a run of digits and separators ("3:30", "3/10", "2019-03-10", "555-1234").
fn number_tokens(num: &str) -> Vec<Tok> {
    let tok = |kind| Tok {
        text: num.to_string(),
        kind,
        cap: false,
    };
    let int = |s: &str| -> Option<u32> {
        if s.len() <= 9 {
            s.parse().ok()
        } else {
            None
        }
    };
    if num.chars().all(|c| c.is_ascii_digit()) {
        return vec![match int(num) {
            Some(value) => tok(Kind::Int {
                value,
                digits: num.len(),
                spelled: false,
            }),
            None => tok(Kind::Other),
        }];
    }
    let parts: Vec<&str> = num.split([':', '.', '/', '-']).collect();
    let sep = num.chars().find(|c| !c.is_ascii_digit()).unwrap_or(' ');
    let same_sep = num
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .all(|c| c == sep);
    if !same_sep {
        return vec![tok(Kind::Other)];
    }
    match (sep, parts.as_slice()) {
        (':' | '.', [h, m] | [h, m, _]) if m.len() == 2 && h.len() <= 2 => match (int(h), int(m)) {
            (Some(hour), Some(minute)) if hour <= 24 && minute <= 59 => vec![tok(Kind::Clock {
                hour,
                minute,
                colon: sep == ':',
                padded: h.len() == 2 && h.starts_with('0'),
            })],
            _ => vec![tok(Kind::Other)],
        },
        ('/', [m, d]) | ('/', [m, d, _]) => {
            let year = parts.get(2).and_then(|y| int(y)).map(|y| {
                if y < 100 {
                    2000 + y as i32
                } else {
                    y as i32
                }
            });
            match (int(m), int(d)) {
                (Some(month), Some(day))
                    if (1..=12).contains(&month) && (1..=31).contains(&day) =>
                {
                    vec![tok(Kind::NumDate { month, day, year })]
                }
                _ => vec![tok(Kind::Other)],
            }
        }
        ('-', [y, m, d]) if y.len() == 4 => match (int(y), int(m), int(d)) {
            (Some(y), Some(month), Some(day))
                if (1..=12).contains(&month) && (1..=31).contains(&day) =>
            {
                vec![tok(Kind::NumDate {
                    month,
                    day,
                    year: Some(y as i32),
                })]
            }
            _ => vec![tok(Kind::Other)],
        },
        ('-', _) => {
            let mut v = Vec::new();
            for (n, p) in parts.iter().enumerate() {
                if n > 0 {
                    v.push(Tok {
                        text: "-".into(),
                        kind: Kind::Punct,
                        cap: false,
                    });
                }
                v.extend(number_tokens(p));
            }
            v
        }
        _ => vec![tok(Kind::Other)],
    }
}

const UNITS: [&str; 19] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 4] = ["twenty", "thirty", "forty", "fifty"];
const ORDINALS: [&str; 19] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
];

fn unit_value(w: &str) -> Option<u32> {
    UNITS.iter().position(|u| *u == w).map(|p| p as u32 + 1)
}
fn ordinal_value(w: &str) -> Option<u32> {
    ORDINALS.iter().position(|u| *u == w).map(|p| p as u32 + 1)
}
fn tens_value(w: &str) -> Option<u32> {
    TENS.iter()
        .position(|u| *u == w)
        .map(|p| p as u32 * 10 + 20)
}

/// Turns spelled numbers into number tokens: "forty five" → 45, "twenty first" → 21st.
fn merge_spelled(toks: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let next = toks.get(i + 1).map(|n| n.text.as_str()).unwrap_or("");
        let spelled_int = |value: u32| Kind::Int {
            value,
            digits: 0,
            spelled: true,
        };
        let spelled_ord = |day: u32| Kind::Ordinal { day, spelled: true };
        let (kind, len) = if t.kind != Kind::Word {
            (t.kind.clone(), 1)
        } else if let Some(tens) = tens_value(&t.text) {
            match (
                unit_value(next).filter(|u| *u < 10),
                ordinal_value(next).filter(|u| *u < 10),
            ) {
                (Some(u), _) => (spelled_int(tens + u), 2),
                (_, Some(u)) => (spelled_ord(tens + u), 2),
                _ => (spelled_int(tens), 1),
            }
        } else if let Some(u) = unit_value(&t.text) {
            (spelled_int(u), 1)
        } else if let Some(u) = ordinal_value(&t.text) {
            (spelled_ord(u), 1)
        } else if t.text == "twentieth" {
            (spelled_ord(20), 1)
        } else if t.text == "thirtieth" {
            (spelled_ord(30), 1)
        } else {
            (Kind::Word, 1)
        };
        let text = toks[i..i + len]
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        out.push(Tok {
            text,
            kind,
            cap: t.cap,
        });
        i += len;
    }
    out
}

/// Token access that tolerates out-of-range indices.
struct Toks {
    t: Vec<Tok>,
}

impl Toks {
    fn new(t: Vec<Tok>) -> Self {
        Toks { t }
    }
    fn get(&self, i: isize) -> Option<&Tok> {
        usize::try_from(i).ok().and_then(|i| self.t.get(i))
    }
    /// The word at `i`, or "" for a number, punctuation or the ends.
    fn w(&self, i: isize) -> &str {
        match self.get(i) {
            Some(t) if t.kind == Kind::Word => &t.text,
            _ => "",
        }
    }
    fn is(&self, i: isize, words: &[&str]) -> bool {
        let w = self.w(i);
        !w.is_empty() && words.contains(&w)
    }
    fn kind(&self, i: isize) -> Option<&Kind> {
        self.get(i).map(|t| &t.kind)
    }
    fn int(&self, i: isize) -> Option<(u32, bool)> {
        match self.kind(i) {
            Some(Kind::Int { value, spelled, .. }) => Some((*value, *spelled)),
            _ => None,
        }
    }
    fn punct(&self, i: isize, chars: &str) -> bool {
        matches!(self.get(i), Some(t) if t.kind == Kind::Punct && chars.contains(t.text.as_str()))
    }
    fn len(&self) -> isize {
        self.t.len() as isize
    }
}

/// A reading found in the text, with how sure we are of it and where it was.
#[derive(Debug, Clone, Copy)]
struct Cand<T> {
    val: T,
    score: u8,
    start: usize,
    end: usize,
}

/// The highest-scoring candidate. A mention the caller negates ("not Tuesday", "instead of 3")
/// only wins when it is the only one. Among equals, dates take the last mention (callers correct
/// themselves: "the 12th... no, the 13th") unless joined by "or"; times take the first.
fn pick<T: Copy>(t: &Toks, cands: Vec<Cand<T>>, last: bool) -> Option<Cand<T>> {
    let mut best: Option<Cand<T>> = None;
    for mut c in cands {
        if negated(t, c.start as isize) {
            c.score = 0;
        }
        let better = match best {
            None => true,
            Some(b) => {
                let between = b.end + 1..c.start;
                let alternative = between.clone().any(|k| t.is(k as isize, &["or"]));
                // "11:30, no, hang on, scratch that, 2:30": a time taken back for another.
                let repaired = between.clone().any(|k| {
                    let k = k as isize;
                    t.is(k, &["scratch", "scrap", "meant", "correction", "rather"])
                        || (t.is(k, &["no"]) && !t.is(k + 1, &["later", "earlier", "more", "less"]))
                        || (t.is(k, &["i"]) && t.is(k + 1, &["mean"]))
                });
                c.score > b.score
                    || (last && c.score == b.score && !alternative)
                    || (!last && repaired && c.score + 1 >= b.score && c.score > 0)
            }
        };
        if better {
            best = Some(c);
        }
    }
    best
}

/// "not on Tuesday", "can't do 3", "instead of the 12th", "rather than Monday".
fn negated(t: &Toks, start: isize) -> bool {
    for k in 1..=4 {
        let i = start - k;
        if t.get(i).is_none_or(|tok| tok.kind == Kind::Punct) {
            return false;
        }
        let w = t.w(i);
        // "not Tuesday but Wednesday": what follows "but" is affirmed.
        if w == "but" {
            return false;
        }
        if w == "not" || w.ends_with("n't") || w == "except" {
            return true;
        }
        if (w == "of" && t.is(i - 1, &["instead"])) || (w == "than" && t.is(i - 1, &["rather"])) {
            return true;
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Whisper's spellings of spoken numbers

/// Reads whisper's homophones of spoken numbers back as numbers, only where a clock hour or a
/// day of the month must stand: "for in the evening", "evening for.", "to 30 in the afternoon",
/// "for pm", "on the ace", "the ace of this month", "The theft.".
fn respell(mut t: Toks) -> Toks {
    let fixes: Vec<(usize, Kind, bool)> = (0..t.len())
        .filter_map(|i| misheard_number(&t, i).map(|(k, comma)| (i as usize, k, comma)))
        .collect();
    if fixes.is_empty() {
        return t;
    }
    let mut drop = vec![false; t.t.len()];
    for (i, kind, comma) in fixes {
        t.t[i].kind = kind;
        // "afternoon, too?": the comma would part the hour from its part of day.
        if comma {
            drop[i - 1] = true;
        }
    }
    let mut k = 0;
    t.t.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
    t
}

/// The number a misheard word at `i` stands for, and whether the comma before it goes.
fn misheard_number(t: &Toks, i: isize) -> Option<(Kind, bool)> {
    let w = t.w(i);
    match w {
        "for" | "to" | "too" => {
            let v = if w == "for" { 4 } else { 2 };
            misheard_hour(t, i, v).map(|comma| {
                (
                    Kind::Int {
                        value: v,
                        digits: 1,
                        spelled: false,
                    },
                    comma,
                )
            })
        }
        "ace" | "theft" | "fit" if !t.get(i).is_some_and(|tok| tok.cap) => {
            let day = if w == "ace" { 8 } else { 5 };
            misheard_day(t, i, w == "ace").then_some((Kind::Ordinal { day, spelled: true }, false))
        }
        _ => None,
    }
}

/// Words after which "for in the afternoon" is an ordinary phrase, not "four in the afternoon".
const FOR_OBJECTS: [&str; 20] = [
    "it",
    "them",
    "that",
    "this",
    "one",
    "something",
    "anything",
    "nothing",
    "plans",
    "planned",
    "plan",
    "reminder",
    "alarm",
    "booked",
    "scheduled",
    "set",
    "available",
    "free",
    "openings",
    "slots",
];

/// Whether "for"/"to"/"too" at `i` is the hour `v` ("for" 4, "to"/"too" 2): only beside am/pm,
/// "o'clock", minutes and a part of day, or right after a part of day that fits the hour.
/// Returns whether a comma between that part of day and the word should go.
fn misheard_hour(t: &Toks, i: isize, v: u32) -> Option<bool> {
    let ends = |j: isize| t.get(j).is_none() || t.punct(j, ".?!");
    // "too" is mostly "also": only after a part of day in a request about "it".
    let about_it = t.w(i) != "too" || (2..=6).any(|k| t.is(i - k, &["it"]));
    let fits = |p: Option<Part>| p.is_some_and(|p| p.fits(v));
    // "for pm", "to o'clock".
    if t.is(i + 1, &["am", "pm", "oclock"]) {
        return Some(false);
    }
    // "to 30 in the afternoon", "for 45 pm".
    let minutes = matches!(
        t.kind(i + 1),
        Some(Kind::Int {
            value: 15 | 30 | 45,
            digits: 2,
            spelled: false
        })
    );
    if minutes {
        if t.is(i + 2, &["am", "pm"]) {
            return Some(false);
        }
        // "for 30 in the evening" is as likely thirty people.
        if v == 2 && t.is(i + 2, &["in"]) && fits(part_after(t, i + 2)) {
            return Some(false);
        }
        return None;
    }
    // "I think for in the evening is better" (but "book it for in the afternoon", and "the
    // time be for in the evening 7" has its hour).
    let part_at = (i + 2..i + 5).find(|k| part_of(t.w(*k)).is_some());
    let hour_follows = part_at
        .is_some_and(|k| matches!(t.kind(k + 1), Some(Kind::Int { .. } | Kind::Clock { .. })));
    if t.is(i + 1, &["in"])
        && fits(part_after(t, i + 1))
        && !hour_follows
        && !t.is(i - 1, &FOR_OBJECTS)
    {
        return Some(false);
    }
    // "Put an evening for.", "in afternoon to slot", "for the afternoon, too?".
    let comma = t.punct(i - 1, ",");
    let p = i - 1 - isize::from(comma);
    let after_part = fits(part_of(t.w(p))) && !t.is(p - 1, &["good"]);
    if after_part && about_it && (ends(i + 1) || (!comma && t.is(i + 1, &["slot"]))) {
        return Some(comma);
    }
    // "at for.", "at to on Tuesday".
    let day_word = |w: &str| is_tomorrow(w) || w == "today" || weekday_of(w, true).is_some();
    if t.is(i - 1, &["at"])
        && about_it
        && (ends(i + 1)
            || t.punct(i + 1, ",")
            || day_word(t.w(i + 1))
            || (t.is(i + 1, &["on"]) && day_word(t.w(i + 2))))
    {
        return Some(false);
    }
    None
}

/// Whether "ace" (8th) or "theft"/"fit" (5th) at `i`, after "the", is a day of the month:
/// "the ace of this month", "the theft of March", "The theft." said alone, "on the ace.".
fn misheard_day(t: &Toks, i: isize, ace: bool) -> bool {
    if !t.is(i - 1, &["the"]) {
        return false;
    }
    let of_month = t.is(i + 1, &["of"])
        && (month_of(t.w(i + 2)).is_some_and(|_| t.w(i + 2) != "may")
            || (t.is(i + 2, &["this", "next", "the", "current"]) && t.is(i + 3, &["month"])));
    let alone =
        (0..t.len()).all(|k| k == i || k == i - 1 || t.punct(k, ",.?!") || t.is(k, &FILLERS));
    let slot = ace
        && t.is(i - 2, &["on", "for", "by", "until", "till"])
        && (t.get(i + 1).is_none() || t.punct(i + 1, ".?!,") || t.is(i + 1, &["at", "in"]));
    of_month || alone || slot
}

// ---------------------------------------------------------------------------------------------
// Dates

pub(crate) fn weekday_of(w: &str, strict: bool) -> Option<Weekday> {
    let full = match w {
        "monday" | "mondays" => Some(Weekday::Mon),
        "tuesday" | "tuesdays" => Some(Weekday::Tue),
        "wednesday" | "wednesdays" => Some(Weekday::Wed),
        "thursday" | "thursdays" => Some(Weekday::Thu),
        "friday" | "fridays" => Some(Weekday::Fri),
        "saturday" | "saturdays" => Some(Weekday::Sat),
        "sunday" | "sundays" => Some(Weekday::Sun),
        _ => None,
    };
    if full.is_some() || strict {
        return full;
    }
    match w {
        "mon" => Some(Weekday::Mon),
        "tue" | "tues" => Some(Weekday::Tue),
        "wed" | "weds" => Some(Weekday::Wed),
        "thu" | "thur" | "thurs" => Some(Weekday::Thu),
        "fri" => Some(Weekday::Fri),
        "sat" => Some(Weekday::Sat),
        "sun" => Some(Weekday::Sun),
        _ => None,
    }
}

pub(crate) fn month_of(w: &str) -> Option<u32> {
    let m = match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn is_tomorrow(w: &str) -> bool {
    matches!(
        w,
        "tomorrow" | "tomorow" | "tommorow" | "tommorrow" | "tmrw" | "tmr"
    )
}

const STREET: [&str; 24] = [
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "boulevard",
    "blvd",
    "drive",
    "dr",
    "lane",
    "ln",
    "way",
    "place",
    "pl",
    "court",
    "ct",
    "plaza",
    "plz",
    "highway",
    "hwy",
    "parkway",
    "suite",
    "floor",
];

/// Words after which a bare number is a count or an amount, not a clock time or a day.
const UNIT_WORDS: [&str; 34] = [
    "people", "persons", "person", "guests", "guest", "adults", "adult", "kids", "children", "of",
    "hours", "hour", "hrs", "hr", "minutes", "minute", "mins", "min", "days", "day", "weeks",
    "week", "months", "month", "years", "year", "times", "seats", "tickets", "dollars", "bucks",
    "percent", "more", "others",
];

/// The date of `wd` in the week after the current (Monday–Sunday) one.
fn next_week_day(today: NaiveDate, wd: Weekday) -> NaiveDate {
    let offset =
        7 - today.weekday().num_days_from_monday() as i64 + wd.num_days_from_monday() as i64;
    today + Duration::days(offset)
}

/// The first `wd` on or after today (`allow_today`) or strictly after it.
fn upcoming(today: NaiveDate, wd: Weekday, allow_today: bool) -> NaiveDate {
    let mut d = (wd.num_days_from_monday() as i64 - today.weekday().num_days_from_monday() as i64)
        .rem_euclid(7);
    if d == 0 && !allow_today {
        d = 7;
    }
    today + Duration::days(d)
}

/// Day `day` of month `month0` months after today's month, if that day exists.
fn month_day(today: NaiveDate, month0: u32, day: u32) -> Option<NaiveDate> {
    let m = today.month0() + month0;
    NaiveDate::from_ymd_opt(today.year() + (m / 12) as i32, m % 12 + 1, day)
}

/// "the 8th": this month's if it has not passed, else the next month that has it.
fn future_day(today: NaiveDate, day: u32) -> Option<NaiveDate> {
    let first = if day >= today.day() { 0 } else { 1 };
    (first..first + 12).find_map(|k| month_day(today, k, day))
}

/// "March 10": this year's, or next year's if that month has passed.
fn named_month_day(today: NaiveDate, month: u32, day: u32, year: Option<i32>) -> Option<NaiveDate> {
    let y = year.unwrap_or(if month < today.month() {
        today.year() + 1
    } else {
        today.year()
    });
    NaiveDate::from_ymd_opt(y, month, day)
}

/// Numbers of days or weeks: "3", "three", "a", "a couple of".
fn quantity(t: &Toks, i: isize) -> Option<(i64, isize)> {
    match t.w(i) {
        "a" | "an" if t.is(i + 1, &["couple"]) => {
            Some((2, if t.is(i + 2, &["of"]) { 3 } else { 2 }))
        }
        "a" | "an" => Some((1, 1)),
        "couple" => Some((2, if t.is(i + 1, &["of"]) { 2 } else { 1 })),
        "few" => None,
        _ => t
            .int(i)
            .filter(|(v, _)| *v <= 366)
            .map(|(v, _)| (v as i64, 1)),
    }
}

fn find_dates(t: &Toks, today: NaiveDate, used: &mut [bool]) -> Vec<Cand<NaiveDate>> {
    let mut out = Vec::new();
    let mut i: isize = 0;
    while i < t.len() {
        if let Some((date, score, len)) = date_at(t, i, today) {
            let (s, e) = (i as usize, (i + len) as usize);
            used[s..e].iter_mut().for_each(|u| *u = true);
            if let Some(val) = date {
                out.push(Cand {
                    val,
                    score,
                    start: affirmed_from(t, s, e),
                    end: e - 1,
                });
            }
            i += len;
        } else {
            i += 1;
        }
    }
    out
}

/// "first|second|third|fourth|fifth|last|1st…5th <weekday> in|of <month>|the month|this month|
/// next month" at `i`: the date, its score and the tokens used. A count past the month's end
/// ("the fifth Monday in February") is no date.
fn nth_weekday_of_month(
    t: &Toks,
    i: isize,
    today: NaiveDate,
) -> Option<(Option<NaiveDate>, u8, isize)> {
    let nth = match t.kind(i)? {
        Kind::Ordinal { day, .. } if (1..=5).contains(day) => Some(*day),
        Kind::Word if t.w(i) == "last" => None,
        _ => return None,
    };
    let wd = weekday_of(t.w(i + 1), true)?;
    if !t.is(i + 2, &["in", "of"]) {
        return None;
    }
    let (month, year, len) = match (t.w(i + 3), t.w(i + 4)) {
        ("the" | "this", "month") => (today.month(), today.year(), 5),
        ("next", "month") => {
            let next = today.checked_add_months(chrono::Months::new(1))?;
            (next.month(), next.year(), 5)
        }
        (m, _) => {
            let month = month_of(m)?;
            let year = if month < today.month() {
                today.year() + 1
            } else {
                today.year()
            };
            (month, year, 4)
        }
    };
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let to_first = (7 + wd.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
    let first_wd = first + Duration::days(i64::from(to_first));
    let date = match nth {
        Some(n) => first_wd + Duration::days(7 * i64::from(n - 1)),
        None => {
            let mut d = first_wd;
            while (d + Duration::days(7)).month() == month {
                d += Duration::days(7);
            }
            d
        }
    };
    (date.month() == month).then_some((Some(date), 3, len))
}

/// A date expression starting at token `i`: (date, score, tokens used). A `None` date marks
/// tokens that name a period but no day ("next week"), so they are not read as times.
fn date_at(t: &Toks, i: isize, today: NaiveDate) -> Option<(Option<NaiveDate>, u8, isize)> {
    let w = t.w(i);
    let day = |n: i64| Some(today + Duration::days(n));
    // Relative days.
    if w == "day" && t.is(i + 1, &["after"]) && is_tomorrow(t.w(i + 2)) {
        return Some((day(2), 2, 3));
    }
    if is_tomorrow(w) {
        return Some((day(1), 2, 1));
    }
    if w == "today" || w == "tonight" {
        return Some((day(0), 2, 1));
    }
    // "in 3 days", "in two weeks", "a week from today", "two weeks from Monday".
    if let Some((q, ql)) = quantity(t, i + isize::from(w == "in")) {
        let start = i + isize::from(w == "in");
        let unit = t.w(start + ql);
        let days = match unit {
            "day" | "days" => Some(q),
            "week" | "weeks" => Some(q * 7),
            "fortnight" => Some(q * 14),
            _ => None,
        };
        if let Some(days) = days {
            let after = start + ql + 1;
            // "a week from Tuesday", "a week on Friday" (British).
            let on_day = t.is(after, &["on"]) && weekday_of(t.w(after + 1), true).is_some();
            if t.is(after, &["from", "after"]) || on_day {
                let anchor = after + 1;
                let (base, alen) = match t.w(anchor) {
                    "today" | "now" => (Some(today), 1),
                    x if is_tomorrow(x) => (Some(today + Duration::days(1)), 1),
                    "next" => match weekday_of(t.w(anchor + 1), true) {
                        Some(wd) => (Some(next_week_day(today, wd)), 2),
                        None => (None, 0),
                    },
                    "this" => match weekday_of(t.w(anchor + 1), true) {
                        Some(wd) => (Some(upcoming(today, wd, true)), 2),
                        None => (None, 0),
                    },
                    x => match weekday_of(x, true) {
                        Some(wd) => (Some(upcoming(today, wd, false)), 1),
                        None => (None, 0),
                    },
                };
                if let Some(b) = base {
                    return Some((Some(b + Duration::days(days)), 3, anchor + alen - i));
                }
            } else if w == "in" {
                return Some((Some(today + Duration::days(days)), 3, after - i));
            }
        }
    }
    // "end of next week", "the end of the week": that week's Friday.
    if w == "end" && t.is(i + 1, &["of"]) && t.is(i + 3, &["week"]) {
        let date = match t.w(i + 2) {
            "next" => Some(next_week_day(today, Weekday::Fri)),
            "this" | "the" => Some(upcoming(today, Weekday::Fri, true)),
            _ => None,
        };
        if date.is_some() {
            return Some((date, 2, 4));
        }
    }
    // "next week", "this month": periods without a day.
    if t.is(i, &["next", "this", "coming"]) && t.is(i + 1, &["week", "month", "weekend"]) {
        // "next week Tuesday" is handled from the weekday; leave it to that.
        if weekday_of(t.w(i + 2), true).is_none()
            && !(t.is(i + 2, &["on"]) && weekday_of(t.w(i + 3), true).is_some())
        {
            return Some((None, 0, 2));
        }
        return None;
    }
    // "the first Monday in December", "the 2nd Tuesday of March", "the last Friday of the
    // month": that weekday counted in that month (this year's, or next year's when past).
    if let Some(date) = nth_weekday_of_month(t, i, today) {
        return Some(date);
    }
    // Weekdays.
    if let Some(wd) = weekday_of(w, false) {
        let full = weekday_of(w, true).is_some();
        let before = t.w(i - 1);
        // Abbreviations ("sat", "wed") need a date word before them.
        let lead = [
            "on",
            "this",
            "next",
            "coming",
            "following",
            "by",
            "until",
            "till",
            "for",
        ];
        if !full && !lead.contains(&before) {
            return None;
        }
        if matches!(before, "last" | "past" | "previous") {
            return Some((None, 0, 1));
        }
        // Look past "or Wednesday", "," to a trailing "next week" / "this week" / "after next".
        let mut j = i + 1;
        while t.is(j, &["or", "and"]) || t.punct(j, ",") || weekday_of(t.w(j), true).is_some() {
            j += 1;
        }
        if t.is(j, &["of"]) {
            j += 1;
        }
        let (later, llen) = if t.is(j, &["next", "this"]) && t.is(j + 1, &["week"]) {
            (t.w(j), j + 2 - i)
        } else if t.is(i + 1, &["after"]) && t.is(i + 2, &["next"]) {
            ("after", 3)
        } else if t.is(i + 1, &["week"])
            && !matches!(before, "next" | "this" | "following" | "coming")
        {
            // British "Tuesday week": a week after the coming Tuesday.
            ("week", 2)
        } else {
            ("", 1)
        };
        // "next week on Tuesday", "next week, maybe Wednesday".
        let next_week_before = !matches!(before, "this" | "coming")
            && (2..=6).any(|k| t.is(i - k, &["next"]) && t.is(i - k + 1, &["week"]));
        let date = if later == "after" {
            next_week_day(today, wd) + Duration::days(7)
        } else if later == "week" {
            upcoming(today, wd, false) + Duration::days(7)
        } else if later == "next" || before == "next" || before == "following" || next_week_before {
            next_week_day(today, wd)
        } else if before == "coming" {
            upcoming(today, wd, false)
        } else if later == "this" || before == "this" {
            upcoming(today, wd, true)
        } else {
            upcoming(today, wd, false)
        };
        // "Not this coming Monday but the one after", "Tuesday, no, the one after": a week on.
        if let Some(olen) = one_after(t, i + llen) {
            return Some((Some(date + Duration::days(7)), 2, llen + olen));
        }
        return Some((Some(date), 2, llen));
    }
    // "March 10th", "March the 10th", "March 10, 2019".
    if let Some(month) = month_of(w) {
        let j = i + 1 + isize::from(t.is(i + 1, &["the"]));
        let d = match t.kind(j) {
            Some(Kind::Ordinal { day, .. }) => Some(*day),
            Some(Kind::Int {
                value,
                spelled: false,
                ..
            }) if (1..=31).contains(value)
                && !is_meridiem(t.w(j + 1))
                && t.w(j + 1) != "oclock" =>
            {
                Some(*value)
            }
            _ => None,
        };
        if let Some(d) = d {
            let (year, ylen) = year_after(t, j + 1);
            let date = named_month_day(today, month, d, year);
            return Some((date, 4, j + 1 + ylen - i));
        }
        return None;
    }
    // "the 10th of March", "10 March", "the 5th of this month", "the first of next month", "the 8th".
    let (d, spelled) = match t.kind(i) {
        Some(Kind::Ordinal { day, spelled }) => (*day, *spelled),
        Some(Kind::Int {
            value,
            spelled: false,
            ..
        }) if (1..=31).contains(value) => {
            let j = i + 1 + isize::from(t.is(i + 1, &["of"]));
            if let Some(month) = month_of(t.w(j)).filter(|_| t.w(j) != "may" || t.w(i + 1) == "of")
            {
                let (year, ylen) = year_after(t, j + 1);
                return Some((
                    named_month_day(today, month, *value, year),
                    4,
                    j + 1 + ylen - i,
                ));
            }
            // "on the 12": a bare number after "on the" is a day of the month.
            if t.is(i - 1, &["the"]) && t.is(i - 2, &["on"]) && date_follows_ok(t, i + 1) {
                return Some((future_day(today, *value), 3, 1));
            }
            return None;
        }
        Some(Kind::NumDate { month, day, year }) => {
            return Some((named_month_day(today, *month, *day, *year), 4, 1));
        }
        _ => return None,
    };
    if !(1..=31).contains(&d) {
        return None;
    }
    let j = i + 1 + isize::from(t.is(i + 1, &["of"]));
    if let Some(month) = month_of(t.w(j)) {
        let (year, ylen) = year_after(t, j + 1);
        return Some((named_month_day(today, month, d, year), 4, j + 1 + ylen - i));
    }
    // The month as its number, said as an ordinal: "the 26th of the 11th", "10th of 12th".
    if t.is(i + 1, &["of"]) {
        let k = j + isize::from(t.is(j, &["the"]));
        if let Some(Kind::Ordinal { day: month, .. }) = t.kind(k) {
            if (1..=12).contains(month) && date_follows_ok(t, k + 1) {
                return Some((named_month_day(today, *month, d, None), 4, k + 1 - i));
            }
        }
    }
    if t.is(i + 1, &["of"])
        && t.is(j, &["this", "next", "the", "current"])
        && t.is(j + 1, &["month"])
    {
        let date = match t.w(j) {
            "next" => month_day(today, 1, d),
            "the" => future_day(today, d),
            _ => month_day(today, 0, d),
        };
        return Some((date, 4, j + 2 - i));
    }
    if spelled {
        // "the first available", "the second one" are not dates.
        // "Fourth." as an answer; "first"/"second" alone are too common to be dates.
        let lead = t.is(i - 1, &["the", "on", "for", "by"])
            || (d >= 4
                && t.get(i - 1)
                    .is_none_or(|p| p.kind == Kind::Punct || FILLERS.contains(&p.text.as_str())));
        if !lead || !date_follows_ok(t, i + 1) {
            return None;
        }
    } else {
        // "5th Avenue", "24th street", "3rd floor".
        if name_follows(t, i + 1)
            || t.is(i + 1, &STREET)
            || t.is(
                i + 1,
                &[
                    "time",
                    "times",
                    "grade",
                    "birthday",
                    "anniversary",
                    "place",
                    "row",
                ],
            )
        {
            return None;
        }
    }
    Some((future_day(today, d), 3, 1))
}

/// After a weekday, "(, but / no,) the one after (that)" or "the following one": the length of
/// the phrase, which moves the day a week on.
fn one_after(t: &Toks, j: isize) -> Option<isize> {
    let mut k = j;
    while t.punct(k, ",") || t.is(k, &["but", "no", "rather", "i", "mean", "um", "uh"]) {
        k += 1;
    }
    if !t.is(k, &["the"]) {
        return None;
    }
    let len = if one(t, k + 1) && t.is(k + 2, &["after"]) {
        3 + isize::from(t.is(k + 3, &["that"]))
    } else if t.is(k + 1, &["following"]) && one(t, k + 2) {
        3
    } else {
        return None;
    };
    Some(k + len - j)
}

/// Where a mention is affirmed: after the last "but" inside it ("not this coming Monday but
/// the one after" affirms "the one after"), else where it starts.
fn affirmed_from(t: &Toks, start: usize, end: usize) -> usize {
    (start..end)
        .rev()
        .find(|&k| {
            let k = k as isize;
            t.is(k, &["the"]) && (one(t, k + 1) || t.is(k + 1, &["following"]))
        })
        .map_or(start, |k| k)
}

/// The word "one" (a spelled number token).
fn one(t: &Toks, k: isize) -> bool {
    t.get(k).is_some_and(|x| x.text == "one")
}

/// After a day of the month, what may follow when the day is spelled or bare.
fn date_follows_ok(t: &Toks, j: isize) -> bool {
    match t.get(j) {
        None => true,
        Some(tok) => match tok.kind {
            Kind::Punct => true,
            Kind::Word => t.is(
                j,
                &[
                    "at",
                    "on",
                    "in",
                    "or",
                    "and",
                    "please",
                    "then",
                    "instead",
                    "for",
                    "would",
                    "works",
                    "work",
                    "is",
                    "if",
                    "around",
                    "about",
                    "by",
                    "from",
                    "to",
                    "between",
                    "before",
                    "after",
                    "maybe",
                    "perhaps",
                    "possibly",
                    "preferably",
                    "sometime",
                    "anytime",
                    "morning",
                    "afternoon",
                    "evening",
                    "night",
                    "sounds",
                    "should",
                    "could",
                    "will",
                    "thanks",
                    "thank",
                    "that",
                    "this",
                    "of",
                ],
            ),
            // "The first 8am" (whisper's "The 1st. 8am"): a time of day right after the day.
            Kind::Clock { .. } => true,
            Kind::Int { value, .. } => value <= 12 && t.is(j + 1, &["am", "pm"]),
            _ => false,
        },
    }
}

/// An optional year after a month and day: ", 2019" → (Some(2019), tokens used).
fn year_after(t: &Toks, j: isize) -> (Option<i32>, isize) {
    let comma = isize::from(t.punct(j, ","));
    match t.kind(j + comma) {
        Some(Kind::Int {
            value, digits: 4, ..
        }) if (1990..=2100).contains(value) => (Some(*value as i32), comma + 1),
        _ => (None, 0),
    }
}

// ---------------------------------------------------------------------------------------------
// Parts of the day

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl Part {
    fn day_part(self) -> DayPart {
        match self {
            Part::Morning => DayPart::Morning,
            Part::Afternoon => DayPart::Afternoon,
            Part::Evening | Part::Night => DayPart::Evening,
        }
    }

    /// Whether a bare hour (1–12) said with this part of day makes sense ("evening 5", not "morning 3").
    fn fits(self, hour: u32) -> bool {
        match self {
            Part::Morning => (5..=11).contains(&hour),
            Part::Afternoon => (1..=8).contains(&hour) || hour >= 12,
            Part::Evening => (3..=11).contains(&hour) || hour >= 13,
            Part::Night => hour != 0,
        }
    }
}

fn part_of(w: &str) -> Option<Part> {
    match w {
        "morning" | "mornings" => Some(Part::Morning),
        // "arvo": Australian for the afternoon ("4 in the arvo").
        "afternoon" | "afternoons" | "arvo" | "arvos" => Some(Part::Afternoon),
        "evening" | "evenings" | "tonight" => Some(Part::Evening),
        "night" | "nights" => Some(Part::Night),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy)]
struct PartMention {
    part: Part,
    pos: usize,
    /// "tonight", "this afternoon": the part names today too.
    today: bool,
}

fn find_parts(t: &Toks) -> Vec<PartMention> {
    (0..t.len())
        .filter_map(|i| {
            // "first thing Monday": the morning; the dialog offers its first free time, which
            // is the opening hour when the morning is free.
            let first_thing =
                t.get(i).is_some_and(|k| k.text == "first") && t.is(i + 1, &["thing"]);
            let part = part_of(t.w(i)).or(first_thing.then_some(Part::Morning))?;
            if t.is(i - 1, &["good"]) {
                return None;
            }
            let today = t.w(i) == "tonight" || t.is(i - 1, &["this"]);
            Some(PartMention {
                part,
                pos: i as usize,
                today,
            })
        })
        .collect()
}

/// A part-of-day phrase starting at `j`: "in the evening", "at night", "tonight", "this afternoon".
fn part_after(t: &Toks, j: isize) -> Option<Part> {
    let mut k = j;
    if t.is(k, &["in", "at", "this", "tomorrow", "today", "on"]) {
        k += 1;
    }
    if t.is(k, &["the"])
        || (t.w(k).len() <= 3 && t.w(k).starts_with("th") && part_of(t.w(k + 1)).is_some())
    {
        k += 1;
    }
    if t.is(k, &["early", "late", "mid"]) {
        k += 1;
    }
    if k > j + 3 {
        return None;
    }
    part_of(t.w(k))
}

// ---------------------------------------------------------------------------------------------
// Times

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

fn is_meridiem(w: &str) -> bool {
    meridiem(w).is_some()
}

fn meridiem(w: &str) -> Option<Meridiem> {
    match w {
        "am" | "a" => Some(Meridiem::Am),
        "pm" | "p" => Some(Meridiem::Pm),
        _ => None,
    }
}

/// A clock reading before am/pm and part of day are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Clock {
    hour: u32,
    minute: u32,
    meridiem: Option<Meridiem>,
    /// "noon", "15:30", "09:00": no am/pm to infer.
    exact: bool,
}

/// Words before a number that make it a clock time ("at 3", "around 4").
const TIME_LEAD: [&str; 15] = [
    "at",
    "around",
    "about",
    "by",
    "till",
    "til",
    "until",
    "before",
    "after",
    "from",
    "between",
    "approximately",
    "say",
    "maybe",
    "@",
];

/// Weaker leads: "for 3", "move it to 4", "make it 3", "the time is 5", "try 4".
fn weak_lead(t: &Toks, i: isize) -> bool {
    match t.w(i - 1) {
        "for" => !t.is(
            i - 2,
            &[
                "table",
                "party",
                "reservation",
                "seats",
                "room",
                "rooms",
                "tickets",
            ],
        ),
        "to" | "try" | "like" | "then" | "do" | "prefer" | "thinking" => true,
        "it" => t.is(
            i - 2,
            &[
                "make", "do", "have", "move", "change", "put", "set", "book", "schedule", "push",
            ],
        ),
        "is" | "be" => {
            t.is(
                i - 2,
                &[
                    "time",
                    "it",
                    "that",
                    "appointment",
                    "meeting",
                    "slot",
                    "call",
                    "start",
                ],
            ) || time_subject(t, i - 2)
        }
        _ => false,
    }
}

/// "The time of the event is": "time" a few words before "is" in the same clause.
fn time_subject(t: &Toks, j: isize) -> bool {
    (0..4)
        .take_while(|k| t.get(j - k).is_some_and(|tok| tok.kind == Kind::Word))
        .any(|k| t.is(j - k, &["time"]) && t.is(j - k + 1, &["of", "for"]))
}

/// Fillers a caller may wrap around a lone number ("uh, 3 please", "how about 130?").
const FILLERS: [&str; 23] = [
    "uh", "um", "umm", "er", "hmm", "ok", "okay", "yes", "yeah", "yep", "sure", "so", "well",
    "let", "let's", "lets", "please", "then", "oh", "maybe", "perhaps", "how", "ish",
];

/// The whole utterance is this one number and fillers: an answer to "what time?".
fn lone(t: &Toks, i: isize) -> bool {
    (0..t.len()).all(|k| k == i || t.punct(k, ",.?!;:-") || t.is(k, &FILLERS))
}

fn find_times(t: &Toks, used: &[bool]) -> Vec<Cand<Clock>> {
    let mut out = Vec::new();
    for i in 0..t.len() {
        if used[i as usize] {
            continue;
        }
        let found = time_at(t, i).or_else(|| date_then_clock(t, i, used));
        if let Some((val, score, len)) = found {
            out.push(Cand {
                val,
                score,
                start: i as usize,
                end: (i + len - 1) as usize,
            });
        }
    }
    out
}

/// Whisper writes "on 1 March 13:15" as "1 March 13, 15": right after a date, an hour, a comma
/// and quarter-hour minutes ending the sentence.
fn date_then_clock(t: &Toks, i: isize, used: &[bool]) -> Option<(Clock, u8, isize)> {
    let at = isize::from(t.is(i - 1, &["at"]));
    let after_date = i - at >= 1 && used[(i - at - 1) as usize];
    let hour = match t.kind(i) {
        Some(Kind::Int {
            value,
            digits: 1 | 2,
            spelled: false,
        }) if (1..=23).contains(value) => *value,
        _ => return None,
    };
    let minute = match t.kind(i + 2) {
        Some(Kind::Int {
            value: m @ (0 | 15 | 30 | 45),
            digits: 2,
            spelled: false,
        }) => *m,
        _ => return None,
    };
    let ends = t.get(i + 3).is_none() || t.punct(i + 3, ".?!");
    (after_date && t.punct(i + 1, ",") && ends).then_some((
        Clock {
            hour,
            minute,
            meridiem: None,
            exact: hour >= 13,
        },
        4,
        3,
    ))
}

/// Minutes in words after an hour: "thirty", "forty five", "oh five", "fifteen".
fn spelled_minutes(t: &Toks, j: isize) -> Option<(u32, isize)> {
    if t.is(j, &["oh", "o"]) {
        return t
            .int(j + 1)
            .filter(|(v, s)| *s && (1..=9).contains(v))
            .map(|(v, _)| (v, 2));
    }
    t.int(j)
        .filter(|(v, s)| *s && (10..=59).contains(v))
        .map(|(v, _)| (v, 1))
}

/// Minutes before "past"/"to": "quarter", "half", "ten", "twenty five (minutes)".
fn minutes_word(t: &Toks, i: isize) -> Option<(u32, isize, bool)> {
    let a = isize::from(t.is(i, &["a"]));
    match t.w(i + a) {
        "quarter" => Some((15, a + 1, true)),
        "half" => Some((30, a + 1, true)),
        _ => {
            let (v, spelled) = t.int(i)?;
            if !(1..=59).contains(&v) {
                return None;
            }
            let mins = isize::from(t.is(i + 1, &["minutes", "minute", "mins", "min"]));
            Some((v, 1 + mins, spelled || mins == 1))
        }
    }
}

/// An hour after "past"/"to": a number 0–24, maybe with "o'clock" or am/pm; returns (hour, meridiem, len).
fn hour_at(t: &Toks, j: isize) -> Option<(u32, Option<Meridiem>, isize)> {
    let (h, _) = t.int(j).filter(|(v, _)| *v <= 24)?;
    let mut len = 1;
    if t.is(j + len, &["oclock"]) {
        len += 1;
    }
    let m = meridiem(t.w(j + len)).filter(|_| t.is(j + len, &["am", "pm"]));
    if m.is_some() {
        len += 1;
    }
    Some((h, m, len))
}

fn time_at(t: &Toks, i: isize) -> Option<(Clock, u8, isize)> {
    let w = t.w(i);
    let clock = |hour, minute, meridiem| Clock {
        hour,
        minute,
        meridiem,
        exact: false,
    };
    if w == "noon" || w == "midday" {
        return Some((
            Clock {
                hour: 12,
                minute: 0,
                meridiem: None,
                exact: true,
            },
            5,
            1,
        ));
    }
    if w == "midnight" {
        return Some((
            Clock {
                hour: 0,
                minute: 0,
                meridiem: None,
                exact: true,
            },
            5,
            1,
        ));
    }
    let lead = t.is(i - 1, &TIME_LEAD);
    let weak_lead = weak_lead(t, i);
    let part_before = part_of(t.w(i - 1)).is_some() && !t.is(i - 2, &["good"]);

    // "half past 3", "quarter to 6", "ten past four", "twenty to five".
    if let Some((m, mlen, sure)) = minutes_word(t, i) {
        let rel = i + mlen;
        if t.is(rel, &["past", "after", "to", "till", "before", "of"]) {
            let to = t.is(rel, &["to", "till", "before", "of"]);
            // "10 past 3" may use digits; "quarter of 4", "ten after 3" only words.
            let worded = t.int(i).is_none_or(|(_, spelled)| spelled);
            // "10 past 4", "20 past 2" in digits: minutes a clock face counts in fives.
            let sure = sure || (t.is(rel, &["past"]) && m % 5 == 0 && m <= 30);
            let word_ok = sure && (m <= 30 || !to) && (t.is(rel, &["past", "to"]) || worded);
            if let Some((h, mer, hlen)) = hour_at(t, rel + 1).filter(|_| word_ok) {
                // On a 12-hour clock the hour before 1 is 12: "quarter to 1" is 12:45.
                let (hour, minute) = match (to, h) {
                    (false, _) => (h, m),
                    (true, 0) => (23, 60 - m),
                    (true, 1) => (12, 60 - m),
                    (true, _) => (h - 1, 60 - m),
                };
                return Some((clock(hour, minute, mer), 5, rel + 1 + hlen - i));
            }
        }
    }

    // British "half 3" is 3:30 ("half, 3" and "half an hour" are not).
    if w == "half" && !t.is(i - 1, &["a", "and"]) {
        if let Some((h, mer, hlen)) = hour_at(t, i + 1).filter(|(h, _, _)| (1..=12).contains(h)) {
            if bare_number_ok(t, i + 1 + hlen) {
                return Some((clock(h, 30, mer), 4, 1 + hlen));
            }
        }
    }
    // "10 and half", "2 and a half in the afternoon" (a learner's 10:30, 2:30); never before a
    // unit ("2 and a half hours") or without a sign that a clock time is meant.
    if let Some((h, _)) = t.int(i).filter(|(v, _)| (1..=12).contains(v)) {
        let a = isize::from(t.is(i + 2, &["a"]));
        let end = i + 3 + a;
        if t.is(i + 1, &["and"]) && t.is(i + 2 + a, &["half"]) && !t.is(end, &UNIT_WORDS) {
            let mer = meridiem(t.w(end)).filter(|_| t.is(end, &["am", "pm"]));
            let len = end - i + isize::from(mer.is_some());
            let partish = part_before || part_after(t, i + len).is_some();
            if mer.is_some() || partish || lead || weak_lead || beside_day(t, i, i + len) {
                return Some((clock(h, 30, mer), 5, len));
            }
        }
    }
    match t.kind(i)? {
        Kind::Clock {
            hour,
            minute,
            colon,
            padded,
        } => {
            if t.punct(i - 1, "$") {
                return None;
            }
            let mer = meridiem(t.w(i + 1));
            let exact = *padded || *hour >= 13 || *hour == 0;
            let c = Clock {
                hour: *hour,
                minute: *minute,
                meridiem: mer,
                exact,
            };
            let len = 1 + isize::from(mer.is_some());
            let partish = part_before || part_after(t, i + len).is_some();
            if mer.is_some() || partish {
                return Some((c, 5, len));
            }
            if !(*colon || lead || weak_lead || beside_day(t, i, i + len)) {
                return None;
            }
            if t.is(i + 1, &UNIT_WORDS) {
                return None;
            }
            // "between 10:30 and noon", "11:30 to 1 pm": the first of two joined times is as sure
            // as the second and takes its am/pm, as with whole hours.
            let joined = *hour <= 12
                && (t.is(i + 1, &["or", "and", "to", "till", "until", "through"])
                    || t.punct(i + 1, "-"));
            let second = if joined { time_at(t, i + 2) } else { None };
            if let Some((second, score, _)) = second.filter(|(_, score, _)| *score >= 4) {
                let meridiem = second.meridiem.map(|m| {
                    let (end, _) = resolve_clock(second, None);
                    if m == Meridiem::Pm && hour % 12 + 12 > end.hour() {
                        Meridiem::Am
                    } else {
                        m
                    }
                });
                return Some((Clock { meridiem, ..c }, score.max(4), len));
            }
            Some((c, 4, len))
        }
        Kind::Int {
            value,
            digits,
            spelled,
        } => int_time(
            t,
            i,
            *value,
            *digits,
            *spelled,
            lead,
            weak_lead,
            part_before,
        ),
        _ => None,
    }
}

/// A clock time starting with a whole number at `i`: "3 pm", "230pm", "4 o'clock",
/// "one thirty", "evening 4", "at 3", "130".
#[allow(clippy::too_many_arguments)]
fn int_time(
    t: &Toks,
    i: isize,
    v: u32,
    digits: usize,
    spelled: bool,
    lead: bool,
    weak_lead: bool,
    part_before: bool,
) -> Option<(Clock, u8, isize)> {
    let clock = |hour, minute, meridiem| Clock {
        hour,
        minute,
        meridiem,
        exact: false,
    };
    if t.punct(i - 1, "$#") {
        return None;
    }
    // "230pm", "1030 am", "130": hour and minutes run together; "0930" is 24-hour.
    let hhmm = if !spelled && (digits == 3 || digits == 4) {
        let (h, m) = (v / 100, v % 100);
        (m <= 59 && h <= 23).then_some(Clock {
            hour: h,
            minute: m,
            meridiem: None,
            exact: digits == 4 && v < 1000,
        })
    } else {
        None
    };
    let mer_word =
        if t.is(i + 1, &["am", "pm"]) || (t.is(i + 1, &["a", "p"]) && t.punct(i + 2, ".")) {
            meridiem(t.w(i + 1))
        } else {
            None
        };
    // The 24-hour clock in digits with "hours": "at 1530 hours", "Monday, 0930 hrs" (after a
    // time's lead or beside a day; "we logged 1200 hours" is a count).
    if let Some(c) = hhmm.filter(|_| digits == 4) {
        let hours = t.is(i + 1, &["hours", "hrs", "hr", "h"]);
        if hours && (lead || weak_lead || part_before || beside_day(t, i, i + 2)) {
            return Some((Clock { exact: true, ..c }, 5, 2));
        }
    }
    if let Some(mer) = mer_word {
        if (1..=12).contains(&v) {
            return Some((clock(v, 0, Some(mer)), 5, 2));
        }
        if let Some(c) = hhmm.filter(|c| (1..=12).contains(&c.hour)) {
            return Some((
                Clock {
                    meridiem: Some(mer),
                    exact: false,
                    ..c
                },
                5,
                2,
            ));
        }
        return None;
    }
    // "10 sharp", "2 on the dot", "3 o'clock sharp": an hour said as a clock time.
    let sharp_at = i + 1 + isize::from(t.is(i + 1, &["oclock"]));
    let sharp = t.is(sharp_at, &["sharp"])
        || (t.is(sharp_at, &["on"])
            && t.is(sharp_at + 1, &["the"])
            && t.is(sharp_at + 2, &["dot"]));
    if sharp && (1..=12).contains(&v) && hhmm.is_none() {
        let len = if t.is(sharp_at, &["sharp"]) {
            sharp_at + 1
        } else {
            sharp_at + 3
        } - i;
        return Some((clock(v, 0, None), 4, len));
    }
    // "12 noon".
    if v == 12 && t.is(i + 1, &["noon"]) {
        return Some((
            Clock {
                hour: 12,
                minute: 0,
                meridiem: None,
                exact: true,
            },
            5,
            2,
        ));
    }
    if v <= 24 && t.is(i + 1, &["oclock"]) {
        let mer = meridiem(t.w(i + 2)).filter(|_| t.is(i + 2, &["am", "pm"]));
        return Some((clock(v, 0, mer), 5, 2 + isize::from(mer.is_some())));
    }
    // The 24-hour clock in words: "thirteen thirty", "fourteen hundred (hours)", "sixteen
    // fifteen" (13 to 23 only: "ten hundred" is a number).
    if spelled && (13..=23).contains(&v) {
        let hundred = t.is(i + 1, &["hundred"]);
        let mins = if hundred {
            Some((0, 1))
        } else {
            spelled_minutes(t, i + 1)
        };
        if let Some((m, mlen)) = mins {
            let after = i + 1 + mlen;
            if !t.is(after, &UNIT_WORDS) || t.is(after, &["hours"]) {
                let hours = isize::from(t.is(after, &["hours"]));
                let c = Clock {
                    hour: v,
                    minute: m,
                    meridiem: None,
                    exact: true,
                };
                return Some((c, if lead || hundred { 5 } else { 4 }, 1 + mlen + hours));
            }
        }
    }
    // "one thirty", "ten forty five", "four oh five".
    let minutes = spelled_minutes(t, i + 1).filter(|_| spelled && (1..=12).contains(&v));
    if let Some((m, mlen)) = minutes {
        let after = i + 1 + mlen;
        if t.is(after, &UNIT_WORDS) || t.is(after, &["year", "years", "something"]) {
            return None;
        }
        let mer = meridiem(t.w(after)).filter(|_| t.is(after, &["am", "pm"]));
        let len = 1 + mlen + isize::from(mer.is_some());
        let partish = part_before || (!t.is(after, &["at"]) && part_after(t, after).is_some());
        let score = if mer.is_some() {
            5
        } else if partish || lead {
            4
        } else {
            3
        };
        return Some((clock(v, m, mer), score, len));
    }
    // Whisper writes "2:15 in the afternoon" as "2-15": a dash, minutes that cannot be an
    // hour, then am/pm or a part of day ("2-3 pm" and "10-12 am" stay ranges).
    let dash_minutes = match t.kind(i + 2) {
        Some(Kind::Int {
            value,
            digits: 2,
            spelled: false,
        }) if t.punct(i + 1, "-") && (15..=55).contains(value) && value % 5 == 0 => Some(*value),
        _ => None,
    };
    if let Some(m) = dash_minutes.filter(|_| !spelled && digits <= 2 && (1..=12).contains(&v)) {
        if let Some(mer) = meridiem(t.w(i + 3)).filter(|_| t.is(i + 3, &["am", "pm"])) {
            return Some((clock(v, m, Some(mer)), 5, 4));
        }
        if part_after(t, i + 3).is_some() {
            return Some((clock(v, m, None), 4, 3));
        }
    }
    // "2 or 3 pm", "between 2 and 4 pm", "3-4pm", "3 or 3:30": the first of two times joined
    // this way is as sure as the second and takes its am/pm ("11 to 1 pm" is 11 am).
    let joined = (1..=12).contains(&v)
        && (t.is(i + 1, &["or", "and", "to", "till", "until", "through"]) || t.punct(i + 1, "-"));
    let second = if joined { time_at(t, i + 2) } else { None };
    if let Some((second, score, _)) = second.filter(|(_, score, _)| *score >= 3) {
        let meridiem = second.meridiem.map(|m| {
            let (end, _) = resolve_clock(second, None);
            if m == Meridiem::Pm && v % 12 + 12 > end.hour() {
                Meridiem::Am
            } else {
                m
            }
        });
        return Some((clock(v, 0, meridiem), score, 1));
    }
    // "one at afternoon 12": a spelled number before "at" is more likely a pronoun.
    let pa = part_after(t, i + 1).is_some() && !(spelled && t.is(i + 1, &["at"]));
    if !name_follows(t, i + 1) && !t.is(i + 1, &UNIT_WORDS) {
        if v <= 24 && (pa || part_before) && (v >= 1 || !spelled) {
            return Some((clock(v, 0, None), 4, 1));
        }
        if let Some(c) = hhmm.filter(|_| pa || part_before) {
            return Some((c, 4, 1));
        }
    }
    // Whisper writes "3 30" for "three thirty".
    let two_digit_minutes = match t.kind(i + 1) {
        Some(Kind::Int {
            value,
            digits: 2,
            spelled: false,
        }) if *value <= 59 => Some(value),
        _ => None,
    };
    let split = two_digit_minutes.filter(|_| !spelled && (1..=12).contains(&v) && digits <= 2);
    if let Some(m) = split {
        if let Some(mer) = meridiem(t.w(i + 2)).filter(|_| t.is(i + 2, &["am", "pm"])) {
            return Some((clock(v, *m, Some(mer)), 5, 3));
        }
        let partish = part_before || part_after(t, i + 2).is_some();
        if (lead || weak_lead || partish || beside_day(t, i, i + 2)) && bare_number_ok(t, i + 2) {
            return Some((clock(v, *m, None), if partish { 4 } else { 3 }, 2));
        }
        return None;
    }
    if !bare_number_ok(t, i + 1) {
        return None;
    }
    // "tomorrow 10", "Tuesday 4", "3 tomorrow", "10 on Tuesday", "2 on the 25th".
    let beside_day = beside_day(t, i, i + 1);
    if !(lead || weak_lead) {
        let ok = (1..=12).contains(&v) && digits <= 2;
        if ok && !spelled && beside_day {
            return Some((clock(v, 0, None), 2, 1));
        }
        // "I said a two Monday" (whisper's "at" lost its t): a spelled hour right before the
        // day it is on, weakly ("one" is as often a count).
        let day_next = weekday_of(t.w(i + 1), true).is_some() && !t.w(i + 1).ends_with('s');
        if ok && spelled && v >= 2 && day_next {
            return Some((clock(v, 0, None), 1, 1));
        }
        // "4 works for me", "is 4 ok?", "does 3 suit you".
        let opens = t.get(i - 1).is_none_or(|p| p.kind == Kind::Punct)
            || t.is(
                i - 1,
                &["does", "is", "would", "will", "could", "can", "then"],
            )
            || t.is(i - 1, &FILLERS);
        let accepts = t.is(
            i + 1,
            &[
                "works", "work", "ok", "okay", "fine", "sounds", "suits", "suit", "would", "could",
            ],
        );
        let c = if ok {
            Some(clock(v, 0, None))
        } else {
            hhmm.filter(|c| c.hour >= 1)
        };
        return c
            .filter(|_| (opens && accepts) || lone(t, i))
            .map(|c| (c, 1, 1));
    }
    if spelled {
        // "at one of", "for two": spelled numbers need a firm lead. Beside a day it is surer
        // than one before a word: "at four bridge ventures …, maybe at two Monday".
        let score = if beside_day { 3 } else { 2 };
        return (lead && (1..=12).contains(&v)).then_some((clock(v, 0, None), score, 1));
    }
    if (1..=24).contains(&v) && digits <= 2 {
        return Some((clock(v, 0, None), if lead { 2 } else { 1 }, 1));
    }
    // "by 2020" is a year, not 20:20.
    let year = digits == 4 && (1950..=2099).contains(&v);
    hhmm.filter(|c| c.hour >= 1 && !year)
        .map(|c| (c, if lead { 3 } else { 1 }, 1))
}

/// A day named right beside a clock reading at `i..end`: "Tuesday 4", "tomorrow 10.30",
/// "this afternoon, 3.45", "10 30 Wednesday", "10 on Tuesday", "2 on the 25th", "2 on November 25th".
fn beside_day(t: &Toks, i: isize, end: isize) -> bool {
    let day_word =
        |w: &str| is_tomorrow(w) || w == "today" || w == "tonight" || weekday_of(w, true).is_some();
    let ordinal = |k: isize| matches!(t.kind(k), Some(Kind::Ordinal { spelled: false, .. }));
    // "This afternoon, 3.45", "Friday, 10.30", "Thursday the 10th. 10.": the day, part of day
    // or date, a comma or full stop, the clock.
    let said_before = (t.punct(i - 1, ",") || t.punct(i - 1, ".")) && {
        let w = t.w(i - 2);
        day_word(w) || part_of(w).is_some() || ordinal(i - 2)
    };
    // "Friday 4th 2", "Thursday the 10th 1", "December 4th 2": the date right before, said
    // with its weekday or month.
    let dated_before = ordinal(i - 1)
        && (day_word(t.w(i - 2))
            || month_of(t.w(i - 2)).is_some()
            || (t.is(i - 2, &["the"]) && day_word(t.w(i - 3))));
    said_before
        || dated_before
        || day_word(t.w(i - 1))
        || day_word(t.w(end))
        || (t.is(end, &["on", "this", "next"]) && weekday_of(t.w(end + 1), true).is_some())
        || (t.is(end, &["on"])
            && ((t.is(end + 1, &["the"]) && ordinal(end + 2))
                || ordinal(end + 1)
                || month_of(t.w(end + 1)).is_some()))
}

/// A capitalised name after a number ("Berkeley 7", "1 Embarcadero Center", "5 Bon Air Rd").
fn name_follows(t: &Toks, j: isize) -> bool {
    let Some(n) = t.get(j) else { return false };
    n.kind == Kind::Word
        && n.cap
        && n.text != "i"
        && month_of(&n.text).is_none()
        && weekday_of(&n.text, true).is_none()
        && part_of(&n.text).is_none()
        && !is_tomorrow(&n.text)
        && n.text != "today"
        && !is_meridiem(&n.text)
        && !ZONE_HINTS.contains(&n.text.as_str())
        && !t.is(j + 1, &["time", "standard", "daylight"])
}

/// Time zone words after a clock ("at 2 Eastern", "4 GMT"): not a name. "London time" is
/// caught by the "time" after it; `dialog::zone` reads which zone.
const ZONE_HINTS: &[&str] = &[
    "eastern", "central", "mountain", "pacific", "gmt", "utc", "bst", "est", "edt", "cst", "cdt",
    "mst", "mdt", "pst", "pdt", "et", "ct", "pt", "cet", "ist", "wat",
];

/// What may follow a bare number for it to be a clock time: not a count ("2 people"),
/// an address ("1 Embarcadero Center", "1, 4050 Dublin Blvd") or a longer number.
fn bare_number_ok(t: &Toks, j: isize) -> bool {
    if name_follows(t, j)
        || t.is(j, &UNIT_WORDS)
        || t.is(
            j,
            &[
                "point", "another", "other", "thousand", "hundred", "percent", "th",
            ],
        )
    {
        return false;
    }
    if (0..3).any(|k| t.is(j + k, &STREET)) {
        return false;
    }
    // A count before a plural noun: "2 locations", "3 copies".
    let w = t.w(j);
    if w.len() > 3
        && w.ends_with('s')
        && !matches!(
            w,
            "works"
                | "sounds"
                | "suits"
                | "fits"
                | "does"
                | "thanks"
                | "always"
                | "was"
                | "has"
                | "is"
                | "this"
                | "its"
                | "yes"
                | "us"
                | "perhaps"
                | "unless"
                | "tomorrows"
        )
        && !w.ends_with("ss")
        && !w.ends_with("ys")
    {
        return false;
    }
    match t.kind(j) {
        Some(Kind::Int { .. } | Kind::Clock { .. } | Kind::Other | Kind::Ordinal { .. }) => false,
        Some(Kind::Punct) => {
            let p = &t.t[j as usize].text;
            if p == "," && matches!(t.kind(j + 1), Some(Kind::Int { spelled: false, .. })) {
                return false;
            }
            !matches!(p.as_str(), "%" | "#" | "-" | "/" | "$")
        }
        _ => true,
    }
}

/// Applies am/pm, a nearby part of day, or business-hours inference; returns the time and
/// whether am/pm was inferred.
fn resolve_clock(c: Clock, part: Option<Part>) -> (NaiveTime, bool) {
    let h = c.hour % 24;
    let (hour, inferred) = match (c.meridiem, part) {
        (Some(Meridiem::Am), _) => (if h == 12 { 0 } else { h }, false),
        (Some(Meridiem::Pm), _) => (if h < 12 { h + 12 } else { h }, false),
        _ if c.exact || h == 0 || h >= 13 => (h, false),
        (None, Some(Part::Morning)) => (if h == 12 { 0 } else { h }, false),
        (None, Some(Part::Afternoon | Part::Evening)) => (if h == 12 { 12 } else { h + 12 }, false),
        (None, Some(Part::Night)) => (
            match h {
                12 => 0,
                1..=5 => h,
                _ => h + 12,
            },
            false,
        ),
        (None, None) => (if (1..=7).contains(&h) { h + 12 } else { h }, true),
    };
    (hm(hour, c.minute), inferred)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Friday 2019-03-01 09:00, the "today" of the SGD booking data.
    fn friday() -> NaiveDateTime {
        at(2019, 3, 1)
    }

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("valid test date")
    }

    /// "2019-03-05 15:30 ~ afternoon": date, time ("-" when absent), "~" when am/pm was
    /// inferred, then the part of day if any.
    fn render(w: &When) -> String {
        let mut out = format!(
            "{} {}",
            w.date.map_or("-".to_string(), |d| d.to_string()),
            w.time
                .map_or("-".to_string(), |t| t.format("%H:%M").to_string()),
        );
        if w.meridiem_inferred {
            out.push_str(" ~");
        }
        if let Some(p) = w.part {
            out.push_str(match p {
                DayPart::Morning => " morning",
                DayPart::Afternoon => " afternoon",
                DayPart::Evening => " evening",
            });
        }
        out
    }

    fn check_at(now: NaiveDateTime, cases: &[(&str, &str)]) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(input, want)| {
                let got = render(&parse(input, now));
                (got != *want).then(|| format!("{input:?}: want {want:?}, got {got:?}"))
            })
            .collect();
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    fn check(cases: &[(&str, &str)]) {
        check_at(friday(), cases);
    }

    /// A weekday counted in a month: "the first Monday in December", "the 2nd Tuesday of
    /// March", "the last Friday of the month", "the third Wednesday of next month"; a month
    /// already past is next year's. Negatives: "first thing Monday" is Monday morning, "last
    /// Monday" no date to come, a plain "Monday" the coming one.
    #[test]
    fn a_weekday_counted_in_a_month() {
        check(&[
            ("the first Monday in December", "2019-12-02 -"),
            ("Could it be the first Monday in April?", "2019-04-01 -"),
            ("the 2nd Tuesday of March", "2019-03-12 -"),
            ("the second Tuesday in March please", "2019-03-12 -"),
            ("the last Friday of the month", "2019-03-29 -"),
            ("the last Friday in May", "2019-05-31 -"),
            ("the third Wednesday of next month", "2019-04-17 -"),
            ("the first Monday in February", "2020-02-03 -"),
            ("first thing Monday", "2019-03-04 - morning"),
            ("Monday", "2019-03-04 -"),
        ]);
    }

    /// A telegraphic caller's bare hour right after the day and its date ("Friday 8th 2",
    /// "Thursday the 7th 10", "March 5th 3") is the time; a count after the date is not.
    #[test]
    fn a_bare_hour_after_a_dated_day() {
        check(&[
            ("Friday 8th 2.", "2019-03-08 14:00 ~"),
            ("Thursday the 7th 10.", "2019-03-07 10:00 ~"),
            ("March 5th 3", "2019-03-05 15:00 ~"),
            ("No. Tuesday 5th 1.", "2019-03-05 13:00 ~"),
            ("Alex free Monday 11th 4? Meeting.", "2019-03-11 16:00 ~"),
            ("Friday 8th 2 people.", "2019-03-08 -"),
            ("On Friday 8th, 3 of us will come.", "2019-03-08 -"),
        ]);
    }

    /// The month said as its number, an ordinal ("the 26th of the 3rd", "2nd of 12th"), as
    /// callers read a numeric date aloud; a number past twelve or no ordinal is no month.
    #[test]
    fn the_month_as_an_ordinal_number() {
        check(&[
            ("the 26th of the 3rd at 11:00am", "2019-03-26 11:00"),
            ("New date the 10th of the 4th at 15:00.", "2019-04-10 15:00"),
            ("On 2nd of 12th, 3pm.", "2019-12-02 15:00"),
            ("the tenth of the fourth at 2pm", "2019-04-10 14:00"),
            ("the 5th of the month", "2019-03-05 -"),
            ("the 12th of the 13th", "2019-03-13 -"),
        ]);
    }

    /// The 24-hour clock in digits as whisper writes a formal caller's or a French speaker's
    /// time: "1530 hours", "0930 hrs", "15h30", "16h", "1500h", beside a day or after "at";
    /// a count of hours is still no time.
    #[test]
    fn the_24_hour_clock_in_digits_with_hours() {
        check(&[
            (
                "Wednesday the 6th of March at 1530 hours.",
                "2019-03-06 15:30",
            ),
            (
                "At your earliest convenience, say Tuesday 5 March at 1130 hours.",
                "2019-03-05 11:30",
            ),
            (
                "Thursday, 7 March, at 1600 hours precisely, if convenient.",
                "2019-03-07 16:00",
            ),
            ("Monday at 0930 hrs", "2019-03-04 09:30"),
            ("for Tuesday 5 March, at the 15h30", "2019-03-05 15:30"),
            ("Monday 4 March at 16h", "2019-03-04 16:00"),
            ("Tuesday at 9h30 in the morning", "2019-03-05 09:30 morning"),
            ("Wednesday at 1500h", "2019-03-06 15:00"),
            ("We logged 1200 hours on that project.", "- -"),
            ("The audit took 1500 hours last year.", "- -"),
        ]);
    }

    /// Forms of the fourth held-out phrasebook's callers (plain, learner, formal), written from
    /// what they mean: "not this coming Monday but the one after", a learner's "10 and half",
    /// the 24-hour clock, the day before the month.
    #[test]
    fn the_one_after_and_a_learners_clock() {
        check(&[
            // "Not X but the one after": a week after X; "not X but Y" is Y.
            (
                "Not this coming Monday but the one after, let's see, noon, on the dot.",
                "2019-03-11 12:00",
            ),
            (
                "Not this coming Wednesday but the one after, let's see, one-thirty.",
                "2019-03-13 13:30 ~",
            ),
            ("not Tuesday but the one after that", "2019-03-12 -"),
            ("Tuesday, no, the one after, at 2", "2019-03-12 14:00 ~"),
            ("not Tuesday but Wednesday", "2019-03-06 -"),
            ("not this Thursday, the following one", "2019-03-14 -"),
            // "10 and half": 10:30; "2 and a half hours" is no time.
            (
                "For me is good Wednesday 6 March, at 10 and half in morning.",
                "2019-03-06 10:30 morning",
            ),
            ("at 1 and half in afternoon", "- 13:30 afternoon"),
            ("Thursday at 2 and a half", "2019-03-07 14:30 ~"),
            ("The meeting takes 2 and a half hours.", "- -"),
            // The 24-hour clock and the day before the month.
            ("Tuesday 5 March, at 10:00", "2019-03-05 10:00 ~"),
            ("Wednesday 6 March, at 16.30", "2019-03-06 16:30"),
            ("No, I say Wednesday 6 March, at 16.30.", "2019-03-06 16:30"),
            ("I take the 16:30.", "- 16:30"),
            ("14:00, this week Thursday", "2019-03-07 14:00"),
            // "10 sharp", "2 on the dot".
            ("Tuesday, uh, 10 sharp.", "2019-03-05 10:00 ~"),
            ("Thursday the 7th, 2 on the dot", "2019-03-07 14:00 ~"),
            ("3 o'clock sharp on Monday", "2019-03-04 15:00 ~"),
            // A time taken back for another: the later one.
            (
                "March 7, let's see, 11:30 a.m.... no, hang on, scratch that, March 6, let's see, 2:30 p.m.",
                "2019-03-06 14:30",
            ),
            ("Thursday at a quarter to 2, uh, no, sorry, 2 on the dot", "2019-03-07 14:00 ~"),
            ("at 3 pm, I mean 4 pm, on Monday", "2019-03-04 16:00"),
            // Alternatives and ranges keep the first.
            ("Monday at 3 or 4", "2019-03-04 15:00 ~"),
            ("Monday from 2 to 4", "2019-03-04 14:00 ~"),
            // The 24-hour clock in words.
            ("Wednesday 6th March, at thirteen thirty", "2019-03-06 13:30"),
            ("Thursday the 7th, at fourteen hundred hours", "2019-03-07 14:00"),
            ("at sixteen fifteen on Monday", "2019-03-04 16:15"),
            ("There were thirteen people.", "- -"),
            // Australian "the arvo": the afternoon.
            ("Wednesday week, 2 in the arvo", "2019-03-13 14:00 afternoon"),
            ("December the 10th, 4 in the arvo, please.", "2019-12-10 16:00 afternoon"),
        ]);
    }

    #[test]
    fn a_bare_hour_before_this_weekday() {
        // "this" ends in an s but is no plural count ("4 locations").
        check(&[
            ("Is Alex free at 4 this Thursday?", "2019-03-07 16:00 ~"),
            ("No, I said at 4 this Thursday.", "2019-03-07 16:00 ~"),
            ("at 10 this Tuesday", "2019-03-05 10:00 ~"),
        ]);
    }

    #[test]
    fn relative_days() {
        check(&[
            ("today", "2019-03-01 -"),
            ("Could I get the appointment for today?", "2019-03-01 -"),
            ("later today", "2019-03-01 -"),
            ("tomorrow", "2019-03-02 -"),
            ("Tomorrow.", "2019-03-02 -"),
            ("day after tomorrow", "2019-03-03 -"),
            ("Can I come the day after tomorrow?", "2019-03-03 -"),
            ("tonight", "2019-03-01 - evening"),
            ("tonight at 8", "2019-03-01 20:00 evening"),
            ("tomorrow night", "2019-03-02 - evening"),
            ("tomorrow afternoon", "2019-03-02 - afternoon"),
            ("this afternoon", "2019-03-01 - afternoon"),
            ("in 3 days", "2019-03-04 -"),
            ("in two weeks", "2019-03-15 -"),
            ("in a week", "2019-03-08 -"),
            ("In a couple of days", "2019-03-03 -"),
            ("three days from today", "2019-03-04 -"),
            ("a week from today", "2019-03-08 -"),
            ("a week from tomorrow", "2019-03-09 -"),
            ("a week from Monday", "2019-03-11 -"),
            ("two weeks from next Tuesday", "2019-03-19 -"),
        ]);
    }

    #[test]
    fn weekdays_from_a_friday() {
        check(&[
            ("Tuesday", "2019-03-05 -"),
            ("on Tue", "2019-03-05 -"),
            ("on tues at 4", "2019-03-05 16:00 ~"),
            ("Can I come on Sun?", "2019-03-03 -"),
            ("this Saturday", "2019-03-02 -"),
            ("Saturday this week", "2019-03-02 -"),
            ("this Sunday", "2019-03-03 -"),
            ("next Friday", "2019-03-08 -"),
            ("next Thursday", "2019-03-07 -"),
            ("Thursday next week", "2019-03-07 -"),
            ("on Monday of next week", "2019-03-04 -"),
            ("next week Tuesday", "2019-03-05 -"),
            ("next week on Wednesday", "2019-03-06 -"),
            ("next Saturday", "2019-03-09 -"),
            ("next Sunday", "2019-03-10 -"),
            ("this coming Monday", "2019-03-04 -"),
            ("the Tuesday after next", "2019-03-12 -"),
            // A bare weekday equal to today's is a week on; "this Friday" is today.
            ("Friday", "2019-03-08 -"),
            ("on Friday", "2019-03-08 -"),
            ("this Friday", "2019-03-01 -"),
            ("this coming Friday", "2019-03-08 -"),
            ("Friday next week", "2019-03-08 -"),
            // Periods without a day.
            ("next week", "- -"),
            ("sometime next week", "- -"),
            ("this weekend", "- -"),
            ("next month", "- -"),
            ("I sat down yesterday", "- -"),
        ]);
    }

    #[test]
    fn weekdays_from_a_monday() {
        check_at(
            at(2019, 3, 4),
            &[
                ("Tuesday", "2019-03-05 -"),
                ("this Tuesday", "2019-03-05 -"),
                ("next Tuesday", "2019-03-12 -"),
                ("Tuesday next week", "2019-03-12 -"),
                ("Monday", "2019-03-11 -"),
                ("this Monday", "2019-03-04 -"),
                ("this coming Monday", "2019-03-11 -"),
                (
                    "next week, maybe Wednesday afternoon?",
                    "2019-03-13 - afternoon",
                ),
                ("Sunday", "2019-03-10 -"),
                ("next Sunday", "2019-03-17 -"),
            ],
        );
    }

    #[test]
    fn days_of_the_month() {
        check(&[
            ("the 8th", "2019-03-08 -"),
            ("12th", "2019-03-12 -"),
            ("Please check the 1st.", "2019-03-01 -"),
            ("the twelfth", "2019-03-12 -"),
            ("twelfth", "2019-03-12 -"),
            ("on the twelfth", "2019-03-12 -"),
            ("Fourth.", "2019-03-04 -"),
            ("the fourth please", "2019-03-04 -"),
            ("the twenty second", "2019-03-22 -"),
            ("the twenty-first", "2019-03-21 -"),
            ("the 5th of this month", "2019-03-05 -"),
            ("5th of March", "2019-03-05 -"),
            ("the 10th of March", "2019-03-10 -"),
            ("March 10th", "2019-03-10 -"),
            ("March 10", "2019-03-10 -"),
            ("March the tenth", "2019-03-10 -"),
            ("10 March", "2019-03-10 -"),
            ("twenty-second of March", "2019-03-22 -"),
            ("3/10", "2019-03-10 -"),
            ("3/10/2019", "2019-03-10 -"),
            ("2019-03-10", "2019-03-10 -"),
            ("December 3rd, 2019", "2019-12-03 -"),
            ("Dec 3rd", "2019-12-03 -"),
            ("January 5th", "2020-01-05 -"),
            ("February 20", "2020-02-20 -"),
            ("What about May 5th?", "2019-05-05 -"),
            ("the first of next month", "2019-04-01 -"),
            ("on the 2nd of next month", "2019-04-02 -"),
            ("the 31st", "2019-03-31 -"),
            ("on the 9nd", "2019-03-09 -"),
            ("Thursday the 7th", "2019-03-07 -"),
            ("Friday, March 8th", "2019-03-08 -"),
            ("on the 12", "2019-03-12 -"),
            // Not days of the month.
            ("May I book for Tuesday?", "2019-03-05 -"),
            ("the first available appointment", "- -"),
            ("the second one please", "- -"),
            // A day spelled as whisper writes "The 1st. 8am": the time right after it.
            ("The third 8am Denver time.", "2019-03-03 08:00"),
            ("the first 3 of them", "- -"),
            ("First, I need to book.", "- -"),
            ("I'm on the 3rd floor", "- -"),
            ("I live on 5th Avenue", "- -"),
            ("It is at 620 3rd Street", "- -"),
        ]);
    }

    #[test]
    fn days_of_the_month_later_in_the_year() {
        check_at(
            at(2019, 3, 20),
            &[
                ("the 5th", "2019-04-05 -"),
                ("the 25th", "2019-03-25 -"),
                ("the 20th", "2019-03-20 -"),
                ("the 5th of this month", "2019-03-05 -"),
                ("the 5th of next month", "2019-04-05 -"),
                ("February 2nd", "2020-02-02 -"),
            ],
        );
        check_at(
            at(2019, 12, 20),
            &[
                ("the 5th", "2020-01-05 -"),
                ("January 3rd", "2020-01-03 -"),
                ("the first of next month", "2020-01-01 -"),
                ("next Friday", "2019-12-27 -"),
                ("in two weeks", "2020-01-03 -"),
            ],
        );
        // The 30th has passed in January and February has none: March's.
        check_at(at(2019, 1, 31), &[("the 30th", "2019-03-30 -")]);
    }

    #[test]
    fn clock_times() {
        check(&[
            ("3 pm", "- 15:00"),
            ("3pm works", "- 15:00"),
            ("3 p.m. is fine", "- 15:00"),
            ("3 P.M. please", "- 15:00"),
            ("11 a.m", "- 11:00"),
            ("10a.m.", "- 10:00"),
            ("11:15am", "- 11:15"),
            ("12 pm", "- 12:00"),
            ("12 am", "- 00:00"),
            ("3:30", "- 15:30 ~"),
            ("Let's say 3:30.", "- 15:30 ~"),
            ("15:30 please", "- 15:30"),
            ("at 03:00", "- 03:00"),
            ("at 9:00", "- 09:00 ~"),
            ("at 1530", "- 15:30"),
            ("at 0930 tomorrow", "2019-03-02 09:30"),
            ("How about 130?", "- 13:30 ~"),
            ("130.", "- 13:30 ~"),
            ("at 230pm", "- 14:30"),
            ("1030am", "- 10:30"),
            ("2.30pm", "- 14:30"),
            ("at 2.30 pm", "- 14:30"),
            ("at 10.30", "- 10:30 ~"),
            ("at 3 30", "- 15:30 ~"),
            ("5 30 pm", "- 17:30"),
            ("4:00 P.M.", "- 16:00"),
            ("noon", "- 12:00"),
            ("at 12 noon", "- 12:00"),
            ("midday tomorrow", "2019-03-02 12:00"),
            ("midnight", "- 00:00"),
        ]);
    }

    #[test]
    fn spoken_times() {
        check(&[
            ("half past 3", "- 15:30 ~"),
            ("half past three", "- 15:30 ~"),
            ("at half, pass 6 in the afternoon", "- 18:30 afternoon"),
            ("No, I said it to on the 9th.", "2019-03-09 14:00 ~"),
            (
                "Could we do a two on the 9th instead?",
                "2019-03-09 14:00 ~",
            ),
            ("Alex free at for this Thursday?", "2019-03-07 16:00 ~"),
            ("Can we book it for Thursday?", "2019-03-07 -"),
            ("at half, past three, in the afternoon", "- 15:30 afternoon"),
            ("at half past nine", "- 09:30 ~"),
            ("quarter past ten", "- 10:15 ~"),
            ("a quarter past ten", "- 10:15 ~"),
            ("quarter to 6 in the evening", "- 17:45 evening"),
            ("quarter to 1 in the afternoon", "- 12:45 afternoon"),
            ("quarter of four", "- 15:45 ~"),
            ("ten past four", "- 16:10 ~"),
            ("twenty to five", "- 16:40 ~"),
            ("one thirty", "- 13:30 ~"),
            ("at one thirty", "- 13:30 ~"),
            ("two fifteen tomorrow", "2019-03-02 14:15 ~"),
            ("ten forty-five", "- 10:45 ~"),
            ("ten forty five am", "- 10:45"),
            ("four oh five", "- 16:05 ~"),
            ("at five-thirty", "- 17:30 ~"),
            ("four fifteen pm", "- 16:15"),
            ("four o'clock", "- 16:00 ~"),
            ("four o clock", "- 16:00 ~"),
            ("4 o\"clock in the evening", "- 16:00 evening"),
            ("4o'clock", "- 16:00 ~"),
            ("at eleven", "- 11:00 ~"),
            ("eleven am", "- 11:00"),
            ("two pm", "- 14:00"),
            ("Next Thursday, around two.", "2019-03-07 14:00 ~"),
        ]);
    }

    #[test]
    fn parts_of_day() {
        check(&[
            ("at 4 in the evening", "- 16:00 evening"),
            ("one in the afternoon", "- 13:00 afternoon"),
            ("twelve in the afternoon", "- 12:00 afternoon"),
            ("10:30 in the morning", "- 10:30 morning"),
            ("the morning 10:45", "- 10:45 morning"),
            ("afternoon 3:30", "- 15:30 afternoon"),
            ("Put in evening 4.", "- 16:00 evening"),
            ("at afternoon 12", "- 12:00 afternoon"),
            ("half past 8 in the night", "- 20:30 evening"),
            ("at night 9:45", "- 21:45 evening"),
            ("eleven in the night", "- 23:00 evening"),
            ("tomorrow morning at 10", "2019-03-02 10:00 morning"),
            ("at 7 tomorrow evening", "2019-03-02 19:00 evening"),
            ("this evening at 6", "2019-03-01 18:00 evening"),
            ("7 pm tonight", "2019-03-01 19:00 evening"),
            ("Monday morning", "2019-03-04 - morning"),
            ("How about the afternoon?", "- - afternoon"),
            ("First thing in the morning", "- - morning"),
            // A greeting is not a part of day; a part that cannot fit the hour is ignored.
            ("Good morning, can I book at 3?", "- 15:00 ~"),
            (
                "Good afternoon, tomorrow at 10 please.",
                "2019-03-02 10:00 ~",
            ),
            ("Monday morning or Tuesday at 3", "2019-03-04 15:00 ~"),
        ]);
    }

    #[test]
    fn meridiem_inference() {
        check(&[
            ("at 1", "- 13:00 ~"),
            ("at 3", "- 15:00 ~"),
            ("around 5", "- 17:00 ~"),
            ("at 7", "- 19:00 ~"),
            ("at 8", "- 08:00 ~"),
            ("by 11", "- 11:00 ~"),
            ("at 12", "- 12:00 ~"),
            ("at 12:30", "- 12:30 ~"),
            ("at 5:45", "- 17:45 ~"),
            ("at 17", "- 17:00"),
            ("1 am", "- 01:00"),
        ]);
    }

    #[test]
    fn dates_with_times() {
        check(&[
            ("next Tuesday at noon", "2019-03-05 12:00"),
            ("Can we do next Tuesday at noon?", "2019-03-05 12:00"),
            ("next tuesday at half past 3", "2019-03-05 15:30 ~"),
            ("The fourth at 10", "2019-03-04 10:00 ~"),
            ("the 4th at ten", "2019-03-04 10:00 ~"),
            ("3/10 at 3", "2019-03-10 15:00 ~"),
            ("Tuesday at 1530", "2019-03-05 15:30"),
            ("Can I come in at 2.30pm on Monday?", "2019-03-04 14:30"),
            ("today at 4", "2019-03-01 16:00 ~"),
            ("day after tomorrow at 11", "2019-03-03 11:00 ~"),
            ("9 o'clock tomorrow", "2019-03-02 09:00 ~"),
            ("can we do 10 tomorrow?", "2019-03-02 10:00 ~"),
            ("Tuesday 4", "2019-03-05 16:00 ~"),
            ("Wednesday, the 13th, at 10.30 a.m.", "2019-03-13 10:30"),
            (
                "uh, maybe like, next Thursday? Around 2?",
                "2019-03-07 14:00 ~",
            ),
            (
                "at 10 in the morning on the 15th",
                "2019-03-15 10:00 morning",
            ),
            ("Let's do noon on Thursday", "2019-03-07 12:00"),
            ("How about 130 tomorrow?", "2019-03-02 13:30 ~"),
            (
                "Sure, how about today, March 5th at half past 5 in the evening?",
                "2019-03-05 17:30 evening",
            ),
            (
                "Book it for next Tuesday. Any openings at 2:30 in the afternoon?",
                "2019-03-05 14:30 afternoon",
            ),
        ]);
    }

    /// A bare hour said as its own sentence or clause right after the day: "Thursday the 10th.
    /// 10." is 10 AM that day; a count in a story ("about six years now") is no time.
    #[test]
    fn bare_hour_after_a_day() {
        check(&[
            ("Thursday the 14th. 10.", "2019-03-14 10:00 ~"),
            ("Sunday the 10th. 10.", "2019-03-10 10:00 ~"),
            ("The 12th. 3.", "2019-03-12 15:00 ~"),
            ("Tuesday. 4.", "2019-03-05 16:00 ~"),
            ("Next Wednesday, 11.", "2019-03-06 11:00 ~"),
            ("I've been there about six years now.", "- -"),
            (
                "I've been there about six years now, anyway. I was at the office today.",
                "2019-03-01 -",
            ),
            ("On the 10th. 10 people will come.", "2019-03-10 -"),
        ]);
    }

    /// An hour in words beside the day it is on is the time meant, over one before another
    /// word ("at four bridge ventures" is a company misheard); "a two Monday" is whisper's "at
    /// two Monday". "One Monday" is a count (and "two Mondays").
    #[test]
    fn a_spelled_hour_beside_its_day() {
        check(&[
            (
                "It's Huong at four bridge ventures. Maybe at two Monday, March 4th.",
                "2019-03-04 14:00 ~",
            ),
            ("No I said a two Monday, March 4th.", "2019-03-04 14:00 ~"),
            ("Monday at four.", "2019-03-04 16:00 ~"),
            ("at four bridge ventures", "- 16:00 ~"),
            ("One Monday in March.", "2019-03-04 -"),
        ]);
    }

    #[test]
    fn corrections_and_alternatives() {
        check(&[
            ("I can't do Tuesday, how about Wednesday?", "2019-03-06 -"),
            ("not at 3, at 4", "- 16:00 ~"),
            ("Not at 3, at 4 pm", "- 16:00"),
            ("Tuesday or Wednesday", "2019-03-05 -"),
            ("the 5th or the 6th", "2019-03-05 -"),
            ("the 5th, no, the 6th", "2019-03-06 -"),
            (
                "I had something on the 12th. Can you do the 13th of this month instead?",
                "2019-03-13 -",
            ),
            ("Not today. Make it next Thursday.", "2019-03-07 -"),
            ("Today, March 5th", "2019-03-05 -"),
            ("Can I book something for 2 pm or 3 pm?", "- 14:00"),
            ("between 2 and 4 pm", "- 14:00"),
            ("2-4pm", "- 14:00"),
            ("from 11 to 1 pm", "- 11:00"),
            ("sometime between two and four", "- 14:00 ~"),
            // The first of two joined clock times, whatever the second is.
            ("sometime between 10:30 and noon", "- 10:30 ~"),
            ("between 2:30 and 4:30", "- 14:30 ~"),
            ("between 11:30 and 1:30", "- 11:30 ~"),
            ("from 11:30 to 1 pm", "- 11:30"),
            (
                "Actually, can you make it for 1 pm instead? I have something else at 2.",
                "- 13:00",
            ),
        ]);
    }

    #[test]
    fn relative_times() {
        check(&[
            ("in 2 hours", "2019-03-01 11:00"),
            ("in half an hour", "2019-03-01 09:30"),
            ("an hour from now", "2019-03-01 10:00"),
            ("I'll be there in 20 minutes", "2019-03-01 09:20"),
        ]);
    }

    #[test]
    fn lone_and_loose_numbers() {
        check(&[
            ("Three.", "- 15:00 ~"),
            ("Uh, 3 please.", "- 15:00 ~"),
            ("3ish", "- 15:00 ~"),
            ("at 3ish", "- 15:00 ~"),
            ("Is 4 ok?", "- 16:00 ~"),
            ("4 works for me", "- 16:00 ~"),
            ("That one works", "- -"),
            ("How many? 3", "- -"),
        ]);
    }

    #[test]
    fn numbers_that_are_not_times() {
        check(&[
            ("The event is located at 1875 South Bascom Avenue", "- -"),
            ("I'm at 1875 south bascom avenue", "- -"),
            ("Call it Movie at United Artists Berkeley 7", "- -"),
            ("Movie at AMC NewPark 12", "- -"),
            ("It's at 1 Embarcadero Center", "- -"),
            ("at 5 Bon Air Rd # 114", "- -"),
            ("It's at 1, 4050 Dublin Boulevard", "- -"),
            ("My number is 555 1234", "- -"),
            ("call me at 555-123-4567", "- -"),
            ("at 415 555 1234", "- -"),
            ("a table for 2 people", "- -"),
            ("Pencil in a Table for 2 at Mcdonald's", "- -"),
            ("book it for 3 hours", "- -"),
            ("for 3 people at 7", "- 19:00 ~"),
            ("We're a party of 6 at 8", "- 08:00 ~"),
            ("I need 2 rooms", "- -"),
            ("at 2 locations", "- -"),
            ("I'd like 3 copies", "- -"),
            ("it costs $3.50", "- -"),
            ("at $5", "- -"),
            ("It's about 20 minutes away", "- -"),
            ("My zip is 94110", "- -"),
            ("I'm 45", "- -"),
            ("flight 370", "- -"),
            ("at one of your offices", "- -"),
            ("I want one on the 9th", "2019-03-09 -"),
            (
                "Please try scheduling one at afternoon 12.",
                "- 12:00 afternoon",
            ),
            ("ok", "- -"),
            ("", "- -"),
        ]);
    }

    #[test]
    fn addresses_beside_times() {
        check(&[
            (
                "Add it at 9:45 pm at 2274 Shattuck Avenue, call it Movie at United Artists Berkeley 7.",
                "- 21:45",
            ),
            (
                "Call it Movie at United Artists Berkeley 7 and make it for 3:30 pm.",
                "- 15:30",
            ),
            (
                "Add movie at Century to calendar, at 7000 Northgate Drive and 9 o\"clock in the night.",
                "- 21:00 evening",
            ),
            (
                "It's at 1, 4050 Dublin Boulevard tomorrow morning 11:30.",
                "2019-03-02 11:30 morning",
            ),
            (
                "Movie booking which will be at quarter to 10 in the morning at 2508.",
                "- 09:45 morning",
            ),
            (
                "Restaurant reservation for 4 at Mariscos El Patron and the event time is 19:30.",
                "- 19:30",
            ),
        ]);
    }

    /// Whisper's spellings of spoken numbers over a phone line (tests/data/sgd/heard.jsonl),
    /// and look-alike phrases that must keep their ordinary reading.
    #[test]
    fn whisper_spellings() {
        check(&[
            // "for"/"to"/"too" as 4 and 2 where only an hour fits.
            (
                "Sorry, I think for in the evening is better.",
                "- 16:00 evening",
            ),
            ("Put an evening for.", "- 16:00 evening"),
            ("Add it in afternoon to slot.", "- 14:00 afternoon"),
            (
                "Can you change it for the afternoon, too?",
                "- 14:00 afternoon",
            ),
            (
                "Yes, I would like to 30 in the afternoon.",
                "- 14:30 afternoon",
            ),
            ("Can we do for pm?", "- 16:00"),
            ("Make it for 30 pm.", "- 16:30"),
            ("Let's say to o'clock.", "- 14:00 ~"),
            ("Can I come at for?", "- 16:00 ~"),
            ("at to on Tuesday", "2019-03-05 14:00 ~"),
            // "ace" as the 8th, "theft" as the 5th.
            (
                "I'd like to see Dr. Thomas Dodgle at morning 11 on the ace. Is he free?",
                "2019-03-08 11:00 morning",
            ),
            (
                "I would like to see the events on my calendar and more specifically for the ace of this month.",
                "2019-03-08 -",
            ),
            ("Check my calendar for the ace of this month.", "2019-03-08 -"),
            ("The theft.", "2019-03-05 -"),
            ("the fit of March", "2019-03-05 -"),
            // Glued am/pm, "2-15", "13, 15" after a date, "1515" as the time.
            (
                "Tenam on Saturday this week would be good.",
                "2019-03-02 10:00",
            ),
            ("sevenpm tomorrow", "2019-03-02 19:00"),
            (
                "Can you book me a dental appointment around 2-15 in the afternoon?",
                "- 14:15 afternoon",
            ),
            ("at 11-30 am", "- 11:30"),
            ("Please book on 1 March 13, 15.", "2019-03-01 13:15"),
            (
                "The time of the event is 1515 and the location for it is 535 Pierce Street.",
                "- 15:15",
            ),
            // Not numbers.
            ("I'm calling for the evening shift manager", "- - evening"),
            ("I need to talk to someone", "- -"),
            ("that's for Tuesday", "2019-03-05 -"),
            ("two people for the 5th", "2019-03-05 -"),
            ("press 1 for sales", "- -"),
            ("route 2-15 is closed", "- -"),
            ("2-3 pm", "- 14:00"),
            ("10-12 am", "- 10:00"),
            ("call me at 555-2-15", "- -"),
            ("Can you book it for in the afternoon?", "- - afternoon"),
            ("Do you have anything for in the morning?", "- - morning"),
            (
                "Make the event title be Movie show and the time be for in the evening 7.",
                "- 19:00 evening",
            ),
            ("I'd like to come in the evening", "- - evening"),
            ("I can do the afternoon too.", "- - afternoon"),
            ("Tuesday afternoon works too", "2019-03-05 - afternoon"),
            ("in the morning, too", "- - morning"),
            ("What do you have in the evening for dinner?", "- - evening"),
            ("the afternoon to meet", "- - afternoon"),
            ("tickets for 30 in the evening", "- - evening"),
            ("I'd like to 30 people", "- -"),
            ("Let me look at to-do list", "- -"),
            ("We are looking at too many options.", "- -"),
            ("Ace Hardware on the Ace", "- -"),
            ("I'm staying at the Ace Hotel", "- -"),
            ("He has the ace of spades", "- -"),
            ("I have news on the theft.", "- -"),
            ("I need a lawyer for the theft.", "- -"),
            ("The fit is wrong.", "- -"),
            ("I'll take the fit one", "- -"),
            ("Ten am sharp.", "- 10:00"),
            ("I am free", "- -"),
            ("My program is there", "- -"),
            ("on 1 March 13, 15 people", "2019-03-01 -"),
            ("March 13, 15", "2019-03-13 -"),
            ("the time of year is 2019", "- -"),
            ("The time for it is 1515.", "- 15:15"),
        ]);
    }

    #[test]
    fn day_part_ranges() {
        assert_eq!(DayPart::Morning.range(), (hm(9, 0), hm(12, 0)));
        assert_eq!(DayPart::Afternoon.range(), (hm(12, 0), hm(17, 0)));
        assert_eq!(DayPart::Evening.range(), (hm(17, 0), hm(21, 0)));
        assert!(When::default().is_empty());
        assert!(!parse("tomorrow", friday()).is_empty());
    }

    /// A cheap stand-in for a fuzzer: odd mixtures of the tokens the parser cares about must
    /// never panic, and whatever comes back must be a real date and time.
    #[test]
    fn never_panics() {
        const PIECES: [&str; 40] = [
            "at",
            "the",
            "3",
            "12",
            "31st",
            "0",
            "24:00",
            "99:99",
            "1/1/1",
            "13/45",
            "9999-99-99",
            "quarter",
            "to",
            "past",
            "half",
            "a",
            "in",
            "days",
            "weeks",
            "hours",
            "next",
            "this",
            "week",
            "monday",
            "sun",
            "march",
            "may",
            "of",
            "month",
            "pm",
            "a.m.",
            "o'clock",
            ",",
            "-",
            "$",
            "#",
            "twenty",
            "first",
            "oh",
            "4294967296",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(seed % 7 + 1) {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
                text.push(if seed & 1 == 0 { ' ' } else { '\u{0}' });
            }
            let text = text.replace('\u{0}', "");
            let _ = parse(&text, friday());
            let _ = parse(&text, at(2019, 12, 31));
        }
    }
}
