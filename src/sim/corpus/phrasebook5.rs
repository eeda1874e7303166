//! The fifth held-out phrasebook: the generator's facts said by callers from other corners of
//! the English-speaking world, written from the facts before its author read the dialog's code.
//!
//! The facts (who calls, what they want, the wished instant, the expected result) come from
//! [`super::generate`] with [`HELDOUT5_SEED`]; the words and some habits are new. Each caller
//! talks one of five ways ([`Style`]):
//! - Indian English: "myself Priya from…", "my good name is…", "kindly do the needful",
//!   "kindly revert", "prepone" and "postpone", "tomorrow itself", "next to next Monday",
//!   "9th December", numbers in words with "double" and "triple", "oh" for zero;
//! - Irish and Scottish: "half four" (half past four), "Monday week", "would you ever…", "I'm
//!   after missing him", "cry off" a meeting, "you're grand" for no thanks, "double L" when
//!   spelling, "double oh four four" for +44;
//! - Southern US: "fixin' to", "y'all", "noonish", "right after lunch", "next Thursday the
//!   10th", "this comin' Friday", "move it up" and "push it";
//! - terse: "Meeting with Alex." "Thursday. 3." "Hours?" with no a.m. or p.m. inside the working
//!   day;
//! - rambling: a story before the point, "first thing in the morning", "end of day", "a week
//!   from Monday", the day and the time in separate sentences.
//!
//! Habits across the five: self-repairs mid-sentence by a quarter of an hour ("quarter past
//! two, no, half two") or a day; the wrong number said and taken back in the same breath;
//! answers to another question than the one asked (the purpose where the name was asked, the
//! time where the purpose was); politeness wrapped around everything.
//!
//! The reactive [`super::Caller`] plays these lines exactly as it plays the generator's, so the
//! same checks apply.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::phrasebook::{cap, pick};
use super::phrasebook2::{lower_first, wrong_start};
use super::phrasebook4::tidy;
use super::{generate, Aside, Asked, Callback, Class, FactSheet, Goal, Lines};
use crate::logic::calendar::ordinal;
use crate::persona::Persona;

/// The seed of the fifth held-out phrasebook's facts and wording.
pub const HELDOUT5_SEED: u64 = 0x5A7E_1C0D;

/// Calls in the fifth held-out phrasebook run.
pub const HELDOUT5_CALLS: usize = 80;

/// `n` calls of the fifth held-out phrasebook: the generator's facts from `seed`, every line
/// said its way.
pub fn heldout5(persona: &Persona, now: DateTime<Utc>, seed: u64, n: usize) -> Vec<FactSheet> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0B0E_5A1D);
    generate(persona, now, seed, n)
        .into_iter()
        .map(|sheet| rephrase(persona, now, &mut rng, sheet))
        .collect()
}

/// How a caller talks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Indian English.
    Desi,
    /// Irish or Scottish English.
    Celtic,
    /// Southern US.
    Southern,
    /// As few words as will do.
    Terse,
    /// A story before the point.
    Rambler,
}

/// One phrasing for this caller's style, from five lists in [`Style`] order.
fn by<'a>(rng: &mut StdRng, style: Style, forms: [&[&'a str]; 5]) -> &'a str {
    let i = match style {
        Style::Desi => 0,
        Style::Celtic => 1,
        Style::Southern => 2,
        Style::Terse => 3,
        Style::Rambler => 4,
    };
    pick(rng, forms[i])
}

const WORDS: [&str; 13] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
];

/// Digits said as words, "oh" for zero, runs as "double" and "triple": "six one seven, triple
/// five, oh one four two".
fn digit_words(group: &str) -> String {
    let ds: Vec<usize> = group
        .chars()
        .filter_map(|c| c.to_digit(10).map(|d| d as usize))
        .collect();
    let word = |d: usize| if d == 0 { "oh" } else { WORDS[d] };
    let mut out = Vec::new();
    let mut i = 0;
    while i < ds.len() {
        let run = ds[i..].iter().take_while(|&&d| d == ds[i]).count();
        match run {
            1 => out.push(word(ds[i]).to_string()),
            2 => out.push(format!("double {}", word(ds[i]))),
            3 => out.push(format!("triple {}", word(ds[i]))),
            _ => out.push(format!("double {w}, double {w}", w = word(ds[i]))),
        }
        i += run.min(4);
    }
    out.join(" ")
}

/// A phone number as this caller says it (as whisper writes it).
fn write_number(rng: &mut StdRng, style: Style, d: &str) -> String {
    if d.len() != 10 {
        let tail = &d[8..];
        return match (style, rng.random_range(0..2)) {
            (Style::Desi, _) => format!(
                "plus four four, two oh seven nine four six, {}",
                digit_words(tail)
            ),
            (Style::Celtic, 0) => format!(
                "double oh four four, two oh, seven nine four six, {}",
                digit_words(tail)
            ),
            (Style::Rambler, _) => format!("it's a UK number, so 44, 20, 7946, {tail}"),
            (Style::Terse, _) => format!("+44 20 7946 {tail}"),
            _ => format!("44 20 7946 {tail}"),
        };
    }
    let (a, b, c) = (&d[..3], &d[3..6], &d[6..]);
    match (style, rng.random_range(0..2)) {
        (Style::Desi, 0) => format!("{}, {}, {}", digit_words(a), digit_words(b), digit_words(c)),
        (Style::Desi, _) => format!("{}, {}", digit_words(&d[..5]), digit_words(&d[5..])),
        (Style::Celtic, 0) => format!("{}, {}, {}", digit_words(a), digit_words(b), digit_words(c)),
        (Style::Celtic, _) => format!("{a} {b} {c}"),
        (Style::Southern, 0) => format!("{a}-{b}-{c}"),
        (Style::Southern, _) => format!("area code {a}, then {b}-{c}"),
        (Style::Terse, _) => format!("{a} {b} {c}"),
        (Style::Rambler, 0) => format!("it's a {a} number, {b}, {c}"),
        (Style::Rambler, _) => format!("{a}, um, {b}, {c}"),
    }
}

