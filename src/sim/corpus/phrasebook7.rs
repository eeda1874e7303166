//! The seventh held-out phrasebook: the generator's facts said by callers who follow none of the
//! earlier scripts, written from the facts before its author read the dialog's code.
//!
//! The facts (who calls, what they want, the wished instant, the expected result) come from
//! [`super::generate`] with [`HELDOUT7_SEED`]; the words and some habits are new. Each caller
//! talks one of five ways ([`Style`]):
//! - distracted: driving, on speaker, talking to someone else mid-call ("hang on, sorry, my
//!   kid, okay, where was I"), a line cut off and started again, "can you hear me? Okay";
//! - all in one breath: name, company, number, request, day and time, reason at the opening in
//!   an order of their own, then short answers;
//! - casual and young: "yo", "gonna", "lemme", "wanna grab some time with Alex", "yup yup",
//!   "nope, all good", "4ish";
//! - callers who answer with a question or a range ("What's Alex got on Thursday?", "any time
//!   after 3 works", "sometime between 10 and noon", "mornings are better for me") and choose
//!   when times are offered;
//! - callers who correct a read-back in their own words ("you've got a couple of digits mixed
//!   up there", "no, the surname, it's with a K", "not that day, the 15th").
//!
//! Across the five, days and times are written as whisper writes unusual speech: "this coming
//! Tuesday", "in 2 days", "the 9th of next month", "12/9", "half 10", "noon", "4ish".
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
use super::phrasebook6::settle;
use super::{generate, Aside, Asked, Callback, Class, FactSheet, Goal, Lines};
use crate::logic::calendar::ordinal;
use crate::persona::Persona;

/// The seed of the seventh held-out phrasebook's facts and wording.
pub const HELDOUT7_SEED: u64 = 0x7A11_D0C5;

/// Calls in the seventh held-out phrasebook run.
pub const HELDOUT7_CALLS: usize = 80;

/// `n` calls of the seventh held-out phrasebook: the generator's facts from `seed`, every line
/// said its way.
pub fn heldout7(persona: &Persona, now: DateTime<Utc>, seed: u64, n: usize) -> Vec<FactSheet> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0BAD_CAFE);
    generate(persona, now, seed, n)
        .into_iter()
        .map(|sheet| rephrase(persona, now, &mut rng, sheet))
        .collect()
}

/// How a caller talks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Driving, on speaker, talking to someone else mid-call.
    Distracted,
    /// Everything at the opening, then short answers.
    Breath,
    /// Casual and young.
    Casual,
    /// Answers with a question or a range, then chooses.
    Ranger,
    /// Corrects read-backs in their own words.
    Corrector,
}

/// One phrasing for this caller's style, from five lists in [`Style`] order.
fn by<'a>(rng: &mut StdRng, style: Style, forms: [&[&'a str]; 5]) -> &'a str {
    let i = match style {
        Style::Distracted => 0,
        Style::Breath => 1,
        Style::Casual => 2,
        Style::Ranger => 3,
        Style::Corrector => 4,
    };
    pick(rng, forms[i])
}

/// What a distracted caller says to someone else, or about the line, mid-call.
const INTERRUPTIONS: &[&str] = &[
    "Hang on, sorry, my kid. Okay, where was I?",
    "Sorry, I'm driving, you're on speaker. Okay.",
    "Can you hear me? Okay, good.",
    "One sec, Max, put that down! Sorry. Okay.",
    "Sorry, I'm going through a tunnel. Are you still there? Okay.",
];

/// A phone number as this caller says it (as whisper writes it).
fn write_number(rng: &mut StdRng, style: Style, d: &str) -> String {
    if d.len() != 10 {
        let tail = &d[8..];
        return match (style, rng.random_range(0..2)) {
            (Style::Distracted, _) => format!("+44 20... sorry, +44 20 7946 {tail}"),
            (Style::Breath, _) => format!("+44 20 7946 {tail}"),
            (Style::Casual, 0) => format!("it's a UK one, +44 20 7946 {tail}"),
            (Style::Casual, _) => format!("+44 20 7946 {tail}"),
            (Style::Ranger, _) => format!("0044 20 7946 {tail}"),
            (Style::Corrector, _) => format!("+44 20 7946 {tail}, that's a London number"),
        };
    }
    let (a, b, c) = (&d[..3], &d[3..6], &d[6..]);
    match (style, rng.random_range(0..2)) {
        (Style::Distracted, 0) => format!("{a} {b}... sorry, {a} {b} {c}"),
        (Style::Distracted, _) => format!("{a}-{b}-{c}"),
        (Style::Breath, 0) => format!("{a}{b}{c}"),
        (Style::Breath, _) => format!("{a}-{b}-{c}"),
        (Style::Casual, 0) => format!("{a} {b} {c}"),
        (Style::Casual, _) => format!("{a}, {b}, {c}"),
        (Style::Ranger, 0) => format!("{a}-{b}-{c}"),
        (Style::Ranger, _) => format!("{a} {b} {c}"),
        (Style::Corrector, 0) => format!("({a}) {b}-{c}"),
        (Style::Corrector, _) => format!("{a} {b} {c}, and that's a cell"),
    }
}