/// A clock time on the hour or half hour as this caller says it; `foreign` when it is the
/// caller's own zone (then the part of the day is always said).
fn write_time(rng: &mut StdRng, style: Style, t: NaiveTime, foreign: bool) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    let w12 = WORDS[h12 as usize];
    let working = (9..=16).contains(&h) && !foreign;
    let part = if h < 12 {
        "in the morning"
    } else if h >= 17 {
        "in the evening"
    } else {
        "in the afternoon"
    };
    let ampm = if h < 12 { "am" } else { "pm" };
    if h == 12 && m == 0 {
        return by(
            rng,
            style,
            [
                &["12 noon", "12 o'clock in the afternoon"],
                &["twelve o'clock, midday", "midday"],
                &["noonish", "noon"],
                &["noon"],
                &["around lunchtime, like twelve o'clock", "noon"],
            ],
        )
        .to_string();
    }
    if h == 9 && m == 0 && !foreign && rng.random_bool(0.5) {
        match style {
            Style::Rambler | Style::Southern | Style::Celtic => {
                return "first thing in the morning".into()
            }
            _ => {}
        }
    }
    if h == 13 && m == 0 && !foreign && matches!(style, Style::Southern | Style::Rambler) {
        return "right after lunch, one o'clock".into();
    }
    if h == 16 && m == 30 && !foreign && style == Style::Rambler {
        return "end of day, say 4:30".into();
    }
    let evening = if h >= 16 && style == Style::Desi {
        "in the evening"
    } else {
        part
    };
    match (style, m, rng.random_range(0..2)) {
        (Style::Desi, 0, 0) => format!("{h12} o'clock {evening}"),
        (Style::Desi, 0, _) => format!("{h12} {ampm} sharp"),
        (Style::Desi, _, 0) => format!("half past {h12} {evening}"),
        (Style::Desi, _, _) => format!("{h12}:30 {ampm}"),
        (Style::Celtic, 0, 0) if working => format!("{w12} o'clock"),
        (Style::Celtic, 0, _) => format!("{w12} {part}"),
        (Style::Celtic, _, 0) if working => format!("half {w12}"),
        (Style::Celtic, _, _) => format!("half {w12} {part}"),
        (Style::Southern, 0, 0) if working => format!("{h12} o'clock sharp"),
        (Style::Southern, 0, _) => format!("{h12} o'clock {part}"),
        (Style::Southern, _, 0) => format!("half past {h12} {part}"),
        (Style::Southern, _, _) => format!("{h12}:30 {ampm}"),
        (Style::Terse, 0, _) if working => format!("{h12}"),
        (Style::Terse, 0, _) => format!("{h12}{ampm}"),
        (Style::Terse, _, _) if working => format!("{h12}:30"),
        (Style::Terse, _, _) => format!("{h12}:30{ampm}"),
        (Style::Rambler, 0, 0) => format!("{h12} {}", if h < 12 { "a.m." } else { "p.m." }),
        (Style::Rambler, 0, _) => format!("{w12} o'clock {part}"),
        (Style::Rambler, _, 0) => format!("half past {h12}, {part}"),
        (Style::Rambler, _, _) => format!("{h12}:30 {ampm}"),
    }
}

/// The time said wrong by a quarter of an hour, then right: "quarter past 2, no, half past 2".
fn quarter_repair(rng: &mut StdRng, style: Style, t: NaiveTime, right: &str) -> String {
    let h = t.hour();
    let h12 = |h: u32| if h > 12 { h - 12 } else { h };
    // A quarter past the hour: a quarter of an hour off either way.
    let wrong = format!("quarter past {}", h12(h));
    let oops = by(
        rng,
        style,
        [
            &["sorry sorry, not that,", "no, one minute, I mean"],
            &["ah no, wait,", "no, sorry, I'm after getting that wrong,"],
            &["no, hold on now,", "wait, no,"],
            &["no.", "no, wait."],
            &["no, sorry, what am I saying,", "actually, no, hang on,"],
        ],
    );
    format!("{wrong}, {oops} {right}")
}

/// `s` capitalised and closed with a full stop (unless it ends in one already: "p.m.").
fn sentence(s: &str) -> String {
    let s = cap(s);
    if s.ends_with(['.', '?', '!']) {
        s
    } else {
        format!("{s}.")
    }
}

/// The Monday of the week after `today`'s.
fn next_monday(today: NaiveDate) -> NaiveDate {
    today + Duration::days(7 - today.weekday().num_days_from_monday() as i64)
}

/// A day named from `today` the way this caller names it, precise on its own.
fn write_day(rng: &mut StdRng, style: Style, date: NaiveDate, today: NaiveDate) -> String {
    let ahead = (date - today).num_days();
    let weekday = date.format("%A").to_string();
    let month = date.format("%B").to_string();
    let nth = ordinal(date.day());
    let monday = next_monday(today);
    let this_week = ahead >= 1 && date < monday;
    let next_week = date >= monday && date < monday + Duration::days(7);
    let base = date - Duration::days(7);
    let week_from = base > today && base < today + Duration::days(7);
    let mut forms: Vec<String> = Vec::new();
    match style {
        Style::Desi => {
            forms.push(format!("{nth} {month}"));
            forms.push(format!("{weekday}, {nth} {month}"));
            if ahead == 1 {
                forms.push("tomorrow itself".into());
            }
            if ahead == 2 {
                forms.push("day after tomorrow".into());
            }
            // "Next to next Monday": only where "next Monday" is next week's without doubt.
            if date >= monday + Duration::days(7)
                && date < monday + Duration::days(14)
                && date.weekday().num_days_from_monday() <= today.weekday().num_days_from_monday()
            {
                forms.push(format!("next to next {weekday}"));
            }
        }
        Style::Celtic => {
            forms.push(format!("{weekday} the {nth}"));
            if ahead < 28 {
                forms.push(format!("the {nth}"));
            }
            if this_week {
                forms.push(format!("this {weekday} coming"));
            }
            if week_from {
                forms.push(format!("{weekday} week"));
            }
        }
        Style::Southern => {
            forms.push(format!("{month} the {nth}"));
            if next_week {
                forms.push(format!("next {weekday} the {nth}"));
            }
            if this_week {
                forms.push(format!("this comin' {weekday}"));
            }
        }
        Style::Terse => {
            forms.push(format!("{weekday} the {nth}"));
            if ahead < 28 {
                forms.push(format!("the {nth}"));
            }
            if this_week {
                forms.push(weekday.clone());
            }
            if ahead == 1 {
                forms.push("tomorrow".into());
            }
        }
        Style::Rambler => {
            forms.push(format!("{weekday}, that'd be the {nth}"));
            forms.push(format!("the {nth} of {month}"));
            if week_from {
                forms.push(format!("a week from {weekday}"));
            }
        }
    }
    forms.choose(rng).cloned().unwrap_or_default()
}

/// How a caller in `tz` says the time is theirs.
fn zone_said(rng: &mut StdRng, style: Style, tz: Tz) -> String {
    let (city, zone) = match tz {
        chrono_tz::Europe::London => ("London", "UK time"),
        chrono_tz::Europe::Dublin => ("Dublin", "Irish time"),
        chrono_tz::America::Denver => ("Denver", "Mountain time"),
        chrono_tz::America::Chicago => ("Chicago", "Central time"),
        chrono_tz::America::Los_Angeles => ("LA", "Pacific time"),
        chrono_tz::Africa::Lagos => ("Lagos", "Nigerian time"),
        _ => ("here", "my time"),
    };
    match (style, rng.random_range(0..2)) {
        (Style::Desi, 0) => format!("{city} time, as I am sitting in {city}"),
        (Style::Desi, _) => format!("as per {zone}"),
        (Style::Celtic, 0) => format!("{zone}, mind, not yours"),
        (Style::Celtic, _) => format!("our time over here in {city}"),
        (Style::Southern, 0) => format!("that's {zone}, I'm out in {city}"),
        (Style::Southern, _) => format!("my time, {zone}"),
        (Style::Terse, _) => format!("{city} time"),
        (Style::Rambler, 0) => {
            format!("oh, and that's my time, I'm in {city} this month, so {zone}")
        }
        (Style::Rambler, _) => format!("and I mean {zone}, because I'm in {city}"),
    }
}

/// A start said in full, in the caller's zone when `zone` is theirs.
fn write_when(
    rng: &mut StdRng,
    style: Style,
    persona: &Persona,
    now: DateTime<Utc>,
    start: DateTime<Utc>,
    zone: Option<Tz>,
) -> String {
    let ctz = zone.unwrap_or(persona.timezone);
    let local = start.with_timezone(&ctz).naive_local();
    let today = now.with_timezone(&ctz).date_naive();
    let day = write_day(rng, style, local.date(), today);
    let time = write_time(rng, style, local.time(), zone.is_some());
    let said = join_when(rng, style, &day, &time);
    match zone {
        None => said,
        Some(tz) => format!("{said}, {}", zone_said(rng, style, tz)),
    }
}

/// A day and a time put together this caller's way.
fn join_when(rng: &mut StdRng, style: Style, day: &str, time: &str) -> String {
    match (style, rng.random_range(0..2)) {
        (Style::Desi, 0) => format!("{day} at {time}"),
        (Style::Desi, _) if !day.contains("tomorrow") => format!("{time} on {day}"),
        (Style::Desi, _) => format!("{day}, {time}"),
        (Style::Celtic, 0) => format!("{day}, at {time}"),
        (Style::Celtic, _) => format!("{day}, {time}"),
        (Style::Southern, _) => format!("{day}, {time}"),
        (Style::Terse, _) => format!("{}. {}", cap(day), cap(time)),
        (Style::Rambler, 0) => format!("{day}, um, {time}"),
        (Style::Rambler, _) => format!("{day}. And the time, let me think, {time}"),
    }
}

/// A clock time picked from offered ones: "the 2:30", "the half two".
fn pick_time(style: Style, t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    match (style, m) {
        (_, 0) if h == 12 => "the twelve o'clock".into(),
        (Style::Celtic, 30) => format!("the half {}", WORDS[h12 as usize]),
        (Style::Terse, 0) => format!("{h12}"),
        (_, 0) => format!("the {h12} o'clock"),
        _ => format!("the {h12}:30"),
    }
}

/// A word spelled this caller's way: "G-A-double L-A-G-H-E-R".
fn spell(style: Style, word: &str) -> String {
    let letters: Vec<char> = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    // Letters with a doubled one said "double L".
    let doubled = || {
        let mut out = Vec::new();
        let mut i = 0;
        while i < letters.len() {
            if i + 1 < letters.len() && letters[i + 1] == letters[i] {
                out.push(format!("double {}", letters[i]));
                i += 2;
            } else {
                out.push(letters[i].to_string());
                i += 1;
            }
        }
        out
    };
    let plain: Vec<String> = letters.iter().map(|c| c.to_string()).collect();
    match style {
        Style::Desi => format!("{word}, spelling is {}", doubled().join("-")),
        Style::Celtic => format!("{word}, that's {}", doubled().join(", ")),
        Style::Southern => format!("{word}, {}", plain.join("-")),
        Style::Terse => plain.join(" "),
        Style::Rambler => {
            let mut out = plain.clone();
            if let Some(f) = out.first_mut() {
                *f = format!("{f} as in {}", as_in(letters[0]));
            }
            format!("it's {word}, {}", out.join(", "))
        }
    }
}