/// A clock time on the hour or half hour as this caller says it; `foreign` when it is the
/// caller's own zone (then the part of the day is always said).
fn write_time(rng: &mut StdRng, style: Style, t: NaiveTime, foreign: bool) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    let ampm = if h < 12 { "am" } else { "pm" };
    if h == 12 && m == 0 {
        return by(
            rng,
            style,
            [
                &["noon... sorry, noon", "12, noon"],
                &["noon", "12 noon"],
                &["noon", "like noon"],
                &["noon", "12 noon"],
                &["noon", "12 o'clock noon"],
            ],
        )
        .to_string();
    }
    match (style, m, rng.random_range(0..3)) {
        (Style::Distracted, 0, 0) => format!("{h12}... sorry, {h12}{ampm}"),
        (Style::Distracted, 0, _) => format!("{h12}{ampm}"),
        (Style::Distracted, _, 0) if !foreign && h < 12 => format!("half {h12}"),
        (Style::Distracted, _, _) => format!("{h12}:30{ampm}"),
        (Style::Breath, 0, 0) => format!("{h12} {}", dotted(ampm)),
        (Style::Breath, 0, _) => format!("{h12}{ampm}"),
        (Style::Breath, _, 0) if !foreign && h < 12 => format!("half {h12}"),
        (Style::Breath, _, _) => format!("{h12}:30 {}", dotted(ampm)),
        (Style::Casual, 0, 0) if !foreign => format!("{h12}ish"),
        (Style::Casual, 0, _) => format!("{h12}{ampm}"),
        (Style::Casual, _, 0) if !foreign => format!("{h12}:30ish"),
        (Style::Casual, _, _) => format!("{h12}:30{ampm}"),
        (Style::Ranger, 0, _) => format!("{h12}{ampm}"),
        (Style::Ranger, _, _) => format!("{h12}:30{ampm}"),
        (Style::Corrector, 0, 0) => format!("{h12} o'clock, {}", dotted(ampm)),
        (Style::Corrector, 0, _) => format!("{h12} {}", dotted(ampm)),
        (Style::Corrector, _, _) => format!("{h12}:30 {}", dotted(ampm)),
    }
}

/// "am" or "pm" as whisper writes it with stops.
fn dotted(ampm: &str) -> &'static str {
    if ampm == "am" {
        "a.m."
    } else {
        "p.m."
    }
}

/// The time said wrong by a quarter or half an hour, then right, this caller's way.
fn half_repair(rng: &mut StdRng, style: Style, t: NaiveTime, right: &str) -> String {
    let h = t.hour();
    let h12 = |h: u32| if h > 12 { h - 12 } else { h };
    let ampm = if h < 12 { "am" } else { "pm" };
    let wrong = if t.minute() == 0 {
        // A quarter to the hour.
        format!("a quarter to {}", h12(h))
    } else {
        format!("{}{ampm}", h12(h))
    };
    let oops = by(
        rng,
        style,
        [
            &[
                "no wait, sorry, the kids are yelling, it's",
                "ugh, no, I mean",
            ],
            &["no, correction,", "sorry, no,"],
            &["nah wait, my bad,", "haha no, I mean"],
            &["or no, actually,", "hmm, no,"],
            &["no, let me correct myself,", "no, that's wrong, it's"],
        ],
    );
    format!("{wrong}, {oops} {right}")
}

/// `s` capitalised and closed with a full stop (unless it ends in one already).
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
    let next_month = date.month() != today.month();
    let mut forms: Vec<String> = Vec::new();
    match style {
        Style::Distracted => {
            forms.push(format!("{weekday}, uh, sorry, {weekday} the {nth}"));
            forms.push(format!("the {nth}, the {weekday}"));
            if this_week {
                forms.push(format!("this coming {weekday}"));
            }
            if (2..=6).contains(&ahead) {
                forms.push(format!("in {ahead} days, the {nth}"));
            }
        }
        Style::Breath => {
            forms.push(format!("{}/{}", date.month(), date.day()));
            forms.push(format!("{weekday} {month} {nth}"));
            if next_month {
                forms.push(format!("the {nth} of next month"));
            }
        }
        Style::Casual => {
            forms.push(format!("{weekday} the {nth}"));
            if this_week {
                forms.push(format!("this coming {weekday}"));
            }
            if (2..=9).contains(&ahead) {
                forms.push(format!("in like {ahead} days, so {weekday}"));
            }
        }
        Style::Ranger => {
            forms.push(format!("{weekday} the {nth}"));
            forms.push(format!("the {nth}, a {weekday}"));
        }
        Style::Corrector => {
            forms.push(format!("{weekday}, the {nth} of {month}"));
            if next_month {
                forms.push(format!("the {nth} of next month, a {weekday}"));
            }
            if (2..=9).contains(&ahead) {
                forms.push(format!("{weekday}, that's {ahead} days from now"));
            }
        }
    }
    forms.choose(rng).cloned().unwrap_or_default()
}

/// How a caller in `tz` says the time is theirs.
fn zone_said(rng: &mut StdRng, style: Style, tz: Tz) -> String {
    let (city, zone, abbr) = match tz {
        chrono_tz::Europe::London => ("London", "UK time", "GMT"),
        chrono_tz::Europe::Dublin => ("Dublin", "Irish time", "GMT"),
        chrono_tz::America::Denver => ("Denver", "Mountain", "MST"),
        chrono_tz::America::Chicago => ("Chicago", "Central", "CST"),
        chrono_tz::America::Los_Angeles => ("LA", "Pacific", "PST"),
        chrono_tz::Africa::Lagos => ("Lagos", "Lagos time", "WAT"),
        _ => ("here", "my time", "local"),
    };
    match (style, rng.random_range(0..2)) {
        (Style::Distracted, 0) => format!("my time, I'm driving around {city}"),
        (Style::Distracted, _) => format!("{zone}, sorry, {zone}"),
        (Style::Breath, 0) => abbr.to_string(),
        (Style::Breath, _) => format!("{city} time"),
        (Style::Casual, 0) => format!("my time, I'm out in {city}"),
        (Style::Casual, _) => format!("{zone}, by the way"),
        (Style::Ranger, 0) => format!("{zone}, I'm in {city}"),
        (Style::Ranger, _) => format!("my time, {city}"),
        (Style::Corrector, 0) => format!("{city} time, not yours"),
        (Style::Corrector, _) => format!("{abbr}, that's {city}"),
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
        (Style::Distracted, 0) => format!("{day} at {time}"),
        (Style::Distracted, _) => format!("{day}, um, {time}"),
        (Style::Breath, 0) => format!("{day} at {time}"),
        (Style::Breath, _) => format!("{time} on {day}"),
        (Style::Casual, 0) => format!("{day} at like {time}"),
        (Style::Casual, _) => format!("{day}, {time}"),
        (Style::Ranger, _) => format!("{day} at {time}"),
        (Style::Corrector, 0) => format!("{day}, at {time}"),
        (Style::Corrector, _) => format!("{day} at {time}"),
    }
}

/// A range of times that holds `t` on the day said, as a caller who gives a range says it:
/// "any time after 3", "sometime between 10 and noon", "mornings are better for me".
fn write_range(rng: &mut StdRng, day: &str, t: NaiveTime, foreign: bool) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = |h: u32| if h > 12 { h - 12 } else { h };
    let at = if m == 0 {
        format!("{}", h12(h))
    } else {
        format!("{}:30", h12(h))
    };
    let ampm = if h < 12 { "am" } else { "pm" };
    let end = if h + 2 == 12 {
        "noon".to_string()
    } else {
        format!("{}", h12(h + 2))
    };
    let mut forms = vec![
        format!("any time from {at}{ampm} on {day} works"),
        format!("{day}, sometime between {at} and {end}"),
    ];
    if !foreign && h < 12 {
        forms.push(format!(
            "mornings are better for me, so {day}, {at} or a bit after"
        ));
    }
    if !foreign && h >= 13 {
        forms.push(format!("{day}, any time after lunch, say {at} onwards"));
    }
    forms.choose(rng).cloned().unwrap_or_default()
}

/// A clock time picked from offered ones: "3 works, let's do 3", "the 10:30".
fn pick_time(style: Style, t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    let h12 = if h > 12 { h - 12 } else { h };
    let ampm = if h < 12 { "am" } else { "pm" };
    match (style, m) {
        (_, 0) if h == 12 => "noon".into(),
        (Style::Casual, 0) => format!("{h12}{ampm}"),
        (Style::Casual, _) => format!("{h12}:30"),
        (_, 0) => format!("{h12} {}", dotted(ampm)),
        _ => format!("{h12}:30 {}", dotted(ampm)),
    }
}