fn as_in(c: char) -> &'static str {
    const FOR: [&str; 26] = [
        "apple", "boy", "cat", "dog", "egg", "fox", "girl", "house", "igloo", "jam", "king",
        "lion", "mouse", "nose", "octopus", "pig", "queen", "rabbit", "snake", "tiger", "umbrella",
        "van", "water", "x-ray", "yo-yo", "zoo",
    ];
    FOR[(c as u8 - b'A') as usize]
}

fn rephrase(
    persona: &Persona,
    now: DateTime<Utc>,
    rng: &mut StdRng,
    mut s: FactSheet,
) -> FactSheet {
    let exec = persona.executive_first().to_string();
    let name = s.name.clone();
    let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), ""));
    let (first, last) = (first.to_string(), last.to_string());
    let company = s
        .company
        .clone()
        .unwrap_or_else(|| "Brightwater Logistics".into());
    let known = s.classes.contains(&Class::KnownContact) || s.classes.contains(&Class::Vip);
    let spelled = s.classes.contains(&Class::SpelledName);
    let volunteered = s.classes.contains(&Class::Volunteered);
    let corrected_time = s.classes.contains(&Class::CorrectedTime);
    let changed_mind = s.classes.contains(&Class::ChangedMind);
    let corrected_number = s.classes.contains(&Class::CorrectedNumber);
    let content = s.content.clone();
    let purpose = s.purpose.clone();
    let ptz = persona.timezone;
    let style = *[
        Style::Desi,
        Style::Celtic,
        Style::Southern,
        Style::Terse,
        Style::Rambler,
    ]
    .choose(rng)
    .unwrap_or(&Style::Terse);
    let him = *["him", "her", "them"].choose(rng).unwrap_or(&"them");
    let fill = |t: &str| {
        t.replace("{exec}", &exec)
            .replace("{name}", &name)
            .replace("{first}", &first)
            .replace("{last}", &last)
            .replace("{company}", &company)
            .replace("{content}", &content)
            .replace("{Content}", &cap(&content))
            .replace("{p}", &purpose)
            .replace("{P}", &cap(&purpose))
            .replace("{him}", him)
    };
    let goals = s.goals.clone();
    let first_goal = goals.first().cloned().unwrap_or(Goal::Message);

    // The wish, said in full; the wrong one first by a caller who repairs it or changes their
    // mind.
    let zone = s.wish.as_ref().and_then(|w| w.zone);
    let full = s
        .wish
        .as_ref()
        .map(|w| write_when(rng, style, persona, now, w.start, zone));
    let wrong = s.wish.as_ref().map(|w| wrong_start(persona, now, w));
    let wrong_full = wrong.map(|w| write_when(rng, style, persona, now, w, zone));
    let local_wish = s.wish.as_ref().map(|w| w.start.with_timezone(&ptz));
    if let (Some(w), Some(said)) = (s.wish.as_mut(), &full) {
        w.spoken = said.clone();
    }
    // A self-repair mid-sentence: the time a quarter of an hour off, or the whole start wrong.
    let repaired = match (&s.wish, &full, &wrong_full) {
        (Some(w), Some(right), Some(wrong_said)) => {
            let ctz = zone.unwrap_or(ptz);
            let local = w.start.with_timezone(&ctz);
            if rng.random_bool(0.5) {
                let day = write_day(
                    rng,
                    style,
                    local.date_naive(),
                    now.with_timezone(&ctz).date_naive(),
                );
                let right_time = write_time(rng, style, local.time(), zone.is_some());
                let time = quarter_repair(rng, style, local.time(), &right_time);
                let mut r = format!("{day}, at {time}");
                if let Some(tz) = zone {
                    r = format!("{r}, {}", zone_said(rng, style, tz));
                }
                r
            } else {
                format!(
                    "{wrong_said}, {} {right}",
                    by(
                        rng,
                        style,
                        [
                            &["no no, sorry, I am confused, it is"],
                            &["ah, would you listen to me, no,", "no, hang on, I mean"],
                            &["wait, no, scratch that, I meant"],
                            &["no. Correction:"],
                            &["no, sorry, that's the other thing I've got, I mean"],
                        ],
                    )
                )
            }
        }
        _ => String::new(),
    };
    let number_said = match &s.callback {
        Callback::Spoken(d) => write_number(rng, style, d),
        Callback::CallerId => String::new(),
    };

    let intro = fill(if known {
        by(
            rng,
            style,
            [
                &["Myself {first} {last}, {exec} knows me very well."],
                &["It's {first} {last} here, {exec} will know me."],
                &["Hey there, it's {first} {last}, me and {exec} go way back."],
                &["{first} {last}. {exec} knows me."],
                &["Hi, it's {first} {last}, I've known {exec} for years, we met at a conference ages ago."],
            ],
        )
    } else if spelled {
        by(
            rng,
            style,
            [
                &["Myself {name}, surname {spelled}."],
                &["It's {name} here, the surname is {spelled}."],
                &["My name's {name}, last name {spelled}."],
                &["{name}. {spelled}."],
                &["So my name, I should say, is {name}, and people always get the last name wrong, so {spelled}."],
            ],
        )
    } else {
        by(
            rng,
            style,
            [
                &[
                    "Myself {first} {last}, from {company}.",
                    "This is {name} calling from {company}.",
                ],
                &["It's {name} here, from {company}.", "{name}, with {company}, how are you keeping?"],
                &["This here's {name} with {company}.", "My name's {name}, I'm with {company}."],
                &["{name}. {company}."],
                &["So my name's {name}, I'm over at {company}, I've been there about six years now, anyway."],
            ],
        )
    })
    .replace("{spelled}", &spell(style, &last));

    let number_ahead = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["Same number I am calling from, you can call on this only."],
                &["The number I'm ringing from is grand for a call back."],
                &["The number I'm callin' from is fine to call back."],
                &["Call back on this number."],
                &["And you can just call me back on this number, it's my cell."],
            ],
        )
        .to_string(),
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["You can reach me on {n}.", "My mobile number is {n}."],
                &["Ring me back on {n}."],
                &["Y'all can call me back at {n}."],
                &["Number: {n}."],
                &["Oh, and my number, if you need it, is {n}."],
            ],
        )
        .replace("{n}", &number_said),
    };

    let opener = |g: &Goal, rng: &mut StdRng, first_goal: bool| -> String {
        let w = if first_goal && changed_mind {
            wrong_full.clone()
        } else {
            full.clone()
        }
        .unwrap_or_default();
        let o = match g {
            Goal::Message if volunteered => by(
                rng,
                style,
                [
                    &[
                        "Kindly inform {exec} that {content}. Please do the needful.",
                        "I am calling to tell {exec} that {content}, kindly revert at the earliest.",
                    ],
                    &[
                        "Would you tell {exec} {content}, that'd be grand.",
                        "Just to let {exec} know that {content}, so it is.",
                    ],
                    &["I'm fixin' to head out, so just tell {exec} {content}, would ya?"],
                    &["Tell {exec}: {content}."],
                    &["So I was at the office today and, long story, but basically {content}, and I figured {exec} should hear it from me."],
                ],
            )
            .to_string(),
            Goal::Message => by(
                rng,
                style,
                [
                    &[
                        "I want to leave one message for {exec}, please.",
                        "Can you please pass on one message to {exec}?",
                    ],
                    &[
                        "Would you ever take a message for {exec} for me?",
                        "I'm after missing {exec}, can I leave a message?",
                    ],
                    &[
                        "Well hey there, I was fixin' to leave {exec} a message.",
                        "Could y'all pass a message along to {exec}?",
                    ],
                    &["Message for {exec}.", "{exec}. Message."],
                    &["Hi, so, I tried {exec}'s cell earlier and it went straight to voicemail, and then I thought, you know what, I'll just call the office, so I'd like to leave a message."],
                ],
            )
            .to_string(),
            Goal::Book => {
                let mut o = by(
                    rng,
                    style,
                    [
                        &[
                            "I want to fix one meeting with {exec}.",
                            "Kindly block some time with {exec}, I need a meeting.",
                        ],
                        &[
                            "I'm looking to get a meeting in with {exec}.",
                            "Would you ever put me in {exec}'s diary?",
                        ],
                        &[
                            "I'm fixin' to set up a meetin' with {exec}.",
                            "I'd like to get on {exec}'s calendar, if y'all don't mind.",
                        ],
                        &["Meeting with {exec}.", "Need a slot with {exec}."],
                        &["So, we've been going back and forth by email for weeks and nothing's happening, so I figured I'd just call and book an actual meeting with {exec}."],
                    ],
                )
                .to_string();
                if volunteered {
                    o.push_str(by(
                        rng,
                        style,
                        [
                            &[" It is regarding {p}."],
                            &[" It'd be about {p}."],
                            &[" It's about {p}."],
                            &[" Topic: {p}."],
                            &[" It's about {p}, mainly."],
                        ],
                    ));
                    if corrected_time && first_goal {
                        o.push_str(&format!(" {}", sentence(&repaired)));
                    } else if !corrected_time && rng.random_bool(0.5) {
                        o.push_str(&format!(" {}", sentence(&w)));
                    }
                }
                o
            }
            Goal::FreeThenBook => by(
                rng,
                style,
                [
                    &["{W}, is {exec} free? I would like to meet."],
                    &["Would {exec} have any time {w}?"],
                    &["Would {exec} happen to be free {w}? I'd like to come by."],
                    &["{W}. {exec} free?"],
                    &["I was wondering, and no pressure, whether {exec} might have a gap {w}."],
                ],
            )
            .replace("{w}", &w)
            .replace("{W}", &cap(&w)),
            Goal::Move => {
                let later = match (&s.existing, &s.wish) {
                    (Some(e), Some(wish)) => wish.start > e.start,
                    _ => true,
                };
                let mut o = match style {
                    Style::Desi if rng.random_bool(0.6) => if later {
                        "I want to postpone my meeting with {exec}."
                    } else {
                        "I want to prepone my meeting with {exec}."
                    }
                    .to_string(),
                    Style::Southern if rng.random_bool(0.6) => if later {
                        "I got a meetin' with {exec} and I need to push it."
                    } else {
                        "I got a meetin' with {exec} and I need to move it up."
                    }
                    .to_string(),
                    _ => by(
                        rng,
                        style,
                        [
                            &["My meeting with {exec} needs to be rescheduled, kindly do the needful."],
                            &["I've a meeting with {exec} and I need to shift it."],
                            &["I need to change my appointment with {exec}, if y'all can."],
                            &["Moving my meeting with {exec}."],
                            &["So, I've got this meeting with {exec}, and then my kid's school put a recital right on top of it, so I need to move the meeting."],
                        ],
                    )
                    .to_string(),
                };
                if volunteered && first_goal && corrected_time {
                    o.push_str(&format!(" {}", sentence(&repaired)));
                } else if volunteered && !corrected_time {
                    o.push_str(
                        &by(
                            rng,
                            style,
                            [
                                &[" Kindly make it {w}."],
                                &[" Could we make it {w} instead?"],
                                &[" How 'bout {w}?"],
                                &[" To {w}."],
                                &[" Ideally to {w}, if that's at all possible."],
                            ],
                        )
                        .replace("{w}", &w),
                    );
                }
                o
            }
            Goal::Cancel => by(
                rng,
                style,
                [
                    &["I will not be able to attend my meeting with {exec}, kindly cancel it."],
                    &[
                        "I have to cry off my meeting with {exec}, I'm sorry.",
                        "Would you cancel my meeting with {exec} for me?",
                    ],
                    &["I'm afraid I gotta cancel on {exec}, somethin' came up."],
                    &["Cancel my meeting with {exec}."],
                    &["So this is a bit embarrassing, I double-booked myself, and I'm going to have to cancel my meeting with {exec}."],
                ],
            )
            .to_string(),
            Goal::Faq(id) => faq_question(rng, style, id),
            Goal::Person => by(
                rng,
                style,
                [
                    &[
                        "Can you connect me to some person from the office, please?",
                        "I want to talk to somebody from {exec}'s team.",
                    ],
                    &["Is there a real person there I could talk to at all?"],
                    &["Could I talk to a real live human bein', please?"],
                    &["Real person, please."],
                    &["Look, no offense, but I'd really rather talk to an actual person, I've been through three phone menus today."],
                ],
            )
            .to_string(),
            Goal::Urgent => by(
                rng,
                style,
                [
                    &["It is very urgent, {content}, I must speak to {exec} tonight itself."],
                    &["Sorry for ringing so late, but {content}, and I need {exec} tonight."],
                    &["Listen, we got trouble, {content}, I need {exec} on the phone tonight."],
                    &["Urgent. {Content}. Need {exec} tonight."],
                    &["Okay, sorry, I'm a bit shaken, so, {content}, and I really, really need to talk to {exec} tonight."],
                ],
            )
            .to_string(),
        };
        fill(&o)
    };
    let request = opener(&first_goal, rng, true);
    let introduces =
        (volunteered || known && rng.random_bool(0.5)) && !matches!(first_goal, Goal::Faq(_));
    let mut opening = if introduces {
        if style == Style::Desi || rng.random_bool(0.6) {
            format!("{intro} {request}")
        } else {
            format!("{request} {intro}")
        }
    } else {
        request.clone()
    };
    let callback_wanted = !matches!(first_goal, Goal::Faq(_));
    if callback_wanted && s.classes.contains(&Class::CallerIdNumber)
        || volunteered
            && matches!(first_goal, Goal::Message | Goal::Urgent | Goal::Person)
            && rng.random_bool(0.5)
    {
        opening = format!("{opening} {number_ahead}");
    }
    // Politeness or a story before the point.
    let greeting = by(
        rng,
        style,
        [
            &[
                "Hello, good evening.",
                "Hello ji, good evening, sorry to disturb at this hour.",
            ],
            &["Ah, hello there.", "Hiya, how's it going."],
            &["Well hey there, how y'all doin' tonight?", "Evenin'."],
            &[""],
            &["Oh, hi, wow, I didn't expect anyone to pick up, okay, so,"],
        ],
    );
    if !greeting.is_empty() && rng.random_bool(0.5) {
        opening = if greeting.ends_with(',') {
            format!("{greeting} {}", lower_first(&opening, &[&exec, &first]))
        } else {
            format!("{greeting} {opening}")
        };
    }

    let next_goals = goals
        .iter()
        .skip(1)
        .map(|g| {
            let lead = by(
                rng,
                style,
                [
                    &["One more thing also:", "Thank you. Also,"],
                    &["Oh and while I have you,", "Grand. One other thing,"],
                    &["Oh, and one more thing, hon,"],
                    &["Also:"],
                    &["Oh, and actually, since I've got you,"],
                ],
            );
            format!("{lead} {}", lower_first(&opener(g, rng, false), &[&exec]))
        })
        .collect();
    let restate = goals
        .iter()
        .map(|g| {
            fill(match g {
                Goal::Message => by(
                    rng,
                    style,
                    [
                        &["I only want to leave a message for {exec}."],
                        &["I just want to leave {exec} a message, that's all."],
                        &["I just wanna leave {exec} a message, hon."],
                        &["Message. For {exec}."],
                        &["Sorry, I'm rambling, I just want to leave a message for {exec}."],
                    ],
                ),
                Goal::Book | Goal::FreeThenBook => by(
                    rng,
                    style,
                    [
                        &["I want to book a meeting with {exec}."],
                        &["I'm trying to get a meeting with {exec}."],
                        &["I'd like to set up a meetin' with {exec}."],
                        &["Book a meeting with {exec}."],
                        &["Sorry, I'm rambling, I'd like to book a meeting with {exec}."],
                    ],
                ),
                Goal::Move => by(
                    rng,
                    style,
                    [
                        &["I want to reschedule my meeting with {exec}."],
                        &["I need to move my meeting with {exec} to another time."],
                        &["I need to move my appointment with {exec}."],
                        &["Reschedule my meeting with {exec}."],
                        &["Sorry, what I mean is, I need to move my meeting with {exec}."],
                    ],
                ),
                Goal::Cancel => by(
                    rng,
                    style,
                    [
                        &["I want to cancel my meeting with {exec}."],
                        &["I need to cancel my meeting with {exec}."],
                        &["I just need to cancel my appointment with {exec}."],
                        &["Cancel my meeting with {exec}."],
                        &["Sorry, what I mean is, I need to cancel my meeting with {exec}."],
                    ],
                ),
                Goal::Faq(id) => return faq_question(rng, style, id),
                Goal::Person => by(
                    rng,
                    style,
                    [
                        &["I want to speak to a person, please."],
                        &["I'd like to talk to a person, please."],
                        &["I want a real person, please."],
                        &["A person. Please."],
                        &["I'd just like to speak to a person, please."],
                    ],
                ),
                Goal::Urgent => by(
                    rng,
                    style,
                    [
                        &["It is an emergency, I must reach {exec} tonight."],
                        &["It's an emergency, I need {exec} tonight."],
                        &["This is an emergency, I need {exec} tonight."],
                        &["Emergency. {exec}. Tonight."],
                        &["It's an emergency, I really need {exec} tonight."],
                    ],
                ),
            })
        })
        .collect();

    let name_line = if spelled && !known {
        fill(by(
            rng,
            style,
            [
                &["My good name is {name}."],
                &["It's {name}."],
                &["Name's {name}."],
                &["{name}."],
                &["Oh, sorry, I should've said, it's {name}."],
            ],
        )) + &format!(" {}.", spell(style, &last))
    } else {
        fill(by(
            rng,
            style,
            [
                &[
                    "My good name is {name}.",
                    "Myself {name}.",
                    "{last}. {first} {last}.",
                ],
                &["{name}, so it is.", "It's {name}."],
                &["Name's {name}.", "Well, it's {name}."],
                &["{name}."],
                &["Oh, sorry, I should've said, it's {name}."],
            ],
        ))
    };
    let number_line = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["Same number only, the one I am calling from."],
                &["Sure the one I'm ringing from."],
                &["The one I'm callin' from, hon."],
                &["This one."],
                &["Just the number that's showing up, this is my cell."],
            ],
        )
        .to_string(),
        Callback::Spoken(d) if corrected_number => {
            let mut w = d.clone().into_bytes();
            let i = w.len() - 4;
            w[i] = if w[i] == b'9' { b'4' } else { w[i] + 1 };
            let w = String::from_utf8(w).unwrap_or_default();
            by(
                rng,
                style,
                [
                    &["It is {w}, sorry sorry, {n}."],
                    &["{w}... ah no, that's the old one. {n}."],
                    &["{w}, no wait, hold on, {n}."],
                    &["{w}. No. {n}."],
                    &["{w}, hang on, that's my wife's, mine is {n}."],
                ],
            )
            .replace("{w}", &write_number(rng, style, &w))
            .replace("{n}", &number_said)
        }
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["My number is {n}.", "It is {n}, kindly note it down."],
                &["Grand, it's {n}."],
                &["Sure thing, it's {n}."],
                &["{n}."],
                &["Oh, it's, hang on, {n}."],
            ],
        )
        .replace("{n}", &number_said),
    };
    let number_fix = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["No, the number I am calling from only."],
                &["No, the one I'm ringing from."],
                &["No, the one I'm callin' from."],
                &["No. This number."],
                &["No, sorry, just the number I'm calling from."],
            ],
        )
        .to_string(),
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["No, it is {n}."],
                &["No, it's {n}."],
                &["No, it's {n}."],
                &["No. {n}."],
                &["Hmm, no, it's {n}."],
            ],
        )
        .replace("{n}", &number_said),
    };
    let number_digits = match &s.callback {
        Callback::Spoken(d) => d
            .chars()
            .filter_map(|c| c.to_digit(10))
            .map(|d| if d == 0 { "oh" } else { WORDS[d as usize] })
            .collect::<Vec<_>>()
            .join(", "),
        Callback::CallerId => String::new(),
    };

    let (when, when_again, change_mind, pick_line) = match (&full, &wrong_full, &local_wish) {
        (Some(right), Some(wrong_said), Some(l)) => {
            let when = if corrected_time {
                sentence(&repaired)
            } else if changed_mind {
                sentence(wrong_said)
            } else {
                by(
                    rng,
                    style,
                    [
                        &["{W}, if possible.", "Kindly fix it for {w}."],
                        &["{W} would suit me grand."],
                        &["{W}, if that works for y'all."],
                        &["{W}."],
                        &["Let me look at my calendar, hang on... okay, {w}."],
                    ],
                )
                .replace("{w}", right)
                .replace("{W}", &cap(right))
            };
            let again = by(
                rng,
                style,
                [
                    &["No, I told {w}."],
                    &["No, I said {w}."],
                    &["No, I meant {w}."],
                    &["No. {W}."],
                    &["Sorry, no, I must've been unclear, {w}."],
                ],
            )
            .replace("{w}", right)
            .replace("{W}", &cap(right));
            let change = changed_mind.then(|| {
                by(
                    rng,
                    style,
                    [
                        &["Sorry, one minute, that time I am having another meeting. Can we do {w}?"],
                        &["Ah no, wait, I can't do that after all. {W} instead?"],
                        &["Shoot, I just remembered I got the dentist then. How 'bout {w}?"],
                        &["No. {W} instead."],
                        &["Oh, wait, no, hold on, my daughter has a thing then, sorry, could we do {w} instead?"],
                    ],
                )
                .replace("{w}", right)
                .replace("{W}", &cap(right))
            });
            let t = pick_time(style, l.time());
            let pick_line = by(
                rng,
                style,
                [
                    &["I will take {t} slot."],
                    &["{T} would be grand."],
                    &["I'll take {t}, thank ya."],
                    &["{T}."],
                    &["Oh, {t} is perfect, actually."],
                ],
            )
            .replace("{t}", &t)
            .replace("{T}", &cap(&t));
            (when, again, change, pick_line)
        }
        _ => Default::default(),
    };
    let booked_when = s
        .existing
        .as_ref()
        .map(|e| {
            let w = write_when(rng, style, persona, now, e.start, None);
            by(
                rng,
                style,
                [
                    &["It is on {w}."],
                    &["It's {w}, I think."],
                    &["I believe it's {w}."],
                    &["{W}."],
                    &["Um, I want to say {w}? Yes, {w}."],
                ],
            )
            .replace("{w}", &w)
            .replace("{W}", &cap(&w))
        })
        .unwrap_or_default();
    let message_line = fill(by(
        rng,
        style,
        [
            &[
                "Kindly tell {exec} that {content}. Please do the needful and revert.",
                "Please convey to {exec} that {content}.",
            ],
            &[
                "Tell {exec} {content}, if you would.",
                "Just that {content}, so it is.",
            ],
            &["Just tell {him} {content}, thank ya kindly."],
            &["{Content}."],
            &["Okay, so, the thing is, um, {content}. Yeah. That's basically it."],
        ],
    ));
    let purpose_line = fill(by(
        rng,
        style,
        [
            &["It is regarding {p}."],
            &["Ah, it's about {p}."],
            &["Well, it's about {p}."],
            &["{P}."],
            &["Oh, it's, um, mostly about {p}, among other things."],
        ],
    ));

    // Once, for some callers, an answer to another question than the one asked.
    let aside = if known || !rng.random_bool(0.3) {
        None
    } else {
        match style {
            Style::Desi if !spelled => Some(Aside {
                at: Asked::Name,
                say: "Before that, you are the secretary of Alex, is it?".replace("Alex", &exec),
            }),
            Style::Celtic if !number_said.is_empty() && !volunteered => Some(Aside {
                at: Asked::Number,
                say: "Hold on till I find my glasses there... right, go on.".into(),
            }),
            Style::Rambler
                if matches!(first_goal, Goal::Book) && !changed_mind && !corrected_time =>
            {
                full.as_ref().map(|w| Aside {
                    at: Asked::Purpose,
                    say: format!("Oh, I was hoping for {w}."),
                })
            }
            Style::Southern if matches!(first_goal, Goal::Message) && !volunteered => Some(Aside {
                at: Asked::Name,
                say: format!("Oh, it's just a message for {exec}, nothin' fancy."),
            }),
            _ => None,
        }
    };

    s.lines = Lines {
        opening: cap(&opening),
        next_goals,
        restate,
        name: name_line,
        name_fix: fill(by(
            rng,
            style,
            [
                &["No, no, my name is {name}."],
                &["Ah no, it's {name}."],
                &["No, it's {name}."],
                &["No. {name}."],
                &["Oh, no, sorry, it's {name}."],
            ],
        )),
        spelling: format!("{}.", spell(style, &last)),
        spelling_full: format!(
            "{}, and {}.",
            cap(&spell(style, &first)),
            spell(style, &last)
        ),
        booked_when,
        number: number_line,
        number_digits,
        number_fix,
        message: message_line,
        purpose: purpose_line,
        when,
        when_again,
        change_mind,
        pick: pick_line,
        yes: by(
            rng,
            style,
            [
                &["Yes, correct.", "Yes, that is fine only."],
                &["That's grand, yeah.", "Aye, that's right."],
                &["Yep, that's right.", "Sure is."],
                &["Yes.", "Yep."],
                &["Yes, that's it, perfect, thank you so much."],
            ],
        )
        .into(),
        yes_again: by(
            rng,
            style,
            [
                &["Yes, yes, everything is correct."],
                &["Yes, that's all right, thanks."],
                &["Yes, that's all correct."],
                &["Yes. Correct."],
                &["Yes, sorry, yes, that's all correct."],
            ],
        )
        .into(),
        no: by(
            rng,
            style,
            [
                &["No, that is wrong."],
                &["No, that's not right at all."],
                &["No, that ain't right."],
                &["No."],
                &["Hmm, no, that's not quite it."],
            ],
        )
        .into(),
        decline: by(
            rng,
            style,
            [
                &["No, not required."],
                &["Ah no, you're grand."],
                &["No thank you, I'm fine."],
                &["No."],
                &["No, no, that's okay, don't worry about it."],
            ],
        )
        .into(),
        bye: by(
            rng,
            style,
            [
                &["No, that's all. Thank you, bye."],
                &["No, that's it, cheers, bye bye bye."],
                &["Nope, that'll do it. Y'all have a good night."],
                &["No. Bye."],
                &["No, I think that's everything, thanks so much for your help, have a good night."],
            ],
        )
        .into(),
        give_up: by(
            rng,
            style,
            [
                &["Okay, fine, whatever is possible."],
                &["Ah, go on so."],
                &["Well, alright then."],
                &["Fine."],
                &["Okay, you know what, that's fine."],
            ],
        )
        .into(),
        want_message: by(
            rng,
            style,
            [
                &["Message is fine."],
                &["Sure I'll leave a message so."],
                &["A message'll do."],
                &["Message."],
                &["Okay, I guess a message is fine."],
            ],
        )
        .into(),
        want_person: by(
            rng,
            style,
            [
                &["No, I need to talk to a person, it is urgent."],
                &["No, I need a person, it can't wait."],
                &["No, I need a real person, this can't wait."],
                &["Person. Urgent."],
                &["No, sorry, it really can't wait, I need a person."],
            ],
        )
        .into(),
        aside,
    };
    tidy(&mut s.lines);
    s.id = s.id.replacen('c', "v", 1);
    s
}