/// A word spelled this caller's way.
fn spell(style: Style, word: &str) -> String {
    let letters: Vec<String> = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase().to_string())
        .collect();
    match style {
        Style::Distracted => {
            // Cut off after three letters and started again.
            let head = letters
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            format!("{head}... sorry, you cut out, {}", letters.join(" "))
        }
        Style::Breath => letters.join(" "),
        Style::Casual => format!("{}, yup", letters.join(", ")),
        Style::Ranger => format!("{}, like it sounds", letters.join("-")),
        Style::Corrector => format!("{}, {word}", letters.join(", ")),
    }
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
    let company = s.company.clone().unwrap_or_else(|| "Kestrel Audio".into());
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
        Style::Distracted,
        Style::Breath,
        Style::Casual,
        Style::Ranger,
        Style::Corrector,
    ]
    .choose(rng)
    .unwrap_or(&Style::Casual);
    let interruption = pick(rng, INTERRUPTIONS).to_string();
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
    // A ranger's first answer: a range on the wished day that holds the wished time.
    let ranged = s.wish.as_ref().map(|w| {
        let ctz = zone.unwrap_or(ptz);
        let local = w.start.with_timezone(&ctz);
        let day = write_day(
            rng,
            style,
            local.date_naive(),
            now.with_timezone(&ctz).date_naive(),
        );
        let r = write_range(rng, &day, local.time(), zone.is_some());
        match zone {
            Some(tz) => format!("{r}, {}", zone_said(rng, style, tz)),
            None => r,
        }
    });
    if let (Some(w), Some(said)) = (s.wish.as_mut(), &full) {
        w.spoken = said.clone();
    }
    // A self-repair mid-sentence: the time a quarter or half an hour off, or the whole start
    // wrong.
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
                let time = half_repair(rng, style, local.time(), &right_time);
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
                            &["no, hang on, the kids, sorry, no, I meant"],
                            &["no, correction, make it"],
                            &["wait nah, scratch that,"],
                            &["hmm, actually no, better"],
                            &["no, let me correct that:"],
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
    let spelled_last = spell(style, &last);

    let intro = fill(if known {
        by(
            rng,
            style,
            [
                &["Hey, it's {first} {last}, can you hear me? {exec} knows me."],
                &["{first} {last}, friend of {exec}'s,"],
                &["Yo, it's {first} {last}, me and {exec} go way back."],
                &["It's {first} {last}, does {exec} have me down as a contact?"],
                &["This is {first} {last}, and {exec} knows me, {last} like it's written."],
            ],
        )
    } else if spelled {
        by(
            rng,
            style,
            [
                &["It's {name}, sorry, {name}, last name {spelled}."],
                &["{name}, {spelled},"],
                &["I'm {name}, that's {spelled} for the last name."],
                &["It's {name}, do you need the spelling? {spelled}."],
                &["My name's {name}, and the last name is {spelled}, get that right please."],
            ],
        )
    } else {
        by(
            rng,
            style,
            [
                &["It's {name} from, uh, sorry, from {company}."],
                &["{name}, {company},"],
                &["It's {first}, {name}, I'm at {company}."],
                &["This is {name}, you know {company}?"],
                &["This is {name} with {company}."],
            ],
        )
    })
    .replace("{spelled}", &spelled_last);

    let number_ahead = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["Call me back on this phone, I'm in the car."],
                &["this number's fine,"],
                &["Just hit me back on this number."],
                &["Can you call back on this number? It shows up, right?"],
                &["Use the number I'm calling from, not any other."],
            ],
        )
        .to_string(),
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["My number's {n}."],
                &["{n},"],
                &["My cell's {n}."],
                &["Can you take a number? {n}."],
                &["My number is {n}, please read it back to me."],
            ],
        )
        .replace("{n}", &number_said),
    };

    let opener = |g: &Goal, rng: &mut StdRng, first_goal: bool| -> String {
        let w = if first_goal && changed_mind {
            wrong_full.clone()
        } else if first_goal && corrected_time {
            Some(repaired.clone())
        } else {
            full.clone()
        }
        .unwrap_or_default();
        let ranged = ranged.clone().unwrap_or_default();
        let o = match g {
            Goal::Message if volunteered => by(
                rng,
                style,
                [
                    &["I need {exec} to know... sorry, hang on. Okay. I need {exec} to know that {content}."],
                    &["message for {exec}: {content}."],
                    &["Can you tell {exec} that {content}?", "So, like, lemme leave {exec} a message: {content}."],
                    &["Can you get something to {exec}? That {content}."],
                    &["Please pass this to {exec} word for word: {content}."],
                ],
            )
            .to_string(),
            Goal::Message => by(
                rng,
                style,
                [
                    &["I wanted to leave a... can you hear me? Okay. I wanted to leave a message for {exec}."],
                    &["calling to leave {exec} a message."],
                    &["Yo, can I leave a message for {exec}?", "So I'm gonna leave {exec} a message, cool?"],
                    &["Can {exec} get a message tonight? I've got one."],
                    &["I'd like to leave a message for {exec}, and please read it back to me after."],
                ],
            )
            .to_string(),
            Goal::Book => {
                let mut o = by(
                    rng,
                    style,
                    [
                        &[
                            "I'm trying to book some... sorry, my kid. I'm trying to book some time with {exec}.",
                            "Hang on, you're on speaker. Okay, I need a meeting with {exec}.",
                        ],
                        &["want a meeting with {exec}", "looking to book in with {exec}"],
                        &[
                            "So I wanna grab some time with {exec}.",
                            "Yo, lemme get a meeting with {exec}.",
                        ],
                        &[
                            "What's {exec}'s calendar looking like? I'd like a meeting.",
                            "When's {exec} got time for a meeting?",
                        ],
                        &[
                            "I'm booking a meeting with {exec}, and I'll want it read back.",
                            "I need a meeting with {exec}, please.",
                        ],
                    ],
                )
                .to_string();
                if volunteered || style == Style::Breath {
                    o.push_str(by(
                        rng,
                        style,
                        [
                            &[" It's about, hold on, it's about {p}."],
                            &[", re {p}"],
                            &[" It's for {p}, basically."],
                            &[" Topic's {p}, does that matter?"],
                            &[" The subject is {p}."],
                        ],
                    ));
                    if style == Style::Breath {
                        o.push_str(&format!(", {w}"));
                    } else if corrected_time && first_goal {
                        o.push_str(&format!(" {}", sentence(&w)));
                    } else if style == Style::Ranger && !changed_mind {
                        o.push_str(&format!(" {}", sentence(&ranged)));
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
                    &["Is {exec} free, sorry, is {exec} free {w}?"],
                    &["is {exec} free {w}, want to meet"],
                    &["Is {exec} free {w}? Wanna meet up."],
                    &["What's {exec} got {w}? I want to meet."],
                    &["Is {exec} free {w}? I'd like a meeting."],
                ],
            )
            .replace("{w}", &w),
            Goal::Move => {
                let mut o = by(
                    rng,
                    style,
                    [
                        &["I've got a meeting with {exec} and I, sorry, I need to move it."],
                        &["need to move my meeting with {exec}"],
                        &["So I gotta move my meeting with {exec}, something came up."],
                        &["Can my meeting with {exec} be moved? What else is open?"],
                        &["I need to reschedule my meeting with {exec}."],
                    ],
                )
                .to_string();
                if style == Style::Breath {
                    o.push_str(&format!(", to {w}"));
                } else if volunteered && first_goal && corrected_time {
                    o.push_str(&format!(" {}", sentence(&w)));
                } else if volunteered && style == Style::Ranger && !changed_mind {
                    o.push_str(&format!(" Maybe {ranged}?"));
                } else if volunteered && !corrected_time {
                    o.push_str(
                        &by(
                            rng,
                            style,
                            [
                                &[" Can we do {w}?"],
                                &[", to {w}"],
                                &[" Can we do {w} instead?"],
                                &[" Is {w} open?"],
                                &[" I want {w} instead."],
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
                    &["I need to cancel my... one sec. I need to cancel my meeting with {exec}."],
                    &["need to cancel my meeting with {exec}"],
                    &["Yeah so I'm gonna have to cancel on {exec}, my meeting."],
                    &["Can I cancel my meeting with {exec}? Is that a thing I can do here?"],
                    &["I'm cancelling my meeting with {exec}."],
                ],
            )
            .to_string(),
            Goal::Faq(id) => faq_question(rng, style, id),
            Goal::Person => by(
                rng,
                style,
                [
                    &["Can I get a real, sorry, can I get a real person on?"],
                    &["need a person, not a machine"],
                    &["Can I talk to like an actual human?"],
                    &["Is there a human I could talk to?"],
                    &["I want to speak to a person, please."],
                ],
            )
            .to_string(),
            Goal::Urgent => by(
                rng,
                style,
                [
                    &["It's urgent, sorry, I'm driving, it's urgent: {content}. I need {exec} tonight."],
                    &["urgent, {content}, need {exec} tonight"],
                    &["Okay this is lowkey an emergency, {content}, I gotta reach {exec} tonight."],
                    &["Can you get hold of {exec} tonight? It's urgent, {content}."],
                    &["This is urgent: {content}. I need {exec} tonight."],
                ],
            )
            .to_string(),
        };
        fill(&o)
    };
    let request = opener(&first_goal, rng, true);
    let introduces =
        (volunteered || known && rng.random_bool(0.5)) && !matches!(first_goal, Goal::Faq(_));
    let callback_wanted = !matches!(first_goal, Goal::Faq(_));
    let mut opening = if style == Style::Breath && callback_wanted {
        // Everything in one breath, in an order of their own.
        let tail = pick(rng, &["", " That's it.", " That's everything.", " Thanks."]);
        let number = if number_said.is_empty() && !s.classes.contains(&Class::CallerIdNumber) {
            String::new()
        } else {
            number_ahead.clone()
        };
        let request = lower_first(&request, &[&exec, &first]);
        let parts: Vec<&str> = match rng.random_range(0..3) {
            0 => vec![&intro, &request, &number],
            1 => vec![&request, &intro, &number],
            _ => vec![&intro, &number, &request],
        };
        let body = parts
            .iter()
            .map(|p| {
                let p = p.trim().trim_end_matches(',');
                // A closing stop goes, the stop of "p.m." stays.
                if p.ends_with(".m.") {
                    p
                } else {
                    p.trim_end_matches('.')
                }
            })
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let stop = if body.ends_with('.') { "" } else { "." };
        format!("{}{stop}{tail}", cap(&body))
    } else if introduces {
        if matches!(style, Style::Corrector | Style::Casual) || rng.random_bool(0.5) {
            format!("{intro} {request}")
        } else {
            format!("{request} {intro}")
        }
    } else {
        request.clone()
    };
    if style != Style::Breath
        && (callback_wanted && s.classes.contains(&Class::CallerIdNumber)
            || volunteered
                && matches!(first_goal, Goal::Message | Goal::Urgent | Goal::Person)
                && rng.random_bool(0.5))
    {
        opening = format!("{opening} {number_ahead}");
    }
    if style == Style::Distracted && rng.random_bool(0.5) {
        opening = format!("{interruption} {opening}");
    }
    let greeting = by(
        rng,
        style,
        [
            &[
                "Hello? Hello, can you hear me? Okay,",
                "Hi, sorry, you're on speaker,",
            ],
            &["Hi,", "Hey, quick one,"],
            &["Yo,", "Hey hey,"],
            &["Hi, quick question,", "Hey there,"],
            &["Hello,", "Hi, good evening,"],
        ],
    );
    if rng.random_bool(0.6) {
        opening = format!(
            "{greeting} {}",
            lower_first(&opening, &[&exec, &first, &name])
        );
    }

    let next_goals = goals
        .iter()
        .skip(1)
        .map(|g| {
            let lead = by(
                rng,
                style,
                [
                    &[
                        "Oh, and, sorry, hang on. Okay, also,",
                        "Oh wait, one more thing,",
                    ],
                    &["Also,", "And,"],
                    &["Oh and also,", "Ooh, one more,"],
                    &[
                        "Hey, can I ask something else?",
                        "Oh, and while I've got you,",
                    ],
                    &["One more thing,", "Also, and get this one right,"],
                ],
            );
            format!(
                "{} {}",
                fill(lead),
                lower_first(&opener(g, rng, false), &[&exec, &name, &first])
            )
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
                        &["Sorry, I'm driving. I just want to leave a message for {exec}."],
                        &["Message for {exec}."],
                        &["Nah, I just wanna leave {exec} a message."],
                        &["Can I just leave {exec} a message?"],
                        &["No, I want to leave a message for {exec}."],
                    ],
                ),
                Goal::Book | Goal::FreeThenBook => by(
                    rng,
                    style,
                    [
                        &["Sorry, you cut out. I want to book a meeting with {exec}."],
                        &["Meeting with {exec}. Booking one."],
                        &["Nah, I wanna book a meeting with {exec}."],
                        &["Can I just book a meeting with {exec}?"],
                        &["No, I want to book a meeting with {exec}."],
                    ],
                ),
                Goal::Move => by(
                    rng,
                    style,
                    [
                        &["Sorry, the line. I want to move my meeting with {exec}."],
                        &["Moving my meeting with {exec}."],
                        &["Nah, I wanna move my meeting with {exec}."],
                        &["Can I just move my meeting with {exec}?"],
                        &["No, I want to move my meeting with {exec}."],
                    ],
                ),
                Goal::Cancel => by(
                    rng,
                    style,
                    [
                        &["Sorry, the line. I want to cancel my meeting with {exec}."],
                        &["Cancelling my meeting with {exec}."],
                        &["Nah, I wanna cancel my meeting with {exec}."],
                        &["Can I just cancel my meeting with {exec}?"],
                        &["No, I want to cancel my meeting with {exec}."],
                    ],
                ),
                Goal::Faq(id) => return faq_question(rng, style, id),
                Goal::Person => by(
                    rng,
                    style,
                    [
                        &["Sorry, can I get a person on the line?"],
                        &["A person, please."],
                        &["Can I just talk to a human?"],
                        &["Can I just talk to a person?"],
                        &["No, I want a person."],
                    ],
                ),
                Goal::Urgent => by(
                    rng,
                    style,
                    [
                        &["Sorry, it's an emergency, I need {exec} tonight."],
                        &["Emergency. Need {exec} tonight."],
                        &["It's an emergency, I gotta reach {exec} tonight."],
                        &["It's an emergency, can you get {exec} tonight?"],
                        &["No, it's an emergency, I need {exec} tonight."],
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
                &["It's {name}, sorry, {name}."],
                &["{name}."],
                &["It's {name}."],
                &["My name? {name}."],
                &["{name}, and spell it right."],
            ],
        )) + &format!(" {}.", cap(&spelled_last))
    } else {
        fill(by(
            rng,
            style,
            [
                &[
                    "It's {first}, sorry, {name}.",
                    "{name}. Can you hear me? {name}.",
                ],
                &["{name}.", "{first} {last}."],
                &["It's {first}. Oh, full name? {name}.", "{name}, yup."],
                &["Do you need my full name? {name}."],
                &["{name}. Two words, {first}, {last}."],
            ],
        ))
    };
    let number_line = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["This one, the one I'm calling on."],
                &["This number."],
                &["Just this number, the one I'm on."],
                &["Can't you use the one I'm calling from?"],
                &["The one I'm calling from, no other."],
            ],
        )
        .to_string(),
        Callback::Spoken(d) if corrected_number => {
            let mut w = d.clone().into_bytes();
            let i = w.len() - 3;
            w[i] = if w[i] == b'9' { b'2' } else { w[i] + 1 };
            let w = String::from_utf8(w).unwrap_or_default();
            by(
                rng,
                style,
                [
                    &["{w}, no, sorry, I'm reading the wrong one, {n}."],
                    &["{w}, no, {n}."],
                    &["{w}, wait no, that's my old one, it's {n}."],
                    &["{w}? No, hold on, {n}."],
                    &["{w}, no, correction, {n}."],
                ],
            )
            .replace("{w}", &write_number(rng, style, &w))
            .replace("{n}", &number_said)
        }
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["It's {n}."],
                &["{n}."],
                &["Yeah it's {n}."],
                &["You want my cell? {n}."],
                &["{n}, and read it back, please."],
            ],
        )
        .replace("{n}", &number_said),
    };
    let number_fix = match &s.callback {
        Callback::CallerId => by(
            rng,
            style,
            [
                &["No, sorry, the one I'm calling on."],
                &["No. This number."],
                &["Nope, just this number."],
                &["No, what about the one I'm calling from?"],
                &["No, that's not it, I said the number I'm calling from."],
            ],
        )
        .to_string(),
        Callback::Spoken(_) => by(
            rng,
            style,
            [
                &["No, sorry, the line, it's {n}."],
                &["No. {n}."],
                &["Nope, it's {n}."],
                &["No, did you get {n}?"],
                &["No, you've got a couple of digits mixed up there, it's {n}."],
            ],
        )
        .replace("{n}", &number_said),
    };
    let number_digits = match &s.callback {
        Callback::Spoken(d) => d
            .chars()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        Callback::CallerId => String::new(),
    };

    let (when, when_again, change_mind, pick_line) = match (&full, &wrong_full, &local_wish) {
        (Some(right), Some(wrong_said), Some(l)) => {
            let when = if corrected_time {
                sentence(&repaired)
            } else if changed_mind {
                sentence(wrong_said)
            } else if style == Style::Ranger {
                sentence(ranged.as_deref().unwrap_or(right))
            } else {
                by(
                    rng,
                    style,
                    [
                        &["Um, {w}. Sorry, yeah, {w}."],
                        &["{W}."],
                        &["{W} works.", "Lemme think, {w}."],
                        &["{W}?"],
                        &["{W}, please."],
                    ],
                )
                .replace("{w}", right)
                .replace("{W}", &cap(right))
            };
            let again = by(
                rng,
                style,
                [
                    &["No, sorry, the line, I said {w}."],
                    &["No. {W}."],
                    &["Nah, {w}."],
                    &["Hmm, can we do {w} instead?"],
                    &["No, not that one. {W}, I said."],
                ],
            )
            .replace("{w}", right)
            .replace("{W}", &cap(right));
            let change = changed_mind.then(|| {
                by(
                    rng,
                    style,
                    [
                        &["Oh, wait, sorry, my wife says we're away then. Can we do {w}?"],
                        &["No, changed my mind, {w}."],
                        &["Ugh, wait, that doesn't work anymore, can we do {w}?"],
                        &["Hmm, actually, what about {w}?"],
                        &["No, scratch that time, I want {w} instead."],
                    ],
                )
                .replace("{w}", right)
            });
            let t = pick_time(style, l.time());
            let pick_line = by(
                rng,
                style,
                [
                    &["Sorry, what? Oh, {t}, {t} please."],
                    &["{T}."],
                    &["Ooh, {t}, let's do {t}.", "{T}, bet."],
                    &["{T} works, let's do {t}."],
                    &["The {t} one, that's the one I asked for."],
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
                    &["It's, hang on, it's {w}."],
                    &["{W}."],
                    &["It's {w}, I think."],
                    &["Don't you have it? {W}."],
                    &["It's booked for {w}."],
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
            &["Okay, tell {exec}, sorry, hang on, tell {exec} that {content}."],
            &["{Content}."],
            &["Just that {content}, that's it."],
            &["Can you tell {exec} that {content}?"],
            &["Write this down exactly: {content}."],
        ],
    ));
    let purpose_line = fill(by(
        rng,
        style,
        [
            &["It's about, sorry, it's about {p}."],
            &["{P}."],
            &["Just {p}, nothing crazy."],
            &["Does it matter? It's {p}."],
            &["The topic is {p}."],
        ],
    ));

    // Once, for some callers, something said where a question was put instead of its answer;
    // the answer comes when the question is put again.
    let aside = if !rng.random_bool(0.4) {
        None
    } else {
        match style {
            Style::Distracted if !number_said.is_empty() => Some(Aside {
                at: Asked::Number,
                say: "Hang on, lemme pull over. Okay, sorry, what did you need?".into(),
            }),
            Style::Distracted => Some(Aside {
                at: Asked::Name,
                say: "Sorry, you cut out there, what was that?".into(),
            }),
            Style::Breath => Some(Aside {
                at: Asked::Name,
                say: "I said it already, didn't I?".into(),
            }),
            Style::Casual if matches!(first_goal, Goal::Book) => Some(Aside {
                at: Asked::Purpose,
                say: "Uh, do I have to say?".into(),
            }),
            Style::Ranger if matches!(first_goal, Goal::Book | Goal::Move) => Some(Aside {
                at: Asked::Proposal,
                say: "Hmm, what else does Alex have that day?".replace("Alex", &exec),
            }),
            Style::Corrector => Some(Aside {
                at: Asked::ReadBack,
                say: "Hold on, read the number again, slowly?".into(),
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
                &["No, sorry, you cut out, it's {name}."],
                &["No. {name}."],
                &["Nope, it's {name}."],
                &["No, didn't I say {name}?"],
                &["No, you've got my name wrong, it's {name}, {last} with {L}."],
            ],
        ))
        .replace(
            "{L}",
            &format!(
                "a {}",
                last.chars()
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string())
                    .unwrap_or_default()
            ),
        ),
        spelling: format!("{}.", cap(&spelled_last)),
        spelling_full: format!("{}, then {}.", cap(&spell(style, &first)), spelled_last),
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
                &["Yeah, yeah, that's right.", "Sorry, yes."],
                &["Yes.", "Correct."],
                &["Yup yup.", "Yup.", "Yeah, for sure."],
                &["Yeah, is that all you need?", "Yes, that's it, right?"],
                &["Yes, that's right this time.", "That's right."],
            ],
        )
        .into(),
        yes_again: by(
            rng,
            style,
            [
                &["Yes! Sorry, yes, that's right."],
                &["Yes. That's correct."],
                &["Yeah, yup, that's right."],
                &["Yes, that's right."],
                &["Yes, that's all correct."],
            ],
        )
        .into(),
        no: by(
            rng,
            style,
            [
                &["No, sorry, that's not it."],
                &["No."],
                &["Nope, that's not it."],
                &["Hmm, no?"],
                &["No, that's not what I said."],
            ],
        )
        .into(),
        decline: by(
            rng,
            style,
            [
                &["No, no, that's fine, thanks."],
                &["No thanks."],
                &["Nope, all good."],
                &["No, why?"],
                &["No, that's fine."],
            ],
        )
        .into(),
        bye: by(
            rng,
            style,
            [
                &["No, that's it, sorry, I gotta go. Bye."],
                &["No, that's all. Bye."],
                &["Nope, all good, laters."],
                &["No, that's everything, right? Okay, bye."],
                &["No, that's all, thanks for getting it right. Bye."],
            ],
        )
        .into(),
        give_up: by(
            rng,
            style,
            [
                &["Ugh, okay, fine, whatever."],
                &["Fine."],
                &["Okay, okay, whatever works."],
                &["Okay, I guess?"],
                &["Fine, leave it."],
            ],
        )
        .into(),
        want_message: by(
            rng,
            style,
            [
                &["A message, sorry, a message is fine."],
                &["Message."],
                &["A message is cool."],
                &["A message, I guess?"],
                &["A message, please."],
            ],
        )
        .into(),
        want_person: by(
            rng,
            style,
            [
                &["No, I need a person, it's urgent, sorry."],
                &["No. Person. Urgent."],
                &["Nah, I need a real person, it's urgent."],
                &["Can't I get a person? It's urgent."],
                &["No, a person, it's urgent."],
            ],
        )
        .into(),
        aside,
    };
    tidy(&mut s.lines);
    settle(&mut s.lines);
    s.id = s.id.replacen('c', "s", 1);
    s
}

/// An FAQ asked in this phrasebook's own words.
fn faq_question(rng: &mut StdRng, style: Style, id: &str) -> String {
    let forms: [&[&str]; 5] = match id {
        "hours" => [
            &["What time do you guys, sorry, what time are you open till?"],
            &["opening hours?"],
            &["Yo, what are your hours?"],
            &["You open on Saturdays? What are the hours?"],
            &["What are the office hours, exactly?"],
        ],
        "address" => [
            &["What's the address? I'm putting it in the GPS."],
            &["address of the office?"],
            &["Where's the office at?"],
            &["Where are you guys? What's the street?"],
            &["What's the office address, street and suite?"],
        ],
        "parking" => [
            &["Is there parking? I'm driving in."],
            &["parking there?"],
            &["Can I park there or nah?"],
            &["Where do I park? Is there a garage?"],
            &["Is there parking at the building?"],
        ],
        "documents" => [
            &["Where do I send the signed, sorry, the signed documents?"],
            &["where do signed documents go?"],
            &["I signed the docs, where do I send 'em?"],
            &["Where do the signed documents go? Email?"],
            &["Where should I return the signed documents?"],
        ],
        "press" => [
            &["I'm a reporter, sorry, who do I talk to for press?"],
            &["press contact?"],
            &["I write for a blog, who's your press person?"],
            &["Who do I talk to about a press story?"],
            &["Who is the press contact?"],
        ],
        "jobs" => [
            &["Are you hiring? My son's looking, sorry, hang on, are you hiring?"],
            &["hiring at the moment?"],
            &["Yo, are you guys hiring?"],
            &["Any jobs going? Where would I apply?"],
            &["Is the company hiring right now?"],
        ],
        _ => [
            &["I've got a question."],
            &["question."],
            &["Got a question."],
            &["Can I ask you something?"],
            &["I have a question."],
        ],
    };
    by(rng, style, forms).to_string()
}