/// An FAQ asked in this phrasebook's own words.
fn faq_question(rng: &mut StdRng, style: Style, id: &str) -> String {
    let forms: [&[&str]; 5] = match id {
        "hours" => [
            &["What are your office timings?"],
            &["What time do yous open at in the morning?"],
            &["What time do y'all open up?"],
            &["Hours?"],
            &["Quick question, I was going to drop by tomorrow but I don't know what time you open."],
        ],
        "address" => [
            &["What is the office address? I will come there."],
            &["Where are yous based, what's the address?"],
            &["Where y'all located at?"],
            &["Address?"],
            &["I've got a parcel to bring over, and I realized I don't actually know your address."],
        ],
        "parking" => [
            &["Is parking facility available at the office?"],
            &["Is there anywhere to park the car?"],
            &["Y'all got parkin' over there?"],
            &["Parking?"],
            &["I'm driving in, is there somewhere I can leave the car?"],
        ],
        "documents" => [
            &["I have to submit signed documents, where to send?"],
            &["Where do I send the signed papers?"],
            &["Where do I mail these signed papers to?"],
            &["Signed documents. Where?"],
            &["I've finally signed all the contracts, where do they go?"],
        ],
        "press" => [
            &["I am calling from a news channel, who is handling media queries?"],
            &["I'm a journalist with the Irish Times, who would I talk to?"],
            &["I write for the local paper, who handles the press?"],
            &["Press contact?"],
            &["I'm working on a story about the company, who handles media?"],
        ],
        "jobs" => [
            &["Any vacancies are there in your company?"],
            &["Are yous hiring at all?"],
            &["Y'all hirin'?"],
            &["Jobs?"],
            &["My nephew's graduating and asked me to find out whether you're hiring."],
        ],
        _ => [
            &["I have one query."],
            &["I've a question."],
            &["I got a question."],
            &["Question."],
            &["I have a question."],
        ],
    };
    by(rng, style, forms).to_string()
}
